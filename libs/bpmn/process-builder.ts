/** Builds the immutable `ProcessModel` of one executable `<process>`, reporting every problem on the way. */
import type { BuildContext } from './build-context';
import { deepFreeze } from './deep-freeze';
import { resolveFlows } from './flow-resolver';
import { resolveLinks } from './link-events';
import type { FlowNode, ProcessModel } from './model';
import { readBoolean, readString, readText, type ModdleElement } from './moddle-element';
import { checkCompensation } from './compensation-rules';
import { checkEscalationCatchers } from './escalation-rules';
import { refuseUnimplementedEvents } from './event-support';
import { attachBoundaryEvents, collectEventSubProcesses, validateGateways } from './process-validator';
import { readJobPriority, walkProcess, type WalkedProcess } from './process-walker';
import { checkTransactions } from './transaction-rules';

/**
 * The model of `process` (whose id is `processId`), or `null` when it cannot be built at all. A model
 * is returned even when problems were reported; the caller only publishes it if there were no errors.
 */
export function buildProcess(
  process: ModdleElement,
  processId: string,
  context: BuildContext,
): ProcessModel | null {
  const walked = walkProcess(process, processId, context);
  const flows = resolveFlows(walked, resolveLinks(walked, context), context);
  validateGateways(walked, flows, context);
  const boundaryEventsOf = attachBoundaryEvents(walked, context);
  const eventSubProcessesOf = collectEventSubProcesses(walked, context);
  refuseUnimplementedEvents(walked, context);
  checkEscalationCatchers(walked, boundaryEventsOf, eventSubProcessesOf, context);
  checkCompensation(walked, flows, processId, boundaryEventsOf, eventSubProcessesOf, context);
  checkTransactions(walked, boundaryEventsOf, context);
  const historyTimeToLive = readHistoryTimeToLive(process, processId, context);
  if (walked.startEventId === null) return null;
  return deepFreeze({
    id: processId,
    name: readString(process, 'name'),
    versionTag: readText(process, 'versionTag'),
    taskPriority: readText(process, 'taskPriority'),
    jobPriority: readJobPriority(process, processId, context),
    startableInTasklist: readBoolean(process, 'isStartableInTasklist') !== false,
    historyTimeToLive,
    startEventId: walked.startEventId ?? null,
    initiatorVariable: walked.initiatorVariable,
    nodes: nodesInDocumentOrder(processId, walked),
    flows,
    childrenOfScope: walked.childrenOfScope,
    boundaryEventsOf,
    eventSubProcessesOf,
  });
}

/** Nodes depth first in document order: each sub-process directly followed by its contents. */
function nodesInDocumentOrder(processId: string, walked: WalkedProcess): ReadonlyMap<string, FlowNode> {
  const nodes = new Map<string, FlowNode>();
  const visit = (scopeId: string): void => {
    for (const id of walked.childrenOfScope.get(scopeId) ?? []) {
      const entry = walked.nodes.get(id);
      if (entry === undefined) continue;
      nodes.set(id, entry.node);
      if (walked.childrenOfScope.has(id)) visit(id);
    }
  };
  visit(processId);
  return nodes;
}

/** `camunda:historyTimeToLive` in days: a number (`180`) or an ISO-8601 day period (`P180D`). */
function readHistoryTimeToLive(
  process: ModdleElement,
  processId: string,
  context: BuildContext,
): number | null {
  const text = readText(process, 'historyTimeToLive');
  if (text === null) return null;
  const days = /^(?:P(\d+)D|(\d+))$/.exec(text);
  if (days !== null) return Number(days[1] ?? days[2]);
  context.problems.error(
    `Cannot parse historyTimeToLive '${text}' of process '${processId}': expected a number of days`,
    { elementId: processId },
  );
  return null;
}
