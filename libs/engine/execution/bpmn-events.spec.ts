import type { ProcessModel } from '@libs/bpmn';
import {
  catchCalledError,
  endUncaughtError,
  handleExternalTaskBpmnError,
  type EngineEffect,
  type ProcessInstanceState,
} from '..';
import { bpmnDefinitions, modelFrom, Scenario } from '../testing/engine-harness';
import { variablesOf } from '../state/typed-value';

const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [`${e.activityId}:${e.endReason}`] : []));
const processVariables = (state: ProcessInstanceState) =>
  Object.fromEntries(
    state.variables.filter((v) => v.scopeId === state.id).map((v) => [v.name, v.value.value]),
  );
/** Reports a BPMN error for the one external task of `activityId`, locked by worker `w`. */
const bpmnError = (scenario: Scenario, activityId: string, errorCode: string, variables = {}) =>
  scenario.step((m, s, ctx) => {
    const locked = { ...s, externalTasks: s.externalTasks.map((task) => ({ ...task, workerId: 'w' })) };
    const task = locked.externalTasks.find((t) => t.activityId === activityId)!;
    return handleExternalTaskBpmnError(
      m,
      locked,
      {
        externalTaskId: task.id,
        workerId: 'w',
        errorCode,
        errorMessage: 'failed',
        variables: variablesOf(variables),
      },
      ctx,
    );
  });

const errorEnd = bpmnDefinitions(`
  <error id="e1" errorCode="E1" camunda:errorMessage="Boom \${item}" />
  <process id="errorEnd" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="inner" />
      <userTask id="inner" />
      <sequenceFlow id="s2" sourceRef="inner" targetRef="fail" />
      <endEvent id="fail"><errorEventDefinition errorRef="e1" /></endEvent>
    </subProcess>
    <boundaryEvent id="caught" attachedToRef="sub">
      <errorEventDefinition errorRef="e1" camunda:errorCodeVariable="code" camunda:errorMessageVariable="msg" />
    </boundaryEvent>
    <sequenceFlow id="f2" sourceRef="caught" targetRef="handle" />
    <userTask id="handle" />
    <sequenceFlow id="f3" sourceRef="handle" targetRef="end" />
    <sequenceFlow id="f4" sourceRef="sub" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const precedence = bpmnDefinitions(`
  <error id="a" errorCode="A" />
  <error id="b" errorCode="B" />
  <process id="precedence" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="work" />
      <serviceTask id="work" camunda:type="external" camunda:topic="work" />
      <sequenceFlow id="s2" sourceRef="work" targetRef="subEnd" />
      <endEvent id="subEnd" />
      <boundaryEvent id="onB" attachedToRef="work"><errorEventDefinition errorRef="b" /></boundaryEvent>
      <sequenceFlow id="s3" sourceRef="onB" targetRef="taskB" />
      <userTask id="taskB" />
      <subProcess id="espAll" triggeredByEvent="true">
        <startEvent id="espAllStart"><errorEventDefinition camunda:errorCodeVariable="code" /></startEvent>
        <sequenceFlow id="e1" sourceRef="espAllStart" targetRef="espTask" />
        <userTask id="espTask" />
        <sequenceFlow id="e2" sourceRef="espTask" targetRef="rethrow" />
        <endEvent id="rethrow"><errorEventDefinition errorRef="a" /></endEvent>
      </subProcess>
    </subProcess>
    <boundaryEvent id="onA" attachedToRef="sub"><errorEventDefinition errorRef="a" /></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="onA" targetRef="boundaryTask" />
    <userTask id="boundaryTask" />
    <sequenceFlow id="f3" sourceRef="sub" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const uncaught = bpmnDefinitions(`
  <error id="x" errorCode="X" />
  <process id="uncaught" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="work" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="fail" />
    <serviceTask id="work" camunda:type="external" camunda:topic="work" />
    <sequenceFlow id="f4" sourceRef="work" targetRef="after" />
    <userTask id="after" />
    <endEvent id="fail"><errorEventDefinition errorRef="x" /></endEvent>
  </process>`);

const escalations = bpmnDefinitions(`
  <escalation id="esc" escalationCode="ESC" />
  <escalation id="nope" escalationCode="NOPE" />
  <escalation id="done" escalationCode="DONE" />
  <process id="escalations" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="raise" />
      <intermediateThrowEvent id="raise"><escalationEventDefinition escalationRef="esc" /></intermediateThrowEvent>
      <sequenceFlow id="s2" sourceRef="raise" targetRef="shout" />
      <intermediateThrowEvent id="shout"><escalationEventDefinition escalationRef="nope" /></intermediateThrowEvent>
      <sequenceFlow id="s3" sourceRef="shout" targetRef="afterThrow" />
      <userTask id="afterThrow" />
      <sequenceFlow id="s4" sourceRef="afterThrow" targetRef="finish" />
      <endEvent id="finish"><escalationEventDefinition escalationRef="done" /></endEvent>
      <subProcess id="onDone" triggeredByEvent="true">
        <startEvent id="onDoneStart"><escalationEventDefinition escalationRef="done" /></startEvent>
        <sequenceFlow id="d1" sourceRef="onDoneStart" targetRef="wrapUp" />
        <userTask id="wrapUp" />
        <sequenceFlow id="d2" sourceRef="wrapUp" targetRef="onDoneEnd" />
        <endEvent id="onDoneEnd" />
      </subProcess>
    </subProcess>
    <boundaryEvent id="noticed" attachedToRef="sub" cancelActivity="false">
      <escalationEventDefinition escalationRef="esc" camunda:escalationCodeVariable="escCode" />
    </boundaryEvent>
    <sequenceFlow id="f2" sourceRef="noticed" targetRef="escHandled" />
    <userTask id="escHandled" />
    <sequenceFlow id="f3" sourceRef="sub" targetRef="end" />
    <endEvent id="end" />
  </process>`);

describe('BPMN errors', () => {
  let models: Record<string, ProcessModel>;
  beforeAll(async () => {
    models = {
      errorEnd: await modelFrom(errorEnd),
      precedence: await modelFrom(precedence),
      uncaught: await modelFrom(uncaught),
    };
  });

  it('an error end event is caught by the boundary event of the enclosing sub-process', () => {
    const scenario = new Scenario(models.errorEnd!).start({ item: 'pen' });
    scenario.completeTask('inner');

    expect(scenario.outline).toBe('errorEnd:1:d1(handle)');
    expect(ended(scenario.effects)).toEqual([
      'inner:completed',
      'fail:completed',
      'sub:canceled',
      'caught:completed',
    ]);
    expect(processVariables(scenario.state)).toEqual({ item: 'pen', code: 'E1', msg: 'Boom pen' });
  });

  it('a boundary event on the task catches its own code; the event sub-process wins over the sub-process boundary', () => {
    const onTask = new Scenario(models.precedence!).start();
    bpmnError(onTask, 'work', 'B', { reason: 'bad' });
    expect(onTask.outline).toBe('precedence:1:d1(sub(taskB))');
    expect(processVariables(onTask.state)).toEqual({ reason: 'bad' });

    const onSub = new Scenario(models.precedence!).start();
    bpmnError(onSub, 'work', 'A');
    expect(onSub.outline).toBe('precedence:1:d1(sub(espAll(espTask)))');
    expect(onSub.state.externalTasks).toEqual([]);
    expect(processVariables(onSub.state)).toEqual({ code: 'A' });
  });

  it('an error thrown inside an error event sub-process goes past it to the next catcher', () => {
    const scenario = new Scenario(models.precedence!).start();
    bpmnError(scenario, 'work', 'Z');
    expect(scenario.outline).toBe('precedence:1:d1(sub(espAll(espTask)))');

    scenario.completeTask('espTask');
    expect(scenario.outline).toBe('precedence:1:d1(boundaryTask)');
  });

  it('an uncaught error ends its token like a none end event; an uncaught bpmnError ends the task', () => {
    const scenario = new Scenario(models.uncaught!).start();
    expect(scenario.outline).toBe('uncaught:1:d1(work)');
    expect(scenario.state.state).toBe('ACTIVE');

    bpmnError(scenario, 'work', 'X');
    expect(scenario.state.state).toBe('COMPLETED');
    expect(ended(scenario.effects)).toEqual(['work:completed']);
  });

  it('in a called instance, an uncaught error waits for the caller; the shell ends it if nobody catches', () => {
    const model = models.uncaught!;
    const base = new Scenario(model);
    const links = {
      superProcessInstanceId: 'p',
      superActivityInstanceId: 'call:1',
      rootProcessInstanceId: 'p',
    };
    const called = base.continueOn(model, base.definitionId, startCalled(model, base.ctx, links));
    const origins = () =>
      called.effects.flatMap((e) => (e.type === 'bpmnErrorEscaped' ? [e.origin.activityInstanceId] : []));
    expect(called.outline).toBe('uncaught:1:d1(fail, work)');
    const [fromEnd] = origins();
    bpmnError(called, 'work', 'X', { out: 1 });
    expect(called.effects.find((e) => e.type === 'bpmnErrorEscaped')).toMatchObject({
      errorCode: 'X',
      errorMessage: 'failed',
      variables: { out: { type: 'Integer', value: 1 } },
    });
    expect(called.outline).toBe('uncaught:1:d1(fail, work)');
    const [fromTask] = origins();

    for (const activityInstanceId of [fromEnd!, fromTask!]) {
      called.step((m, s, ctx) => endUncaughtError(m, s, { activityInstanceId }, ctx));
    }
    expect(called.state.state).toBe('COMPLETED');
  });

  it('a caller that no longer waits in the call activity reports the error uncaught', () => {
    const caller = new Scenario(models.errorEnd!).start();
    const inner = caller.state.activityInstances.find((i) => i.activityId === 'inner')!;
    caller.step((m, s, ctx) =>
      catchCalledError(
        m,
        s,
        {
          activityInstanceId: inner.id,
          errorCode: 'E1',
          errorMessage: null,
          origin: { processInstanceId: 'c', activityInstanceId: 'x' },
          calledVariables: {},
        },
        ctx,
      ),
    );
    // `inner` is no call activity: nothing waits for the error here, so it counts as uncaught.
    expect(caller.effects).toEqual([
      { type: 'bpmnErrorUncaught', origin: { processInstanceId: 'c', activityInstanceId: 'x' } },
    ]);
  });
});

describe('escalations', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(escalations);
  });

  it('a non-interrupting boundary catches; an uncaught escalation passes; an interrupting event sub-process ends the rest', () => {
    const scenario = new Scenario(model).start();

    expect(scenario.outline).toBe('escalations:1:d1(escHandled, sub(afterThrow))');
    expect(processVariables(scenario.state)).toEqual({ escCode: 'ESC' });

    scenario.completeTask('afterThrow');
    expect(scenario.outline).toBe('escalations:1:d1(escHandled, sub(onDone(wrapUp)))');
    scenario.completeTask('wrapUp');
    expect(scenario.outline).toBe('escalations:1:d1(escHandled)');
    scenario.completeTask('escHandled');
    expect(scenario.state.state).toBe('COMPLETED');
  });
});

import { startInstance, type CallLinks, type EngineContext } from '..';
function startCalled(model: ProcessModel, ctx: EngineContext, callLinks: CallLinks) {
  return startInstance(model, { definitionId: `${model.id}:1:d1`, callLinks }, ctx);
}
