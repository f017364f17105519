/**
 * The event constructs the model can describe but the engine cannot run yet, refused at deployment
 * in one place: each line goes when its behaviour lands (issue #13).
 */
import type { BuildContext } from './build-context';
import { isWaitTrigger, type FlowNode, type StartEvent } from './model';
import type { WalkedProcess } from './process-walker';

/** Why `node` cannot run yet, or `null` when it can. */
function unimplemented(node: FlowNode, walked: WalkedProcess): string | null {
  switch (node.kind) {
    case 'startEvent':
      return startEventProblem(node, walked);
    case 'endEvent':
      return [
        'none',
        'terminate',
        'message',
        'signal',
        'error',
        'escalation',
        'compensate',
        'cancel',
      ].includes(node.result.type)
        ? null
        : `an end event throwing ${node.result.type}`;
    case 'intermediateThrowEvent':
      return ['none', 'message', 'signal', 'escalation', 'compensate'].includes(node.result.type)
        ? null
        : `an intermediate throw event throwing ${node.result.type}`;
    case 'intermediateCatchEvent':
      return null;
    case 'boundaryEvent':
      return [
        'message',
        'signal',
        'timer',
        'conditional',
        'error',
        'escalation',
        'compensate',
        'cancel',
      ].includes(node.trigger.type)
        ? null
        : `a boundary event catching ${node.trigger.type}`;
    default:
      return null;
  }
}

/**
 * Event sub-process start events run for every trigger; a process starts through message, signal,
 * timer and conditional start events.
 */
function startEventProblem(node: StartEvent, walked: WalkedProcess): string | null {
  if (node.trigger === null) return null;
  const scope = walked.nodes.get(node.scopeId)?.node;
  const inEventSubProcess = scope?.kind === 'subProcess' && scope.triggeredByEvent;
  const runs = (inEventSubProcess && node.trigger.type !== 'cancel') || isWaitTrigger(node.trigger);
  return runs ? null : `a start event with a ${node.trigger.type} trigger`;
}

/** Reports every element of the walked process whose behaviour the engine does not have yet. */
export function refuseUnimplementedEvents(walked: WalkedProcess, context: BuildContext): void {
  for (const { node } of walked.nodes.values()) {
    if (node.kind === 'startEvent' && node.trigger?.type === 'error' && !node.interrupting) {
      context.problems.error(
        `<startEvent> '${node.id}': error start event of event subprocess must be interrupting`,
        { elementId: node.id },
      );
    }
    const what = unimplemented(node, walked);
    if (what === null) continue;
    context.problems.error(`<${node.kind}> '${node.id}' is ${what}, which is not supported yet`, {
      elementId: node.id,
    });
  }
}
