import type { ProcessModel } from '@libs/bpmn';
import { completeTask, correlateMessage, correlateSignal, fireTimer, type EngineEffect } from '..';
import { bpmnDefinitions, instanceOf, modelFrom, Scenario } from '../testing/engine-harness';
import { variablesOf } from '../state/typed-value';
import {
  nestedEventSubProcesses as nested,
  processLevelEventSubProcesses as processLevel,
} from '../testing/event-models';

const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [`${e.activityId}:${e.endReason}`] : []));
const fire = (scenario: Scenario, activityId: string) => {
  const jobId = scenario.state.jobs.find((job) => job.activityId === activityId)!.id;
  return scenario.step((m, s, ctx) => fireTimer(m, s, { jobId }, ctx));
};
const message = (scenario: Scenario, messageName: string) =>
  scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName }, ctx));

describe('event sub-processes at process level', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(processLevel);
  });

  it('creates the start triggers when the instance starts, owned by the root', () => {
    const scenario = new Scenario(model).start();

    expect(scenario.outline).toBe('esp:1:d1(work)');
    expect(scenario.waiting).toEqual({
      tasks: ['work'],
      externalTasks: [],
      subscriptions: ['message:Cancel@cancelStart', 'message:Info@infoStart', 'signal:Stop@stopStart'],
      jobs: ['remindStart'],
    });
    const rootId = scenario.state.id;
    expect(scenario.state.eventSubscriptions.every((s) => s.activityInstanceId === rootId)).toBe(true);
    expect(scenario.state.jobs[0]).toMatchObject({
      activityInstanceId: rootId,
      repeat: 'R3/PT10M',
      dueDate: new Date('2024-05-02T09:10:00.000Z'),
    });
  });

  it('runs a non-interrupting one alongside and keeps its subscription', () => {
    const scenario = new Scenario(model).start();

    message(scenario, 'Info');
    expect(scenario.outline).toBe('esp:1:d1(infoEsp(readInfo), work)');
    expect(instanceOf(scenario.state, 'infoEsp').activityType).toBe('subProcess');
    expect(scenario.waiting.subscriptions).toContain('message:Info@infoStart');
    expect(ended(scenario.effects)).toEqual(['infoStart:completed']);

    message(scenario, 'Info');
    expect(scenario.outline).toBe('esp:1:d1(infoEsp(readInfo), infoEsp(readInfo), work)');

    scenario.completeTask('work');
    expect(scenario.state.state).toBe('ACTIVE');
    expect(scenario.outline).toBe('esp:1:d1(infoEsp(readInfo), infoEsp(readInfo))');
    const [first] = scenario.state.tasks;
    scenario.step((m, s, ctx) => completeTask(m, s, { taskId: first!.id }, ctx));
    scenario.step((m, s, ctx) => completeTask(m, s, { taskId: s.tasks[0]!.id }, ctx));
    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.state.eventSubscriptions).toEqual([]);
    expect(scenario.state.jobs).toEqual([]);
    expect(scenario.effects).toContainEqual(expect.objectContaining({ type: 'timerCancelled' }));
  });

  it('an interrupting one cancels the other activities and the other start triggers', () => {
    const scenario = new Scenario(model).start();
    message(scenario, 'Info');

    message(scenario, 'Cancel');

    expect(scenario.outline).toBe('esp:1:d1(cancelEsp(cleanUp))');
    expect(scenario.waiting).toEqual({
      tasks: ['cleanUp'],
      externalTasks: [],
      subscriptions: [],
      jobs: [],
    });
    expect(ended(scenario.effects)).toEqual(
      expect.arrayContaining([
        'work:canceled',
        'readInfo:canceled',
        'infoEsp:canceled',
        'cancelStart:completed',
      ]),
    );

    scenario.completeTask('cleanUp');
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('a non-interrupting timer cycle fires three times', () => {
    const scenario = new Scenario(model).start();
    scenario.ctx.advance(10 * 60_000);

    fire(scenario, 'remindStart');
    expect(scenario.outline).toBe('esp:1:d1(work)');
    expect(ended(scenario.effects)).toEqual([
      'remindStart:completed',
      'remindEnd:completed',
      'remindEsp:completed',
    ]);
    expect(scenario.state.jobs).toEqual([
      expect.objectContaining({
        activityId: 'remindStart',
        repeat: 'R2/PT10M',
        dueDate: new Date('2024-05-02T09:20:00.000Z'),
      }),
    ]);
    fire(scenario, 'remindStart');
    expect(scenario.state.jobs).toEqual([expect.objectContaining({ repeat: 'R1/PT10M' })]);
    fire(scenario, 'remindStart');
    expect(scenario.state.jobs).toEqual([]);
    expect(scenario.state.state).toBe('ACTIVE');
  });

  it('an interrupting signal start completes the instance when its sub-process ends', () => {
    const scenario = new Scenario(model).start();

    scenario.step((m, s, ctx) => correlateSignal(m, s, { signalName: 'Stop' }, ctx));

    expect(scenario.state.state).toBe('COMPLETED');
    expect(ended(scenario.effects)).toEqual([
      'work:canceled',
      'stopStart:completed',
      'stopEnd:completed',
      'stopEsp:completed',
    ]);
  });
});

describe('event sub-processes inside an embedded sub-process', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(nested);
  });

  it('creates the triggers with the sub-process instance and removes them with it', () => {
    const scenario = new Scenario(model).start();
    const sub = instanceOf(scenario.state, 'sub');
    expect(scenario.waiting.subscriptions).toEqual(['message:Abort@abortStart']);
    expect(scenario.state.jobs).toEqual([
      expect.objectContaining({ activityId: 'tickStart', activityInstanceId: sub.id }),
    ]);

    scenario.completeTask('inner');
    expect(scenario.outline).toBe('nested:1:d1(after)');
    expect(scenario.waiting).toEqual({ tasks: ['after'], externalTasks: [], subscriptions: [], jobs: [] });
  });

  it('an interrupting one replaces the sub-process content; the sub-process then leaves normally', () => {
    const scenario = new Scenario(model).start();
    message(scenario, 'Abort');
    expect(scenario.outline).toBe('nested:1:d1(sub(abortEsp(aborted)))');
    expect(scenario.state.jobs).toEqual([]);

    scenario.completeTask('aborted');
    expect(scenario.outline).toBe('nested:1:d1(after)');
  });

  it('a non-interrupting timer runs alongside and is consumed', () => {
    const scenario = new Scenario(model).start();
    fire(scenario, 'tickStart');
    expect(scenario.outline).toBe('nested:1:d1(sub(inner))');
    expect(scenario.state.jobs).toEqual([]);
    expect(ended(scenario.effects)).toEqual([
      'tickStart:completed',
      'tickEnd:completed',
      'tickEsp:completed',
    ]);
  });
});

describe('event sub-processes inside a multi-instance sub-process', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(
      bpmnDefinitions(`
  <message id="m_skip" name="Skip" />
  <error id="e_bad" errorCode="BAD" />
  <process id="multi" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="each" />
    <subProcess id="each">
      <multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
      <startEvent id="eachStart" />
      <sequenceFlow id="e1" sourceRef="eachStart" targetRef="item" />
      <userTask id="item" />
      <sequenceFlow id="e2" sourceRef="item" targetRef="check" />
      <exclusiveGateway id="check" default="e4" />
      <sequenceFlow id="e3" sourceRef="check" targetRef="bad"><conditionExpression>\${bad}</conditionExpression></sequenceFlow>
      <sequenceFlow id="e4" sourceRef="check" targetRef="eachEnd" />
      <endEvent id="bad"><errorEventDefinition errorRef="e_bad" /></endEvent>
      <endEvent id="eachEnd" />
      <subProcess id="skip" triggeredByEvent="true">
        <startEvent id="skipStart"><messageEventDefinition messageRef="m_skip" /></startEvent>
        <sequenceFlow id="s1" sourceRef="skipStart" targetRef="skipEnd" />
        <endEvent id="skipEnd" />
      </subProcess>
    </subProcess>
    <boundaryEvent id="failed" attachedToRef="each"><errorEventDefinition errorRef="e_bad" /></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="failed" targetRef="repair" />
    <userTask id="repair" />
    <sequenceFlow id="f3" sourceRef="repair" targetRef="end" />
    <sequenceFlow id="f4" sourceRef="each" targetRef="end" />
    <endEvent id="end" />
  </process>`),
    );
  });

  it('each inner instance has its own start triggers; an error leaves through the body’s boundary event', () => {
    const scenario = new Scenario(model).start();
    expect(scenario.outline).toBe('multi:1:d1(each#multiInstanceBody(each(item), each(item)))');
    const inner = scenario.state.activityInstances.filter((i) => i.activityId === 'each');
    expect(scenario.state.eventSubscriptions.map((s) => s.activityInstanceId).sort()).toEqual(
      inner.map((i) => i.id).sort(),
    );

    const subscriptionId = scenario.state.eventSubscriptions[0]!.id;
    scenario.step((m, s, ctx) => correlateMessage(m, s, { subscriptionId }, ctx));
    expect(scenario.outline).toBe('multi:1:d1(each#multiInstanceBody(each(item)))');

    const [task] = scenario.state.tasks;
    scenario.step((m, s, ctx) =>
      completeTask(m, s, { taskId: task!.id, variables: variablesOf({ bad: true }) }, ctx),
    );
    expect(scenario.outline).toBe('multi:1:d1(repair)');
    expect(scenario.state.eventSubscriptions).toEqual([]);
  });
});
