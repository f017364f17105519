import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  completeExternalTask,
  correlateMessage,
  correlateSignal,
  fireTimer,
  MismatchingMessageCorrelationException,
  NotFoundException,
  setSuspension,
  SuspendedEntityInteractionException,
  variablesOf,
} from '..';
import { modelFrom, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');

describe('a receive task', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('receive-task.bpmn'));
  });

  it('waits on a message subscription owned by the receive-task instance', () => {
    const scenario = new Scenario(model).start();
    const waiting = scenario.state.activityInstances.find((i) => i.activityId === 'waitForPayment')!;

    expect(scenario.outline).toBe('payment:1:d1(waitForPayment)');
    expect(waiting.activityType).toBe('receiveTask');
    expect(scenario.state.eventSubscriptions).toEqual([
      {
        id: expect.any(String),
        type: 'message',
        eventName: 'PaymentReceived',
        activityId: 'waitForPayment',
        activityInstanceId: waiting.id,
        executionId: waiting.executionId,
        created: scenario.ctx.now,
      },
    ]);
  });

  it('continues when the message is correlated by name, with the message variables', () => {
    const scenario = new Scenario(model).start();

    scenario.step((m, state, ctx) =>
      correlateMessage(
        m,
        state,
        { messageName: 'PaymentReceived', variables: variablesOf({ paid: 42 }) },
        ctx,
      ),
    );

    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.state.eventSubscriptions).toEqual([]);
    expect(scenario.state.variables.map((v) => [v.name, v.value])).toEqual([
      ['paid', { type: 'Integer', value: 42 }],
    ]);
  });

  it('continues when the message is correlated by subscription id', () => {
    const scenario = new Scenario(model).start();
    const subscriptionId = scenario.state.eventSubscriptions[0]!.id;

    scenario.step((m, state, ctx) => correlateMessage(m, state, { subscriptionId }, ctx));

    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('refuses a message nobody waits for, an unknown subscription, and a suspended instance', () => {
    const scenario = new Scenario(model).start();
    const subscriptionId = scenario.state.eventSubscriptions[0]!.id;

    expect(() => scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Other' }, ctx))).toThrow(
      new MismatchingMessageCorrelationException(
        "Cannot correlate message 'Other': No process definition or execution matches the parameters",
      ),
    );
    expect(() => scenario.step((m, s, ctx) => correlateMessage(m, s, { subscriptionId: 'x' }, ctx))).toThrow(
      NotFoundException,
    );

    scenario.step((m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx));
    expect(() => scenario.step((m, s, ctx) => correlateMessage(m, s, { subscriptionId }, ctx))).toThrow(
      SuspendedEntityInteractionException,
    );
    expect(() =>
      scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'PaymentReceived' }, ctx)),
    ).toThrow(MismatchingMessageCorrelationException);
    expect(scenario.outline).toBe('payment:1:d1(waitForPayment)');
  });
});

describe('external tasks', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('tasks.bpmn'));
  });

  const complete = (scenario: Scenario, activityId: string, variables: Record<string, unknown> = {}) => {
    const externalTaskId = scenario.state.externalTasks.find((t) => t.activityId === activityId)!.id;
    return scenario.step((m, s, ctx) =>
      completeExternalTask(m, s, { externalTaskId, variables: variablesOf(variables) }, ctx),
    );
  };

  it('creates an external task with its topic and priority and waits', () => {
    const scenario = new Scenario(model).start();
    const charge = scenario.state.activityInstances.find((i) => i.activityId === 'charge')!;

    expect(scenario.outline).toBe('invoice:1:d1(charge)');
    expect(charge.activityType).toBe('serviceTask');
    expect(scenario.state.externalTasks).toEqual([
      {
        id: expect.any(String),
        activityInstanceId: charge.id,
        executionId: charge.executionId,
        activityId: 'charge',
        topicName: 'charge-card',
        priority: 7,
        workerId: null,
        lockExpirationTime: null,
        retries: null,
        errorMessage: null,
        created: scenario.ctx.now,
      },
    ]);
    expect(scenario.effects.at(-1)).toEqual({
      type: 'externalTaskCreated',
      externalTaskId: scenario.state.externalTasks[0]!.id,
      topicName: 'charge-card',
      time: scenario.ctx.now,
    });
  });

  it('moves to the next external task on completion and passes through the plain tasks to the end', () => {
    const scenario = new Scenario(model).start();

    complete(scenario, 'charge', { charged: true });
    expect(scenario.outline).toBe('invoice:1:d1(decide)');
    expect(scenario.waiting.externalTasks).toEqual(['decide']);
    expect(scenario.state.externalTasks[0]).toMatchObject({ topicName: 'decide', priority: 0 });

    complete(scenario, 'decide');
    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.effects.filter((e) => e.type === 'activityStarted').map((e) => e.activityType)).toEqual([
      'serviceTask',
      'sendTask',
      'scriptTask',
      'manualTask',
      'task',
      'noneEndEvent',
    ]);
  });

  it('refuses to complete an unknown external task', () => {
    const scenario = new Scenario(model).start();

    expect(() =>
      scenario.step((m, s, ctx) => completeExternalTask(m, s, { externalTaskId: 'gone' }, ctx)),
    ).toThrow(new NotFoundException('Cannot find external task with id gone: externalTask is null'));
  });
});

describe('intermediate catch events', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('catch-events.bpmn'));
  });

  it('waits on a timer due after its duration and continues when it fires', () => {
    const scenario = new Scenario(model).start({ cycle: 'R3/PT10M' });
    const job = scenario.state.jobs[0]!;

    expect(scenario.outline).toBe('waiting:1:d1(wait)');
    expect(scenario.state.activityInstances[1]!.activityType).toBe('intermediateTimer');
    expect(job).toMatchObject({
      type: 'timer',
      activityId: 'wait',
      activityInstanceId: scenario.state.activityInstances[1]!.id,
      dueDate: new Date('2024-05-02T10:00:00.000Z'),
      repeat: null,
      retries: 3,
    });
    expect(scenario.effects).toContainEqual({ type: 'timerScheduled', jobId: job.id, dueDate: job.dueDate });

    scenario.step((m, s, ctx) => fireTimer(m, s, { jobId: job.id }, ctx));

    expect(scenario.outline).toBe('waiting:1:d1(approved)');
    expect(scenario.state.jobs).toEqual([]);
    expect(scenario.waiting.subscriptions).toEqual(['message:OrderApproved@approved']);
  });

  it('runs through message, signal, date and cycle waits to the end', () => {
    const scenario = new Scenario(model).start({ cycle: 'R3/PT10M' });
    const fire = () => scenario.step((m, s, ctx) => fireTimer(m, s, { jobId: s.jobs[0]!.id }, ctx));

    fire();
    scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'OrderApproved' }, ctx));
    expect(scenario.outline).toBe('waiting:1:d1(stopped)');
    expect(scenario.waiting.subscriptions).toEqual(['signal:StopAll@stopped']);

    scenario.step((m, s, ctx) => correlateSignal(m, s, { signalName: 'StopAll' }, ctx));
    expect(scenario.outline).toBe('waiting:1:d1(newYear)');
    expect(scenario.state.jobs[0]!.dueDate).toEqual(new Date('2030-01-01T00:00:00.000Z'));

    scenario.ctx.advance(5_000);
    fire();
    expect(scenario.outline).toBe('waiting:1:d1(daily)');
    expect(scenario.state.jobs[0]).toMatchObject({
      dueDate: new Date('2024-05-02T09:10:05.000Z'),
      repeat: 'R3/PT10M',
    });

    fire();
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('ignores a signal nobody waits for', () => {
    const scenario = new Scenario(model).start({ cycle: 'R3/PT10M' });
    const before = scenario.state;

    scenario.step((m, s, ctx) => correlateSignal(m, s, { signalName: 'StopAll' }, ctx));

    expect(scenario.state).toEqual(before);
    expect(scenario.effects).toEqual([]);
  });

  it('refuses to fire an unknown job', () => {
    const scenario = new Scenario(model).start({ cycle: 'R3/PT10M' });

    expect(() => scenario.step((m, s, ctx) => fireTimer(m, s, { jobId: 'none' }, ctx))).toThrow(
      new NotFoundException("No job found with id 'none'"),
    );
  });
});
