/**
 * Helpers for the engine's unit tests: a deterministic context, model loading, deep freezing and a
 * compact rendering of the activity-instance tree. Pure (the specs read the fixture files).
 */
import { parseBpmn, type ProcessModel } from '@libs/bpmn';
import { activityInstanceTree, type ActivityInstanceDto } from '../state/activity-instance-tree';
import type { EngineEffect, EngineResult } from '../state/engine-effects';
import type { EngineContext, ProcessInstanceState } from '../state/instance-state';
import { setVariables, startInstance, type StartInstanceCommand } from '../operations/instance-operations';
import { migrateInstance } from '../migration/migration-operations';
import type { InstantiationInstruction } from '../modification/modification-instructions';
import { completeTask } from '../operations/trigger-operations';
import type { MigrationDefinition, MigrationPlan } from '../migration/migration-plan';
import { variablesOf } from '../state/typed-value';

/** A clock that only moves when told to, and ids `1`, `2`, `3`… */
export class TestContext implements EngineContext {
  private counter = 0;

  constructor(public now: Date = new Date('2024-05-02T09:00:00.000Z')) {}

  newId(): string {
    this.counter += 1;
    return String(this.counter);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): this {
    this.now = new Date(this.now.getTime() + ms);
    return this;
  }
}

/** BPMN definitions around `body` (processes), with the BPMN and Camunda namespaces declared. */
export const bpmnDefinitions = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">${body}</definitions>`;

/** Parses BPMN text that must contain exactly one executable process. */
export async function modelFrom(xml: string): Promise<ProcessModel> {
  const result = await parseBpmn(xml);
  if (!result.ok) throw new Error(`fixture does not parse: ${JSON.stringify(result.errors)}`);
  const [model] = result.processes;
  if (model === undefined || result.processes.length !== 1) throw new Error('expected exactly one process');
  return model;
}

/** A deployed definition for migration tests: id `<key>:<version>:d<version>`. */
export async function definitionFrom(xml: string, version: number): Promise<MigrationDefinition> {
  const model = await modelFrom(xml);
  return { id: `${model.id}:${version}:d${version}`, model };
}

/** Freezes a value and everything reachable from it (dates included), so any mutation throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return Object.freeze(value);
}

/**
 * The activity-instance tree as text: `activityId(child, child(grandchild))`, children sorted by
 * activity id; `null` for an ended instance.
 */
export function outline(model: ProcessModel, state: ProcessInstanceState): string | null {
  const tree = activityInstanceTree(model, state);
  return tree === null ? null : render(tree);
}

function render(node: ActivityInstanceDto): string {
  const children = node.childActivityInstances.map(render).sort();
  return children.length === 0 ? node.activityId : `${node.activityId}(${children.join(', ')})`;
}

/** The activity ids of the state's waiting records, sorted, for compact assertions. */
export function waitingOn(state: ProcessInstanceState): {
  tasks: string[];
  externalTasks: string[];
  subscriptions: string[];
  jobs: string[];
} {
  return {
    tasks: state.tasks.map((task) => task.taskDefinitionKey).sort(),
    externalTasks: state.externalTasks.map((task) => task.activityId).sort(),
    subscriptions: state.eventSubscriptions.map((s) => `${s.type}:${s.eventName}@${s.activityId}`).sort(),
    jobs: state.jobs.map((job) => job.activityId).sort(),
  };
}

/** The one task of `taskDefinitionKey`; throws when there is not exactly one. */
export function taskOf(
  state: ProcessInstanceState,
  taskDefinitionKey: string,
): ProcessInstanceState['tasks'][number] {
  const tasks = state.tasks.filter((task) => task.taskDefinitionKey === taskDefinitionKey);
  const [task] = tasks;
  if (task === undefined || tasks.length !== 1) {
    throw new Error(`expected one task '${taskDefinitionKey}', found ${tasks.length}`);
  }
  return task;
}

/** The one activity instance of `activityId`; throws when there is not exactly one. */
export function instanceOf(
  state: ProcessInstanceState,
  activityId: string,
): ProcessInstanceState['activityInstances'][number] {
  const instances = state.activityInstances.filter((instance) => instance.activityId === activityId);
  const [instance] = instances;
  if (instance === undefined || instances.length !== 1) {
    throw new Error(`expected one instance of '${activityId}', found ${instances.length}`);
  }
  return instance;
}

/**
 * One process instance driven step by step with a shared context (so ids never repeat). Every
 * result is deep-frozen before the next step uses it, so a step that mutated its input would throw.
 */
export class Scenario {
  private current: EngineResult | undefined;

  constructor(
    readonly model: ProcessModel,
    readonly definitionId = `${model.id}:1:d1`,
    readonly ctx: TestContext = new TestContext(),
  ) {}

  /**
   * A scenario on another model (e.g. the target of a migration) that continues from `result`,
   * sharing this scenario's clock and ids.
   */
  continueOn(model: ProcessModel, definitionId: string, result: EngineResult): Scenario {
    return new Scenario(model, definitionId, this.ctx).apply(result);
  }

  get state(): ProcessInstanceState {
    if (this.current === undefined) throw new Error('the scenario has not started');
    return this.current.state;
  }

  get effects(): readonly EngineEffect[] {
    return this.current?.effects ?? [];
  }

  /** The tree outline of the current state (see {@link outline}). */
  get outline(): string | null {
    return outline(this.model, this.state);
  }

  get waiting(): ReturnType<typeof waitingOn> {
    return waitingOn(this.state);
  }

  start(variables: Readonly<Record<string, unknown>> = {}, businessKey: string | null = null): this {
    return this.apply(
      startInstance(
        this.model,
        { definitionId: this.definitionId, businessKey, variables: variablesOf(variables) },
        this.ctx,
      ),
    );
  }

  /** Instantiates at `instructions` instead of the start event (`startInstructions`). */
  startAt(
    instructions: readonly InstantiationInstruction[],
    options: Omit<StartInstanceCommand, 'definitionId' | 'startInstructions'> = {},
  ): this {
    return this.apply(
      startInstance(
        this.model,
        { definitionId: this.definitionId, ...options, startInstructions: instructions },
        this.ctx,
      ),
    );
  }

  /** Applies an operation to the current state and keeps its (frozen) result. */
  step(
    operation: (model: ProcessModel, state: ProcessInstanceState, ctx: EngineContext) => EngineResult,
  ): this {
    return this.apply(operation(this.model, this.state, this.ctx));
  }

  /** Sets variables from `scopeId` (default: the root), locally or with propagation. */
  setVariables(variables: Readonly<Record<string, unknown>>, scopeId?: string, local = false): this {
    return this.step((model, state, ctx) =>
      setVariables(model, state, { variables: variablesOf(variables), scopeId, local }, ctx),
    );
  }

  /** Migrates the current state from `source` to `target` with `plan`; the scenario continues there. */
  migrateTo(source: MigrationDefinition, target: MigrationDefinition, plan: MigrationPlan): Scenario {
    return this.continueOn(
      target.model,
      target.id,
      migrateInstance(source, target, plan, this.state, this.ctx),
    );
  }

  completeTask(taskDefinitionKey: string, variables: Readonly<Record<string, unknown>> = {}): this {
    const taskId = taskOf(this.state, taskDefinitionKey).id;
    return this.step((model, state, ctx) =>
      completeTask(model, state, { taskId, variables: variablesOf(variables) }, ctx),
    );
  }

  private apply(result: EngineResult): this {
    this.current = deepFreeze(result);
    return this;
  }
}
