import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  BadUserRequestException,
  completeLockedExternalTask,
  handleExternalTaskFailure,
  NotFoundException,
  setSuspension,
  SuspendedEntityInteractionException,
  unlockExternalTask,
  variablesOf,
  visibleVariables,
  type ProcessInstanceState,
} from '..';
import { modelFrom, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const LOCK_END = new Date('2024-05-02T09:05:00.000Z');

/** What fetch-and-lock does in the shell: the external task of `activityId` locked for `workerId`. */
function lockedBy(state: ProcessInstanceState, workerId: string): ProcessInstanceState {
  return {
    ...state,
    externalTasks: state.externalTasks.map((task) => ({ ...task, workerId, lockExpirationTime: LOCK_END })),
  };
}

describe('external task handling', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('tasks.bpmn'));
  });
  /** Waits at the `charge` external task, locked by worker w1. */
  const locked = () =>
    new Scenario(model).start().step((_m, s) => ({ state: lockedBy(s, 'w1'), effects: [] }));
  const chargeId = (scenario: Scenario) => scenario.state.externalTasks[0]!.id;

  it('completes the task for the worker holding its lock and moves on', () => {
    const scenario = locked();
    const id = chargeId(scenario);
    scenario.step((m, s, ctx) =>
      completeLockedExternalTask(
        m,
        s,
        { externalTaskId: id, workerId: 'w1', variables: variablesOf({ paid: true }) },
        ctx,
      ),
    );
    expect(scenario.outline).toBe('invoice:1:d1(decide)');
    expect(visibleVariables(scenario.state, scenario.state.id)).toEqual({
      paid: { type: 'Boolean', value: true },
    });
  });

  it('refuses another worker and an unlocked task with Camunda’s messages', () => {
    const scenario = locked();
    const id = chargeId(scenario);
    expect(() =>
      completeLockedExternalTask(model, scenario.state, { externalTaskId: id, workerId: 'w2' }, scenario.ctx),
    ).toThrow(
      new BadUserRequestException(
        `External Task ${id} cannot be completed by worker 'w2'. It is locked by worker 'w1'.`,
      ),
    );
    scenario.step((m, s, ctx) => unlockExternalTask(m, s, { externalTaskId: id }, ctx));
    expect(scenario.state.externalTasks[0]).toMatchObject({ workerId: null, lockExpirationTime: null });
    expect(() =>
      handleExternalTaskFailure(
        model,
        scenario.state,
        { externalTaskId: id, workerId: 'w1', errorMessage: 'x', retries: 1, retryTimeout: 0 },
        scenario.ctx,
      ),
    ).toThrow(
      `Failure of External Task ${id} cannot be reported by worker 'w1'. It is locked by worker 'null'.`,
    );
  });

  it('records a failure: retries, error message and a lock that ends after the retry timeout', () => {
    const scenario = locked();
    const id = chargeId(scenario);
    scenario.step((m, s, ctx) =>
      handleExternalTaskFailure(
        m,
        s,
        {
          externalTaskId: id,
          workerId: 'w1',
          errorMessage: 'x'.repeat(700),
          retries: 2,
          retryTimeout: 30_000,
          variables: variablesOf({ attempts: 1 }),
        },
        ctx,
      ),
    );
    expect(scenario.state.externalTasks[0]).toMatchObject({
      workerId: 'w1',
      retries: 2,
      errorMessage: 'x'.repeat(666),
      lockExpirationTime: new Date(scenario.ctx.now.getTime() + 30_000),
    });
    expect(scenario.outline).toBe('invoice:1:d1(charge)');
    expect(visibleVariables(scenario.state, scenario.state.id)).toEqual({
      attempts: { type: 'Integer', value: 1 },
    });
  });

  it('refuses unknown tasks and tasks of suspended instances', () => {
    const scenario = locked();
    const id = chargeId(scenario);
    expect(() =>
      completeLockedExternalTask(
        model,
        scenario.state,
        { externalTaskId: 'nope', workerId: 'w1' },
        scenario.ctx,
      ),
    ).toThrow(new NotFoundException('Cannot find external task with id nope: externalTask is null'));
    scenario.step((m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx));
    expect(() =>
      completeLockedExternalTask(model, scenario.state, { externalTaskId: id, workerId: 'w1' }, scenario.ctx),
    ).toThrow(SuspendedEntityInteractionException);
  });
});

describe('external task priority', () => {
  const processWith = (taskPriority: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
  <process id="prioritized" isExecutable="true" camunda:taskPriority="\${base + 1}">
    <startEvent id="start" />
    <parallelGateway id="fork" />
    <serviceTask id="own" camunda:type="external" camunda:topic="a"${taskPriority} />
    <serviceTask id="inherited" camunda:type="external" camunda:topic="b" />
    <sequenceFlow id="f0" sourceRef="start" targetRef="fork" />
    <sequenceFlow id="f1" sourceRef="fork" targetRef="own" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="inherited" />
  </process>
</definitions>`;

  it("takes the task's own camunda:taskPriority, else the process's default (expressions allowed)", async () => {
    const model = await modelFrom(processWith(' camunda:taskPriority="7"'));
    const { state } = new Scenario(model).start({ base: 40 });
    const priorities = Object.fromEntries(
      state.externalTasks.map((task) => [task.activityId, task.priority]),
    );
    expect(priorities).toEqual({ own: 7, inherited: 41 });
  });
});
