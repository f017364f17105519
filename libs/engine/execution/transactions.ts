/**
 * Transactions and cancel events, as Camunda 7 runs them (`CancelEndEventActivityBehavior`,
 * `CancelBoundaryEventActivityBehavior`; a transaction itself behaves as an embedded sub-process):
 * - a cancel end event interrupts its transaction first (Camunda's INTERRUPT_FLOW_SCOPE): the other
 *   activities inside it are cancelled, and the transaction's own triggers (its boundary events', its
 *   event sub-processes' starts) go, while its compensate subscriptions stay;
 * - it then compensates the transaction as a compensation end event without `activityRef` does,
 *   waiting (an activity instance beside the handlers) until every handler has ended;
 * - then the transaction (or the multi-instance body around it, all its instances) is cancelled and
 *   the token leaves through the cancel boundary event (`cancelBoundaryCatch`).
 */
import { cancelBoundaryFor, type FlowNode } from '@libs/bpmn';
import { NullValueException } from '../errors';
import { requireParent } from './activity-lifecycle';
import { removeParkedTokens } from './async-continuations';
import type { ActivityInstance } from '../state/instance-state';
import type { TokenRunner } from './token-runner';

/**
 * The first part of the behaviour of the cancel end event `node` whose fresh instance is `thrower`:
 * interrupts its transaction; the caller then throws compensation for it.
 * @throws NullValueException when the transaction has no cancel boundary event (Camunda deploys it
 * and fails here, in these words).
 */
export function interruptTransaction(runner: TokenRunner, thrower: ActivityInstance, node: FlowNode): void {
  const { run } = runner;
  if (cancelBoundaryFor(run.model, node) === undefined) {
    throw new NullValueException(
      `Could not find cancel boundary event for cancel end event Activity(${node.id}): cancelBoundaryEvent is null`,
    );
  }
  const transactionId = requireParent(thrower);
  for (const sibling of run.draft.childrenOf(transactionId)) {
    // A sibling may have gone with one cancelled before it (a handler with its throw).
    if (sibling.id !== thrower.id && run.draft.instance(sibling.id) !== undefined) {
      runner.cancel(sibling, 'canceled');
    }
  }
  removeParkedTokens(run, transactionId);
  for (const subscription of run.draft.subscriptions.ownedBy(transactionId)) {
    if (subscription.type !== 'compensate') run.draft.subscriptions.remove(subscription.id);
  }
  for (const job of run.draft.jobs.removeOwnedBy(transactionId)) {
    run.emit({ type: 'timerCancelled', jobId: job.id });
  }
}

/**
 * A cancel end event whose compensation has ended: its transaction (or the multi-instance body
 * around it) is cancelled and the token leaves through the cancel boundary event.
 */
export function leaveCancelEnd(runner: TokenRunner, thrower: ActivityInstance): void {
  const { run } = runner;
  const boundary = cancelBoundaryFor(run.model, run.node(thrower.activityId))!;
  const transaction = run.draft.instance(requireParent(thrower))!;
  const host =
    boundary.attachedToId === transaction.activityId
      ? transaction
      : run.draft.instance(requireParent(transaction))!;
  runner.cancel(host, 'canceled');
  runner.enterNode(requireParent(host), boundary.id);
}
