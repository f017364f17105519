/**
 * Signal throw events (intermediate and end) and the event-based gateway's waiting: the behaviours
 * that fire or arm several event triggers at once.
 */
import {
  isWaitTrigger,
  type EndEvent,
  type EventBasedGateway,
  type IntermediateThrowEvent,
} from '@libs/bpmn';
import { ProcessEngineException } from '../errors';
import type { ActivityInstance } from '../state/instance-state';
import { fireEventTrigger } from './event-triggers';
import { evaluateText } from './expressions';
import type { TokenRunner } from './token-runner';
import { createEventTrigger } from './wait-states';

/**
 * Throws the signal of `node` (its name may be an expression) and leaves it along `flowIds` (none for
 * an end event). Synchronously, the subscriptions of this instance that wait for the signal now
 * receive it (Camunda finds them before the thrower moves on, so a subscription created later by the
 * thrower's own path does not), and they run before the thrower's path continues; a `signalThrown`
 * effect has the shell deliver it to every other instance and start the definitions with a signal
 * start event. `camunda:async`: everything, this instance included, receives it through the shell.
 */
export function throwSignal(
  runner: TokenRunner,
  instance: ActivityInstance,
  node: EndEvent | IntermediateThrowEvent,
  flowIds: readonly string[],
): void {
  const { run } = runner;
  const { result } = node;
  if (result.type !== 'signal') throw new ProcessEngineException(`'${node.id}' throws no signal`);
  const evaluated = evaluateText(run, result.signalName, instance.id);
  const signalName =
    evaluated === null || evaluated === undefined || String(evaluated).trim() === ''
      ? result.signalName
      : String(evaluated).trim();
  const receivers = result.async
    ? []
    : [...run.draft.subscriptions.values()].filter(
        (subscription) => subscription.type === 'signal' && subscription.eventName === signalName,
      );
  runner.leave(instance, flowIds);
  for (const subscription of receivers) {
    // A receiver fired earlier may have ended this one's scope (an interrupting boundary event).
    if (run.draft.subscriptions.get(subscription.id) === undefined) continue;
    const owner = run.draft.instance(subscription.activityInstanceId);
    if (owner === undefined) continue;
    fireEventTrigger(runner, owner, { kind: 'subscription', record: subscription });
  }
  run.emit({
    type: 'signalThrown',
    processInstanceId: run.draft.header.id,
    signalName,
    tenantId: run.draft.header.tenantId,
    async: result.async,
  });
}

/**
 * An event-based gateway waits: its instance owns the subscription or timer of every intermediate catch
 * event its flows lead to (Camunda's gateway scope execution); the first to fire wins.
 */
export function armEventBasedGateway(
  runner: TokenRunner,
  instance: ActivityInstance,
  gateway: EventBasedGateway,
): void {
  const { run } = runner;
  for (const flowId of gateway.outgoing) {
    const event = run.node(run.flow(flowId).targetId);
    if (event.kind !== 'intermediateCatchEvent' || !isWaitTrigger(event.trigger)) {
      throw new ProcessEngineException(
        `Event-based gateway '${gateway.id}' leads to '${event.id}', which is not a message, signal, timer or conditional intermediate catch event`,
      );
    }
    createEventTrigger(run, instance, event.id, event.trigger);
  }
}
