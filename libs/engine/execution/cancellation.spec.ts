import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  cancelActivityInstance,
  cancelInstance,
  NotFoundException,
  NotValidException,
  type EngineEffect,
} from '..';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const engineFixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [`${e.activityId}:${e.endReason}`] : []));
const cancel = (scenario: Scenario, activityId: string) => {
  const activityInstanceId = instanceOf(scenario.state, activityId).id;
  return scenario.step((m, s, ctx) => cancelActivityInstance(m, s, { activityInstanceId }, ctx));
};

describe('cancelling an activity instance', () => {
  let parallel: ProcessModel;
  let nested: ProcessModel;
  let guarded: ProcessModel;
  beforeAll(async () => {
    parallel = await modelFrom(bpmnFixture('parallel-gateway.bpmn'));
    nested = await modelFrom(bpmnFixture('nested-sub-processes.bpmn'));
    guarded = await modelFrom(engineFixture('guarded-fork.bpmn'));
  });

  it('cancels only that instance when its scope keeps other children', () => {
    const scenario = cancel(new Scenario(parallel).start(), 'taskA');

    expect(scenario.outline).toBe('fork:1:d1(taskB)');
    expect(scenario.state.state).toBe('ACTIVE');
    expect(ended(scenario.effects)).toEqual(['taskA:canceled']);
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({ type: 'taskEnded', reason: 'deleted' }),
    );
  });

  it('propagates upward through scopes left empty and ends the instance when nothing is left', () => {
    const scenario = cancel(new Scenario(nested).start(), 'work');

    expect(ended(scenario.effects)).toEqual(['work:canceled', 'inner:canceled', 'outer:canceled']);
    expect(scenario.state).toMatchObject({
      state: 'EXTERNALLY_TERMINATED',
      activityInstances: [],
      tasks: [],
    });
    expect(scenario.effects.at(-1)).toMatchObject({ type: 'processEnded', state: 'EXTERNALLY_TERMINATED' });
  });

  it('keeps a sub-process that still has another branch, with its boundary triggers', () => {
    const scenario = cancel(new Scenario(guarded).start(), 'pack');

    expect(scenario.outline).toBe('guardedFork:1:d1(work(ship))');
    expect(scenario.waiting.jobs).toEqual(['shipReminder', 'timeout']);
  });

  it('cancels a scope instance together with everything inside it', () => {
    const scenario = cancel(new Scenario(guarded).start(), 'work');

    expect(ended(scenario.effects)).toEqual(['pack:canceled', 'ship:canceled', 'work:canceled']);
    expect(scenario.effects.filter((e) => e.type === 'timerCancelled')).toHaveLength(2);
    expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
  });

  it('lets a waiting inclusive join fire once the branch it waited for is cancelled', async () => {
    const inclusive = await modelFrom(bpmnFixture('inclusive-gateway.bpmn'));
    const scenario = new Scenario(inclusive).start({ insurance: true, gift: true }).completeTask('insurance');

    cancel(scenario, 'gift');

    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('names an unknown activity instance like Camunda', () => {
    const scenario = new Scenario(parallel).start();

    expect(() =>
      scenario.step((m, s, ctx) => cancelActivityInstance(m, s, { activityInstanceId: 'taskA:0' }, ctx)),
    ).toThrow(new NotValidException("Activity instance 'taskA:0' does not exist: activityInstance is null"));
  });
});

describe('cancelling the process instance', () => {
  it('cancels everything, keeps the process variables and records the delete reason', async () => {
    const model = await modelFrom(engineFixture('guarded-fork.bpmn'));
    const scenario = new Scenario(model).start({ order: 7 });

    scenario.step((m, s, ctx) => cancelInstance(m, s, { deleteReason: 'duplicate' }, ctx));

    expect(scenario.state).toMatchObject({ state: 'EXTERNALLY_TERMINATED', endTime: scenario.ctx.now });
    expect(scenario.waiting).toEqual({ tasks: [], externalTasks: [], subscriptions: [], jobs: [] });
    expect(scenario.state.variables.map((v) => v.name)).toEqual(['order']);
    expect(ended(scenario.effects)).toEqual(['pack:canceled', 'ship:canceled', 'work:canceled']);
    expect(scenario.effects.at(-1)).toEqual({
      type: 'processEnded',
      processInstanceId: scenario.state.id,
      state: 'EXTERNALLY_TERMINATED',
      deleteReason: 'duplicate',
      time: scenario.ctx.now,
    });
    expect(() => scenario.step((m, s, ctx) => cancelInstance(m, s, {}, ctx))).toThrow(
      new NotFoundException(`Process instance with id ${scenario.state.id} does not exist`),
    );
  });
});
