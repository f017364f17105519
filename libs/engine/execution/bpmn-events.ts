/**
 * BPMN errors and escalations (Camunda's `BpmnExceptionHandler` and `EscalationHandler`). A thrown
 * error or escalation looks for its catcher from the throwing activity instance outwards, innermost
 * scope first; at each level it considers the event sub-processes of that scope and the boundary
 * events attached to that activity:
 * - errors: a matching error event sub-process wins over a matching boundary event, and at the same
 *   level a catcher with the thrown code wins over a catch-all (no `errorRef`/`errorCode`); an error
 *   event sub-process never catches an error thrown inside itself;
 * - escalations: the first matching catcher in that order (deployment allows no ambiguity); an
 *   escalation event sub-process does not catch what is thrown directly inside it.
 * The catcher's `camunda:errorCodeVariable`/`errorMessageVariable`/`escalationCodeVariable` are set
 * (with propagation) from the catching scope, then it runs: a boundary event like a fired boundary
 * event, an event sub-process like a triggered one.
 *
 * Nothing caught in a called instance (started by a call activity): the error or escalation travels
 * to the calling instance (an effect the shell acts on), where the search goes on from the call
 * activity instance. An error nobody catches ends the throwing activity like a none end event (an
 * external task: its token ends there); an escalation nobody catches does nothing.
 */
import type { BoundaryEvent, CatchTrigger, ErrorTrigger, EscalationTrigger, SubProcess } from '@libs/bpmn';
import { removeActivityInstance } from './activity-lifecycle';
import { fireBoundaryEvent } from './boundary-events';
import type { EngineRun } from './engine-run';
import { eventSubProcessesIn, startEventOf, triggerEventSubProcess } from './event-sub-processes';
import type { ActivityInstance } from '../state/instance-state';
import type { TokenRunner } from './token-runner';
import { typedValueOf, type TypedValue, type VariableMap } from '../state/typed-value';
import { applyVariables } from '../state/variables';

/** A thrown BPMN error (`code` null: an error without code) or escalation. */
export type Thrown =
  | { readonly kind: 'error'; readonly code: string | null; readonly message: string | null }
  | { readonly kind: 'escalation'; readonly code: string | null };

/** The element that catches a thrown error or escalation, with the instance it belongs to. */
export type Catcher =
  | {
      readonly kind: 'boundary';
      readonly event: BoundaryEvent;
      readonly host: ActivityInstance;
      readonly trigger: ErrorTrigger | EscalationTrigger;
    }
  | {
      readonly kind: 'eventSubProcess';
      readonly eventSubProcess: SubProcess;
      readonly scope: ActivityInstance;
      readonly trigger: ErrorTrigger | EscalationTrigger;
    };

/**
 * Where the search starts: at the throwing activity instance of this instance (`local`), or at a call
 * activity instance whose called instance threw (`called`: no event sub-process counts as enclosing
 * the thrower).
 */
export type ThrowOrigin = 'local' | 'called';

/** The catcher of `thrown` from `from` outwards within this instance, or `undefined`. */
export function findCatcher(
  run: EngineRun,
  from: ActivityInstance,
  thrown: Thrown,
  origin: ThrowOrigin = 'local',
): Catcher | undefined {
  const chain = run.draft.ancestry(from.id);
  const throwerScope = run.model.nodes.get(from.activityId)?.scopeId;
  for (const [index, instance] of chain.entries()) {
    const inside = new Set(chain.slice(0, index).map((below) => below.activityId));
    const candidates: Array<{ catcher: Catcher; precedence: number }> = [];
    for (const eventSubProcess of eventSubProcessesIn(run, instance)) {
      const { trigger } = startEventOf(run, eventSubProcess);
      if (!catches(trigger, thrown)) continue;
      const rethrown =
        origin === 'local' &&
        (thrown.kind === 'error' ? inside.has(eventSubProcess.id) : throwerScope === eventSubProcess.id);
      if (rethrown) continue;
      candidates.push({
        catcher: { kind: 'eventSubProcess', eventSubProcess, scope: instance, trigger },
        precedence: 10 + (codeOf(trigger) === null ? 0 : 1),
      });
    }
    if (instance.parentId !== null) {
      for (const eventId of run.model.boundaryEventsOf.get(instance.activityId) ?? []) {
        const event = run.model.nodes.get(eventId);
        if (event?.kind !== 'boundaryEvent' || !catches(event.trigger, thrown)) continue;
        const trigger = event.trigger;
        candidates.push({
          catcher: { kind: 'boundary', event, host: instance, trigger },
          precedence: codeOf(trigger) === null ? 0 : 1,
        });
      }
    }
    // Errors: Camunda sorts a scope's error definitions by precedence (stable); escalations: in order.
    if (thrown.kind === 'error') candidates.sort((a, b) => b.precedence - a.precedence);
    const [first] = candidates;
    if (first !== undefined) return first.catcher;
  }
  return undefined;
}

/** Whether `trigger` catches `thrown`: the same kind, and its code equal or absent (catch-all). */
function catches(trigger: CatchTrigger | null, thrown: Thrown): trigger is ErrorTrigger | EscalationTrigger {
  if (trigger?.type !== (thrown.kind === 'error' ? 'error' : 'escalation')) return false;
  const code = codeOf(trigger as ErrorTrigger | EscalationTrigger);
  return code === null || code === thrown.code;
}

/** The code an error or escalation catch trigger waits for; `null`: every one. */
function codeOf(trigger: ErrorTrigger | EscalationTrigger): string | null {
  return trigger.type === 'error' ? trigger.errorCode : trigger.escalationCode;
}

/**
 * Runs `catcher` for `thrown`: sets its code/message variables from the catching scope, then fires
 * the boundary event or triggers the event sub-process. The caller runs the runner.
 */
export function executeCatcher(runner: TokenRunner, catcher: Catcher, thrown: Thrown): void {
  const { run } = runner;
  const scope = catcher.kind === 'boundary' ? catcher.host : catcher.scope;
  const variables: Record<string, TypedValue> = {};
  const { trigger } = catcher;
  if (trigger.type === 'error' && thrown.kind === 'error') {
    if (trigger.errorCodeVariable !== null) variables[trigger.errorCodeVariable] = typedValueOf(thrown.code);
    if (trigger.errorMessageVariable !== null) {
      variables[trigger.errorMessageVariable] = typedValueOf(thrown.message);
    }
  }
  if (trigger.type === 'escalation' && trigger.escalationCodeVariable !== null) {
    variables[trigger.escalationCodeVariable] = typedValueOf(thrown.code);
  }
  // A non-interrupting boundary event keeps its host: the variables go from the host's scope.
  const from =
    catcher.kind === 'boundary' && !catcher.event.interrupting && scope.parentId !== null
      ? (run.draft.instance(scope.parentId) ?? scope)
      : scope;
  if (Object.keys(variables).length > 0) applyVariables(run, from.id, variables, false);
  if (catcher.kind === 'boundary')
    fireBoundaryEvent(runner, catcher.host, catcher.event, { kind: 'subscription' });
  else triggerEventSubProcess(runner, catcher.scope, catcher.eventSubProcess, { kind: 'none' });
}

/** What became of a thrown error. */
export type ErrorOutcome = 'caught' | 'escaped' | 'uncaught';

/**
 * Throws the BPMN error `code` from the live activity instance `thrower` (an error end event or an
 * external task): caught → the thrower (an end event) ends and the catcher runs; not caught in a
 * called instance → `bpmnErrorEscaped` is emitted and the thrower stays as it is until the shell
 * knows whether a calling instance catches it (see {@link endUncaughtError}); not caught at all →
 * the thrower ends like a none end event. The caller runs the runner.
 */
export function throwError(
  runner: TokenRunner,
  thrower: ActivityInstance,
  code: string | null,
  message: string | null,
): ErrorOutcome {
  const { run } = runner;
  const thrown: Thrown = { kind: 'error', code, message };
  const catcher = findCatcher(run, thrower, thrown);
  if (catcher !== undefined) {
    if (run.node(thrower.activityId).kind === 'endEvent') removeActivityInstance(run, thrower, 'completed');
    executeCatcher(runner, catcher, thrown);
    return 'caught';
  }
  const links = run.draft.callLinks;
  if (links !== undefined) {
    run.emit({
      type: 'bpmnErrorEscaped',
      processInstanceId: run.draft.header.id,
      errorCode: code,
      errorMessage: message,
      origin: { processInstanceId: run.draft.header.id, activityInstanceId: thrower.id },
      variables: processVariables(run),
    });
    return 'escaped';
  }
  runner.leave(thrower, []);
  return 'uncaught';
}

/**
 * Throws the escalation `code` from the live instance `thrower` (an escalation throw event). An
 * interrupting catcher around it ends the thrower; otherwise the caller lets it continue. Not caught
 * in a called instance: `escalationEscaped` lets the calling instance look for a catcher.
 */
export function throwEscalation(runner: TokenRunner, thrower: ActivityInstance, code: string | null): void {
  const { run } = runner;
  const thrown: Thrown = { kind: 'escalation', code };
  const catcher = findCatcher(run, thrower, thrown);
  if (catcher !== undefined) {
    executeCatcher(runner, catcher, thrown);
    return;
  }
  if (run.draft.callLinks !== undefined) {
    run.emit({
      type: 'escalationEscaped',
      processInstanceId: run.draft.header.id,
      escalationCode: code,
      variables: processVariables(run),
    });
  }
}

/** The process variables of the instance (what a call activity's `camunda:out` reads). */
function processVariables(run: EngineRun): VariableMap {
  const variables: Record<string, TypedValue> = {};
  for (const variable of run.draft.variables.ownedBy(run.draft.header.id)) {
    variables[variable.name] = variable.value;
  }
  return variables;
}
