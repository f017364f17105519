/**
 * Camunda's deployment rules for transactions and cancel events (`BpmnParse.parseEndEvents`,
 * `parseBoundaryCancelEventDefinition`), with its messages: a cancel end event lies directly inside a
 * transaction; a cancel boundary event is attached to a transaction (or a multi-instance transaction's
 * body); a transaction has at most one cancel boundary event.
 */
import type { BuildContext } from './build-context';
import type { BoundaryEvent, FlowNode, ProcessModel } from './model';
import type { WalkedProcess } from './process-walker';

/** Reports every transaction construct Camunda refuses to deploy. */
export function checkTransactions(
  walked: WalkedProcess,
  boundaryEventsOf: ReadonlyMap<string, readonly string[]>,
  context: BuildContext,
): void {
  const node = (id: string): FlowNode | undefined => walked.nodes.get(id)?.node;
  for (const { node: event } of walked.nodes.values()) {
    if (event.kind !== 'endEvent' || event.result.type !== 'cancel') continue;
    if (isTransaction(node(event.scopeId))) continue;
    context.problems.error(
      'end event with cancelEventDefinition only supported inside transaction subprocess',
      {
        elementId: event.id,
      },
    );
  }
  for (const [hostId, ids] of boundaryEventsOf) {
    const cancelling = ids.filter((id) => isCancelBoundary(node(id)));
    const host = node(hostId);
    const transaction = host?.kind === 'multiInstanceBody' ? node(host.innerActivityId) : host;
    if (!isTransaction(transaction)) {
      for (const id of cancelling) {
        context.problems.error(
          'boundary event with cancelEventDefinition only supported on transaction subprocesses',
          {
            elementId: id,
            relatedIds: [hostId],
          },
        );
      }
      continue;
    }
    for (const id of cancelling.slice(1)) {
      context.problems.error(
        'multiple boundary events with cancelEventDefinition not supported on same transaction subprocess',
        { elementId: id, relatedIds: [hostId] },
      );
    }
  }
}

function isTransaction(node: FlowNode | undefined): boolean {
  return node?.kind === 'subProcess' && node.transaction;
}

function isCancelBoundary(node: FlowNode | undefined): node is BoundaryEvent {
  return node?.kind === 'boundaryEvent' && node.trigger.type === 'cancel';
}

/**
 * The cancel boundary event a cancel end event leaves through (Camunda's `setCancelBoundaryEvent`):
 * the one on its transaction, or on the multi-instance body around it; `undefined` when there is none.
 */
export function cancelBoundaryFor(model: ProcessModel, cancelEnd: FlowNode): BoundaryEvent | undefined {
  const transaction = model.nodes.get(cancelEnd.scopeId);
  if (transaction === undefined) return undefined;
  const body = model.nodes.get(transaction.scopeId);
  const hostId = body?.kind === 'multiInstanceBody' ? body.id : transaction.id;
  for (const id of model.boundaryEventsOf.get(hostId) ?? []) {
    const event = model.nodes.get(id);
    if (isCancelBoundary(event)) return event;
  }
  return undefined;
}
