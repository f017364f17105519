/**
 * One operation in progress: the model it runs on, the draft it changes, the caller's context and the
 * effects produced so far. Everything below the public operations works on an `EngineRun`.
 */
import type { FlowNode, ProcessModel, SequenceFlow } from '@libs/bpmn';
import type { EngineEffect, EngineResult } from '../state/engine-effects';
import { NotValidException } from '../errors';
import type { InstanceDraft } from '../state/instance-draft';
import type { EngineContext } from '../state/instance-state';

/** The context of one operation; create one per operation (or per session) and drop it afterwards. */
export class EngineRun {
  readonly effects: EngineEffect[] = [];

  constructor(
    readonly model: ProcessModel,
    readonly draft: InstanceDraft,
    readonly ctx: EngineContext,
  ) {}

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
