/**
 * Camunda's deployment rules for escalation catchers (`BpmnParse.addEscalationEventDefinition`): on
 * one scope (an activity's boundary events; a scope's event sub-processes, counted apart) at most one
 * catcher may catch a given escalation, so a catch-all excludes every other one of its kind.
 */
import type { BuildContext } from './build-context';
import type { WalkedProcess } from './process-walker';

interface EscalationCatcher {
  readonly id: string;
  readonly code: string | null;
}

/** Reports escalation catchers that Camunda refuses to deploy together. */
export function checkEscalationCatchers(
  walked: WalkedProcess,
  boundaryEventsOf: ReadonlyMap<string, readonly string[]>,
  eventSubProcessesOf: ReadonlyMap<string, readonly string[]>,
  context: BuildContext,
): void {
  const catcherOf = (id: string): EscalationCatcher | null => {
    const node = walked.nodes.get(id)?.node;
    if (node?.kind === 'boundaryEvent') {
      return node.trigger.type === 'escalation' ? { id, code: node.trigger.escalationCode } : null;
    }
    if (node?.kind !== 'subProcess') return null;
    const start = walked.nodes.get(node.startEventId)?.node;
    return start?.kind === 'startEvent' && start.trigger?.type === 'escalation'
      ? { id: start.id, code: start.trigger.escalationCode }
      : null;
  };
  const check = (ids: readonly string[], what: string): void => {
    const seen: EscalationCatcher[] = [];
    for (const catcher of ids.map(catcherOf)) {
      if (catcher === null) continue;
      for (const existing of seen) {
        const problem = conflict(existing, catcher, what);
        if (problem !== null) context.problems.error(problem, { elementId: catcher.id });
      }
      seen.push(catcher);
    }
  };
  for (const ids of boundaryEventsOf.values()) check(ids, 'boundary event');
  for (const ids of eventSubProcessesOf.values()) check(ids, 'event subprocess');
}

function conflict(existing: EscalationCatcher, added: EscalationCatcher, what: string): string | null {
  if (existing.code === null && added.code === null) {
    return `The same scope can not contains more than one escalation ${what} without escalation code. An escalation ${what} without escalation code catch all escalation events.`;
  }
  if (existing.code === null || added.code === null) {
    return `The same scope can not contains an escalation ${what} without escalation code and another one with escalation code. The escalation ${what} without escalation code catch all escalation events.`;
  }
  if (existing.code === added.code) {
    const plural = what === 'boundary event' ? 'boundary events' : 'event subprocesses';
    return `multiple escalation ${plural} with the same escalationCode '${added.code}' are not supported on same scope`;
  }
  return null;
}
