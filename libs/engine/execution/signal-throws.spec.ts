import { parseBpmn } from '@libs/bpmn';
import {
  correlateMessage,
  correlateSignal,
  fireTimer,
  migrateInstance,
  modifyInstance,
  NullValueException,
  startInstance,
  validateMigrationPlan,
  type MigrationDefinition,
  type MigrationPlan,
  type ModificationInstruction,
} from '..';
import {
  bpmnDefinitions,
  definitionFrom,
  instanceOf,
  modelFrom,
  Scenario,
  TestContext,
} from '../testing/engine-harness';

const signals = `
  <signal id="go" name="go" /><signal id="done" name="done" />
  <message id="pay" name="pay" />`;

/** A fork: one branch waits for `go`, the other throws it and then waits for it again. */
const selfSignal = bpmnDefinitions(`${signals}
  <process id="self" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="catch" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="work" />
    <intermediateCatchEvent id="catch"><signalEventDefinition signalRef="go" /></intermediateCatchEvent>
    <sequenceFlow id="f4" sourceRef="catch" targetRef="caught" />
    <userTask id="caught" />
    <userTask id="work" />
    <sequenceFlow id="f5" sourceRef="work" targetRef="throw" />
    <intermediateThrowEvent id="throw"><signalEventDefinition signalRef="go" /></intermediateThrowEvent>
    <sequenceFlow id="f6" sourceRef="throw" targetRef="again" />
    <intermediateCatchEvent id="again"><signalEventDefinition signalRef="go" /></intermediateCatchEvent>
    <sequenceFlow id="f7" sourceRef="again" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const endSignal = bpmnDefinitions(`${signals}
  <process id="ender" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <endEvent id="end"><signalEventDefinition signalRef="done" camunda:async="true" /></endEvent>
  </process>`);

const gateway = bpmnDefinitions(`${signals}
  <process id="race" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="gw" />
    <eventBasedGateway id="gw" />
    <sequenceFlow id="f2" sourceRef="gw" targetRef="paid" />
    <sequenceFlow id="f3" sourceRef="gw" targetRef="timeout" />
    <sequenceFlow id="f4" sourceRef="gw" targetRef="cancelled" />
    <intermediateCatchEvent id="paid"><messageEventDefinition messageRef="pay" /></intermediateCatchEvent>
    <intermediateCatchEvent id="timeout">
      <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <intermediateCatchEvent id="cancelled"><signalEventDefinition signalRef="go" /></intermediateCatchEvent>
    <sequenceFlow id="f5" sourceRef="paid" targetRef="ship" />
    <sequenceFlow id="f6" sourceRef="timeout" targetRef="remind" />
    <sequenceFlow id="f7" sourceRef="cancelled" targetRef="stop" />
    <userTask id="ship" /><userTask id="remind" /><endEvent id="stop" />
  </process>`);

const messageStarts = bpmnDefinitions(`${signals}<message id="order" name="order" />
  <process id="starts" isExecutable="true">
    <startEvent id="byOrder"><messageEventDefinition messageRef="order" /></startEvent>
    <startEvent id="byPay"><messageEventDefinition messageRef="pay" /></startEvent>
    <sequenceFlow id="f1" sourceRef="byOrder" targetRef="task" />
    <sequenceFlow id="f2" sourceRef="byPay" targetRef="task" />
    <userTask id="task" />
  </process>`);

describe('signal throw events', () => {
  it('deliver to the subscriptions of their own instance that wait when the signal is thrown, not to later ones', async () => {
    const scenario = new Scenario(await modelFrom(selfSignal)).start();
    expect(scenario.outline).toBe('self:1:d1(catch, work)');

    scenario.completeTask('work');

    expect(scenario.outline).toBe('self:1:d1(again, caught)');
    expect(scenario.waiting.subscriptions).toEqual(['signal:go@again']);
    expect(scenario.effects).toContainEqual({
      type: 'signalThrown',
      processInstanceId: scenario.state.id,
      signalName: 'go',
      tenantId: null,
      async: false,
    });
  });

  it('leave an asynchronous signal for the shell to deliver, their own instance included', async () => {
    const scenario = new Scenario(await modelFrom(endSignal)).start();
    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.effects).toContainEqual(expect.objectContaining({ type: 'signalThrown', async: true }));
  });
});

describe('an event-based gateway', () => {
  it('waits in the tree with the subscriptions and timer of all its events', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    const gw = instanceOf(scenario.state, 'gw');
    expect(scenario.outline).toBe('race:1:d1(gw)');
    expect(gw.activityType).toBe('eventBasedGateway');
    expect(scenario.waiting).toMatchObject({
      subscriptions: ['message:pay@paid', 'signal:go@cancelled'],
      jobs: ['timeout'],
    });
    expect(
      [...scenario.state.eventSubscriptions, ...scenario.state.jobs].every(
        (record) => record.activityInstanceId === gw.id,
      ),
    ).toBe(true);
  });

  it('lets the first event win and removes the others', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'pay' }, ctx));
    expect(scenario.outline).toBe('race:1:d1(ship)');
    expect(scenario.waiting).toMatchObject({ subscriptions: [], jobs: [] });
    expect(scenario.effects).toContainEqual({ type: 'timerCancelled', jobId: expect.any(String) });
    expect(scenario.effects.filter((e) => e.type === 'activityStarted').map((e) => e.activityId)).toEqual([
      'paid',
      'ship',
    ]);
  });

  it('continues with the timer when it fires first', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    const [job] = scenario.state.jobs;
    scenario.step((m, s, ctx) => fireTimer(m, s, { jobId: job!.id }, ctx));
    expect(scenario.outline).toBe('race:1:d1(remind)');
    expect(scenario.waiting).toMatchObject({ subscriptions: [], jobs: [] });
    expect(scenario.effects).not.toContainEqual({ type: 'timerCancelled', jobId: job!.id });
  });

  it('continues with the signal when it arrives first', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    scenario.step((m, s, ctx) => correlateSignal(m, s, { signalName: 'go' }, ctx));
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('is refused at deployment when a flow leads elsewhere than to a catch event', async () => {
    const result = await parseBpmn(
      gateway
        .replace('<userTask id="ship" />', '<userTask id="ship" /><userTask id="other" />')
        .replace(
          'targetRef="paid" />',
          'targetRef="paid" /><sequenceFlow id="f8" sourceRef="gw" targetRef="other" />',
        ),
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain(
      'Event based gateway can only be connected to elements of type intermediateCatchEvent',
    );
  });
});

describe('process start events', () => {
  it('starts through the message start event it is told, and has no initial one with several', async () => {
    const model = await modelFrom(messageStarts);
    expect(model.startEventId).toBeNull();
    const ctx = new TestContext();
    expect(() => startInstance(model, { definitionId: 'starts:1:d1' }, ctx)).toThrow(NullValueException);
    const started = startInstance(model, { definitionId: 'starts:1:d1', startEventId: 'byPay' }, ctx);
    expect(started.effects[0]).toMatchObject({ type: 'processStarted', startActivityId: 'byPay' });
    expect(started.state.tasks.map((task) => task.taskDefinitionKey)).toEqual(['task']);
  });

  it('refuses two message start events with one message name, and a none start event beside a timer start', async () => {
    const twice = await parseBpmn(messageStarts.replace('messageRef="pay"', 'messageRef="order"'));
    expect(JSON.stringify(twice)).toContain(
      "Cannot have more than one message event subscription with name 'order'",
    );
    const timerAndNone = await parseBpmn(
      messageStarts.replace(
        '<startEvent id="byPay"><messageEventDefinition messageRef="pay" /></startEvent>',
        '<startEvent id="byPay" /><startEvent id="t"><timerEventDefinition><timeDate>2030-01-01T00:00:00Z</timeDate></timerEventDefinition></startEvent>',
      ),
    );
    expect(JSON.stringify(timerAndNone)).toContain('multiple none start events or timer start events');
  });
});

describe('modifying around an event-based gateway', () => {
  const modify = (scenario: Scenario, ...instructions: ModificationInstruction[]) =>
    scenario.step((m, s, ctx) => modifyInstance(m, s, { instructions }, ctx));

  it('starts before the gateway with all its triggers', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    modify(scenario, { type: 'startBeforeActivity', activityId: 'gw' });
    expect(scenario.outline).toBe('race:1:d1(gw, gw)');
    expect(scenario.waiting.subscriptions).toHaveLength(4);
    expect(scenario.waiting.jobs).toEqual(['timeout', 'timeout']);
  });

  it('starts before a following event: the active gateway is cancelled with its triggers and the event passes on', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    modify(scenario, { type: 'startBeforeActivity', activityId: 'timeout' });
    expect(scenario.outline).toBe('race:1:d1(remind)');
    expect(scenario.waiting).toMatchObject({ subscriptions: [], jobs: [] });
  });

  it('starts a following event concurrently when no gateway is active, and refuses an ambiguous gateway', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'pay' }, ctx));
    modify(scenario, { type: 'startBeforeActivity', activityId: 'paid' });
    expect(scenario.outline).toBe('race:1:d1(ship, ship)');

    const twice = new Scenario(await modelFrom(gateway)).start();
    modify(twice, { type: 'startBeforeActivity', activityId: 'gw' });
    expect(() => modify(twice, { type: 'startBeforeActivity', activityId: 'paid' })).toThrow(
      'Executions for activity Activity(gw) ambiguous',
    );
  });

  it('refuses to start after the gateway, which has more than one outgoing flow', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    expect(() => modify(scenario, { type: 'startAfterActivity', activityId: 'gw' })).toThrow(
      'Cannot start after activity gw; activity has more than one outgoing sequence flow',
    );
  });

  it('cancels the waiting gateway with its subscriptions and timer', async () => {
    const scenario = new Scenario(await modelFrom(gateway)).start();
    modify(scenario, { type: 'cancel', activityId: 'gw' });
    expect(scenario.state.state).not.toBe('ACTIVE');
    expect(scenario.effects).toContainEqual({ type: 'timerCancelled', jobId: expect.any(String) });
  });
});

describe('migrating an event-based gateway', () => {
  const v2Xml = gateway
    .replace('<signal id="go" name="go" />', '<signal id="go" name="go" /><signal id="halt" name="halt" />')
    .replace('<signalEventDefinition signalRef="go" />', '<signalEventDefinition signalRef="halt" />')
    .replace('id="timeout"', 'id="later"')
    .replace('targetRef="timeout"', 'targetRef="later"')
    .replace('sourceRef="timeout"', 'sourceRef="later"');
  const migrate = (
    scenario: Scenario,
    source: MigrationDefinition,
    target: MigrationDefinition,
    plan: MigrationPlan,
  ) =>
    scenario.continueOn(
      target.model,
      target.id,
      migrateInstance(source, target, plan, scenario.state, scenario.ctx),
    );
  const planOf = (
    source: MigrationDefinition,
    target: MigrationDefinition,
    instructions: MigrationPlan['instructions'],
  ): MigrationPlan => ({
    sourceProcessDefinitionId: source.id,
    targetProcessDefinitionId: target.id,
    instructions,
  });

  it("keeps the triggers of mapped events, removes unmapped ones and creates the target's new ones", async () => {
    const v1 = await definitionFrom(gateway, 1);
    const v2 = await definitionFrom(v2Xml, 2);
    const before = new Scenario(v1.model, v1.id).start();
    const message = before.state.eventSubscriptions.find((s) => s.activityId === 'paid')!;
    const after = migrate(
      before,
      v1,
      v2,
      planOf(v1, v2, [
        { sourceActivityId: 'gw', targetActivityId: 'gw' },
        { sourceActivityId: 'paid', targetActivityId: 'paid' },
        { sourceActivityId: 'cancelled', targetActivityId: 'cancelled', updateEventTrigger: true },
      ]),
    );
    const gw = instanceOf(after.state, 'gw');
    expect(after.outline).toBe('race:2:d2(gw)');
    expect(after.state.eventSubscriptions.find((s) => s.activityId === 'paid')).toEqual({
      ...message,
      activityInstanceId: gw.id,
    });
    expect(after.waiting).toMatchObject({
      subscriptions: ['message:pay@paid', 'signal:halt@cancelled'],
      jobs: ['later'],
    });
    after.step((m, s, ctx) => correlateSignal(m, s, { signalName: 'halt' }, ctx));
    expect(after.state.state).toBe('COMPLETED');
  });

  it('maps an event-based gateway only to an event-based gateway, and its events only with it', async () => {
    const v1 = await definitionFrom(gateway, 1);
    const v2 = await definitionFrom(v2Xml, 2);
    const failures = (instructions: MigrationPlan['instructions']) =>
      validateMigrationPlan(v1, v2, planOf(v1, v2, instructions)).instructionReports.flatMap(
        (report) => report.failures,
      );
    expect(failures([{ sourceActivityId: 'gw', targetActivityId: 'ship' }])).toEqual([
      'Activities have incompatible types (EventBasedGatewayActivityBehavior is not compatible with UserTaskActivityBehavior)',
    ]);
    expect(failures([{ sourceActivityId: 'paid', targetActivityId: 'paid' }])).toEqual([
      "The source activity's event scope (gw) must be mapped to the target activity's event scope (gw)",
    ]);
  });
});

describe('migrating a signal catch event', () => {
  const waiting = (signal: string) =>
    bpmnDefinitions(`<signal id="s" name="${signal}" />
      <process id="wait" isExecutable="true">
        <startEvent id="start" />
        <sequenceFlow id="f1" sourceRef="start" targetRef="catch" />
        <intermediateCatchEvent id="catch"><signalEventDefinition signalRef="s" /></intermediateCatchEvent>
        <sequenceFlow id="f2" sourceRef="catch" targetRef="end" />
        <endEvent id="end" />
      </process>`);

  it('keeps its subscription, or takes the target signal name with updateEventTrigger', async () => {
    const v1 = await definitionFrom(waiting('old'), 1);
    const v2 = await definitionFrom(waiting('new'), 2);
    const plan = (updateEventTrigger: boolean): MigrationPlan => ({
      sourceProcessDefinitionId: v1.id,
      targetProcessDefinitionId: v2.id,
      instructions: [{ sourceActivityId: 'catch', targetActivityId: 'catch', updateEventTrigger }],
    });
    for (const [update, name] of [
      [false, 'old'],
      [true, 'new'],
    ] as const) {
      const before = new Scenario(v1.model, v1.id).start();
      const [subscription] = before.state.eventSubscriptions;
      const after = before.continueOn(
        v2.model,
        v2.id,
        migrateInstance(v1, v2, plan(update), before.state, before.ctx),
      );
      expect(after.state.eventSubscriptions).toEqual([{ ...subscription, eventName: name }]);
      after.step((m, s, ctx) => correlateSignal(m, s, { signalName: name }, ctx));
      expect(after.state.state).toBe('COMPLETED');
    }
  });
});
