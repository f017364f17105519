import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import { correlateMessage, correlateSignal, fireTimer, type EngineEffect } from '..';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const engineFixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [`${e.activityId}:${e.endReason}`] : []));
const fire = (scenario: Scenario, activityId: string) => {
  const jobId = scenario.state.jobs.find((job) => job.activityId === activityId)!.id;
  return scenario.step((m, s, ctx) => fireTimer(m, s, { jobId }, ctx));
};
const message = (scenario: Scenario, messageName: string) =>
  scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName }, ctx));

describe('boundary events on a user task', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('boundary-events.bpmn'));
  });

  it('creates the triggers of every boundary event, owned by the host instance', () => {
    const scenario = new Scenario(model).start();
    const work = instanceOf(scenario.state, 'work');

    expect(scenario.outline).toBe('guarded:1:d1(work)');
    expect(scenario.waiting).toEqual({
      tasks: ['work'],
      externalTasks: [],
      subscriptions: ['message:Reminder@reminder', 'signal:Halt@halt'],
      jobs: ['deadline'],
    });
    expect(scenario.state.eventSubscriptions.every((s) => s.activityInstanceId === work.id)).toBe(true);
    expect(scenario.state.jobs[0]).toMatchObject({
      activityInstanceId: work.id,
      dueDate: new Date('2024-05-03T09:00:00.000Z'),
    });
  });

  it('cancels the task when the interrupting timer fires and continues from the boundary event', () => {
    const scenario = new Scenario(model).start();
    const jobId = scenario.state.jobs[0]!.id;

    fire(scenario, 'deadline');

    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.waiting).toEqual({ tasks: [], externalTasks: [], subscriptions: [], jobs: [] });
    expect(ended(scenario.effects)).toEqual(['work:canceled', 'deadline:completed', 'end:completed']);
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({ type: 'taskEnded', reason: 'deleted' }),
    );
    expect(scenario.effects).not.toContainEqual({ type: 'timerCancelled', jobId });
  });

  it('keeps the task when the non-interrupting message arrives and sends a token on', () => {
    const scenario = new Scenario(model).start();

    message(scenario, 'Reminder');

    expect(scenario.outline).toBe('guarded:1:d1(work)');
    expect(scenario.state.state).toBe('ACTIVE');
    expect(scenario.waiting.subscriptions).toEqual(['message:Reminder@reminder', 'signal:Halt@halt']);
    expect(scenario.waiting.jobs).toEqual(['deadline']);
    expect(ended(scenario.effects)).toEqual(['reminder:completed', 'end:completed']);

    message(scenario, 'Reminder');
    expect(scenario.outline).toBe('guarded:1:d1(work)');
  });

  it('cancels the task when the interrupting signal arrives', () => {
    const scenario = new Scenario(model).start();

    scenario.step((m, s, ctx) => correlateSignal(m, s, { signalName: 'Halt' }, ctx));

    expect(scenario.state.state).toBe('COMPLETED');
    expect(ended(scenario.effects)).toEqual(['work:canceled', 'halt:completed', 'end:completed']);
  });

  it('removes the boundary triggers when the task completes normally', () => {
    const scenario = new Scenario(model).start();
    const deadlineJob = scenario.state.jobs[0]!.id;

    scenario.completeTask('work');

    expect(scenario.effects).toContainEqual({ type: 'timerCancelled', jobId: deadlineJob });
    expect(scenario.outline).toBe('guarded:1:d1(handling(handle))');
    expect(scenario.waiting.subscriptions).toEqual(['message:Cancel@cancelled']);
    expect(scenario.waiting.jobs).toEqual(['slow']);
  });
});

describe('boundary events on a sub-process', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('boundary-events.bpmn'));
  });
  const inHandling = () => new Scenario(model).start().completeTask('work');

  it('attaches the triggers to the sub-process instance; a cycle is due at its first occurrence', () => {
    const scenario = inHandling();
    const handling = instanceOf(scenario.state, 'handling');

    expect(scenario.state.eventSubscriptions[0]!.activityInstanceId).toBe(handling.id);
    expect(scenario.state.jobs[0]).toMatchObject({
      activityInstanceId: handling.id,
      dueDate: new Date('2024-05-02T10:00:00.000Z'),
      repeat: 'R3/PT1H',
    });
  });

  it('cancels the sub-process and everything in it on the interrupting message', () => {
    const scenario = inHandling();

    message(scenario, 'Cancel');

    expect(scenario.state.state).toBe('COMPLETED');
    expect(ended(scenario.effects)).toEqual([
      'handle:canceled',
      'handling:canceled',
      'cancelled:completed',
      'end:completed',
    ]);
    expect(scenario.effects).toContainEqual(expect.objectContaining({ type: 'timerCancelled' }));
  });

  it('keeps the sub-process on the non-interrupting timer cycle, which fires R3 times', () => {
    const scenario = inHandling();

    fire(scenario, 'slow');

    expect(scenario.outline).toBe('guarded:1:d1(handling(handle))');
    expect(scenario.waiting.subscriptions).toEqual(['message:Cancel@cancelled']);
    expect(scenario.state.jobs).toEqual([
      expect.objectContaining({
        activityId: 'slow',
        activityInstanceId: instanceOf(scenario.state, 'handling').id,
        dueDate: new Date('2024-05-02T11:00:00.000Z'),
        repeat: 'R2/PT1H',
      }),
    ]);

    fire(scenario, 'slow');
    expect(scenario.state.jobs).toEqual([expect.objectContaining({ repeat: 'R1/PT1H' })]);
    fire(scenario, 'slow');
    expect(ended(scenario.effects)).toContain('slow:completed');
    expect(scenario.waiting.jobs).toEqual([]);

    scenario.completeTask('handle');
    expect(scenario.state.state).toBe('COMPLETED');
  });
});

describe('a sub-process with a boundary timer holding a parallel fork', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(engineFixture('guarded-fork.bpmn'));
  });

  it('waits in both branches with the timers of the sub-process and of one task', () => {
    const scenario = new Scenario(model).start();
    const work = instanceOf(scenario.state, 'work');
    const ship = instanceOf(scenario.state, 'ship');

    expect(scenario.outline).toBe('guardedFork:1:d1(work(pack, ship))');
    expect(scenario.waiting.jobs).toEqual(['shipReminder', 'timeout']);
    expect(scenario.state.jobs.find((j) => j.activityId === 'timeout')!.activityInstanceId).toBe(work.id);
    expect(scenario.state.jobs.find((j) => j.activityId === 'shipReminder')!.activityInstanceId).toBe(
      ship.id,
    );
  });

  it('cancels both branches when the interrupting timer fires', () => {
    const scenario = new Scenario(model).start();

    fire(scenario, 'timeout');

    expect(scenario.outline).toBe('guardedFork:1:d1(escalate)');
    expect(scenario.waiting).toEqual({ tasks: ['escalate'], externalTasks: [], subscriptions: [], jobs: [] });
    expect(ended(scenario.effects)).toEqual([
      'pack:canceled',
      'ship:canceled',
      'work:canceled',
      'timeout:completed',
    ]);
    expect(scenario.effects.filter((e) => e.type === 'timerCancelled')).toHaveLength(1);
    expect(scenario.effects.filter((e) => e.type === 'taskEnded')).toHaveLength(2);
  });

  it('starts a parallel branch inside the sub-process on the non-interrupting task timer', () => {
    const scenario = new Scenario(model).start();

    fire(scenario, 'shipReminder');
    expect(scenario.outline).toBe('guardedFork:1:d1(work(pack, remind, ship))');
    expect(scenario.waiting.jobs).toEqual(['timeout']);

    scenario.completeTask('remind');
    expect(scenario.outline).toBe('guardedFork:1:d1(work(pack, ship))');
  });

  it('runs the non-interrupting message flow beside the sub-process and finishes when both are done', () => {
    const scenario = new Scenario(model).start();

    message(scenario, 'Nudge');
    expect(scenario.outline).toBe('guardedFork:1:d1(acknowledge, work(pack, ship))');
    expect(scenario.waiting.subscriptions).toEqual(['message:Nudge@nudge']);

    scenario.completeTask('pack').completeTask('ship');
    expect(scenario.outline).toBe('guardedFork:1:d1(acknowledge)');
    expect(scenario.waiting.jobs).toEqual([]);
    expect(scenario.waiting.subscriptions).toEqual([]);

    scenario.completeTask('acknowledge');
    expect(scenario.state.state).toBe('COMPLETED');
  });
});
