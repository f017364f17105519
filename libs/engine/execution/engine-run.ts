/**
 * One operation in progress: the model it runs on, the draft it changes, the caller's context and the
 * effects produced so far. Everything below the public operations works on an `EngineRun`.
 */
import type { FlowNode, ProcessModel, SequenceFlow } from '@libs/bpmn';
import type { EngineEffect, EngineResult } from '../state/engine-effects';
import { NotValidException } from '../errors';
import type { InstanceDraft } from '../state/instance-draft';
import type { EngineContext } from '../state/instance-state';

/** A variable change conditional events may react to: where the variable lives, its name, the kind. */
export interface VariableEvent {
  readonly scopeId: string;
  readonly name: string;
  readonly event: 'create' | 'update' | 'delete';
}

const conditionalModels = new WeakMap<ProcessModel, boolean>();

/** Whether `model` declares any conditional event (computed once per model). */
export function hasConditionalEvents(model: ProcessModel): boolean {
  let has = conditionalModels.get(model);
  if (has === undefined) {
    has = [...model.nodes.values()].some(
      (node) =>
        (node.kind === 'boundaryEvent' ||
          node.kind === 'intermediateCatchEvent' ||
          node.kind === 'startEvent') &&
        node.trigger?.type === 'conditional',
    );
    conditionalModels.set(model, has);
  }
  return has;
}

/** The context of one operation; create one per operation (or per session) and drop it afterwards. */
export class EngineRun {
  readonly effects: EngineEffect[] = [];
  /** Whether the model has conditional events: without, variable changes are not even recorded. */
  readonly conditional: boolean;
  /** Variable changes not yet dispatched to conditional events (see `conditional-events.ts`). */
  readonly variableEvents: VariableEvent[] = [];
  /**
   * Scope instances created around a started element (modification, instantiation at elements) whose
   * conditional events are evaluated once the tokens rest, top-down (see `conditional-events.ts`).
   */
  readonly scopesToEvaluate: string[] = [];

  constructor(
    readonly model: ProcessModel,
    readonly draft: InstanceDraft,
    readonly ctx: EngineContext,
  ) {
    this.conditional = hasConditionalEvents(model);
  }

  /** Has the conditional events of a created scope instance evaluated later; nothing without any. */
  noteScopeEntry(scopeInstanceId: string): void {
    if (this.conditional) this.scopesToEvaluate.push(scopeInstanceId);
  }

  /** Records a variable change for conditional events; nothing when the model has none. */
  noteVariableEvent(event: VariableEvent): void {
    if (this.conditional) this.variableEvents.push(event);
  }

  get now(): Date {
    return this.ctx.now;
  }

  newId(): string {
    return this.ctx.newId();
  }

  /** A fresh activity instance id in Camunda's shape, `<activityId>:<id>`. */
  newActivityInstanceId(activityId: string): string {
    return `${activityId}:${this.ctx.newId()}`;
  }

  emit(effect: EngineEffect): void {
    this.effects.push(effect);
  }

  /**
   * The flow node with this id.
   * @throws NotValidException when the model has no such element.
   */
  node(id: string): FlowNode {
    const node = this.model.nodes.get(id);
    if (node === undefined) {
      throw new NotValidException(
        `Element '${id}' does not exist in process '${this.draft.header.definitionId}': element is null`,
      );
    }
    return node;
  }

  /**
   * The sequence flow with this id.
   * @throws NotValidException when the model has no such flow.
   */
  flow(id: string): SequenceFlow {
    const flow = this.model.flows.get(id);
    if (flow === undefined) {
      throw new NotValidException(`Transition '${id}' does not exist: transition is null`);
    }
    return flow;
  }

  /** True when `scopeId` (a model scope: process id or sub-process id) is the process itself. */
  isProcessScope(scopeId: string): boolean {
    return scopeId === this.model.id;
  }

  result(): EngineResult {
    return { state: this.draft.toState(), effects: this.effects };
  }
}
