import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import { ProcessEngineException } from '..';
import { modelFrom, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const engineFixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

const run = (model: ProcessModel, variables: Record<string, unknown> = {}) =>
  new Scenario(model).start(variables);

describe('the exclusive gateway', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('exclusive-gateway.bpmn'));
  });

  it('takes the first flow whose condition holds', () => {
    const scenario = run(model, { amount: 5000, status: 'gold' });

    expect(scenario.outline).toBe('routing:1:d1(review)');
    expect(scenario.waiting.tasks).toEqual(['review']);
  });

  it('evaluates the conditions in document order and takes a later one that holds', () => {
    expect(run(model, { amount: 200, status: 'gold' }).outline).toBe('routing:1:d1(review)');
  });

  it('takes the default flow when no condition holds', () => {
    const scenario = run(model, { amount: 10, status: 'silver' });

    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.outline).toBeNull();
    expect(scenario.effects.filter((e) => e.type === 'activityStarted').map((e) => e.activityId)).toEqual([
      'start',
      'amountCheck',
      'end',
    ]);
  });

  it('fails with ENGINE-02004 when nothing can be selected at start', async () => {
    const noDefault = await modelFrom(
      bpmnFixture('exclusive-gateway.bpmn')
        .replace(' default="standard"', '')
        .replace(
          '<sequenceFlow id="standard" sourceRef="amountCheck" targetRef="end" />',
          '<sequenceFlow id="standard" sourceRef="amountCheck" targetRef="end"><conditionExpression>${amount &lt; 0}</conditionExpression></sequenceFlow>',
        ),
    );

    expect(() => run(noDefault, { amount: 10, status: 'silver' })).toThrow(
      new ProcessEngineException(
        "ENGINE-02004 No outgoing sequence flow for the element with id 'amountCheck' could be selected for continuing the process.",
      ),
    );
  });

  it('fails with ENGINE-02004 on completion and leaves the state unchanged', async () => {
    const noDefault = await modelFrom(
      engineFixture('variable-scopes.bpmn')
        .replace(' default="rejected"', '')
        .replace(
          '<bpmn:sequenceFlow id="rejected" sourceRef="route" targetRef="rework" />',
          '<bpmn:sequenceFlow id="rejected" sourceRef="route" targetRef="rework"><bpmn:conditionExpression>${verdict == \'no\'}</bpmn:conditionExpression></bpmn:sequenceFlow>',
        ),
    );
    const scenario = run(noDefault, { reviewer: 'kim', deadline: null, urgency: null });
    const before = scenario.state;
    const snapshot = JSON.stringify(before);

    expect(() => scenario.completeTask('check', { verdict: 'maybe' })).toThrow(
      "ENGINE-02004 No outgoing sequence flow for the element with id 'route' could be selected",
    );
    expect(scenario.state).toBe(before);
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(scenario.outline).toBe('scopes:1:d1(review(check))');
    expect(scenario.waiting.tasks).toEqual(['check']);
  });

  it('fails like Camunda when a condition names an unknown variable', () => {
    const attempt = () => run(model, { status: 'gold' });

    expect(attempt).toThrow(ProcessEngineException);
    expect(attempt).toThrow(
      "Unknown property used in expression: ${amount > 1000}. Cause: Cannot resolve identifier 'amount'",
    );
  });
});

describe('conditional flows leaving a task', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(engineFixture('conditional-fork.bpmn'));
  });

  it('takes every unconditional flow and every flow whose condition holds', () => {
    expect(run(model, { rush: true }).outline).toBe('conditionalFork:1:d1(expedite, notify)');
    expect(run(model, { rush: false }).outline).toBe('conditionalFork:1:d1(notify)');
  });

  it('ends a token at an activity without outgoing flows', () => {
    const scenario = run(model, { rush: true, late: true }).completeTask('expedite');

    expect(scenario.outline).toBe('conditionalFork:1:d1(notify)');
    expect(scenario.completeTask('notify').state.state).toBe('COMPLETED');
  });

  it('fails with ENGINE-02006 when no conditional flow can be taken', () => {
    const scenario = run(model, { rush: false, late: false });

    expect(() => scenario.completeTask('notify')).toThrow(
      new ProcessEngineException(
        "ENGINE-02006 No conditional sequence flow leaving the Flow Node 'gate' could be selected for continuing the process.",
      ),
    );
  });
});

describe('the parallel gateway', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('parallel-gateway.bpmn'));
  });

  it('forks into every outgoing flow', () => {
    const scenario = run(model);

    expect(scenario.outline).toBe('fork:1:d1(taskA, taskB)');
    expect(scenario.waiting.tasks).toEqual(['taskA', 'taskB']);
  });

  it('waits at the parallel join until both branches arrive', () => {
    const scenario = run(model).completeTask('taskA');

    expect(scenario.outline).toBe('fork:1:d1(join, taskB)');
    expect(scenario.waiting.tasks).toEqual(['taskB']);
    expect(scenario.state.activityInstances.find((i) => i.activityId === 'join')?.activityType).toBe(
      'parallelGateway',
    );

    scenario.completeTask('taskB');
    expect(scenario.state.state).toBe('COMPLETED');
    expect(scenario.effects.filter((e) => e.type === 'activityEnded').map((e) => e.activityId)).toEqual([
      'taskB',
      'join',
      'join',
      'end',
    ]);
  });

  it('joins in either order', () => {
    const scenario = run(model).completeTask('taskB');

    expect(scenario.outline).toBe('fork:1:d1(join, taskA)');
    expect(scenario.completeTask('taskA').state.state).toBe('COMPLETED');
  });
});

describe('the inclusive gateway', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('inclusive-gateway.bpmn'));
  });

  it('forks into every flow whose condition holds', () => {
    expect(run(model, { insurance: true, gift: true }).outline).toBe('options:1:d1(gift, insurance)');
    expect(run(model, { insurance: false, gift: true }).outline).toBe('options:1:d1(gift)');
  });

  it('takes the default flow when no condition holds, and the join lets the lone token pass', () => {
    expect(run(model, { insurance: false, gift: false }).state.state).toBe('COMPLETED');
  });

  it('waits at the join while another taken branch can still arrive', () => {
    const scenario = run(model, { insurance: true, gift: true }).completeTask('insurance');

    expect(scenario.outline).toBe('options:1:d1(gift, join)');
    expect(scenario.state.activityInstances.find((i) => i.activityId === 'join')?.activityType).toBe(
      'inclusiveGateway',
    );
    expect(scenario.completeTask('gift').state.state).toBe('COMPLETED');
  });

  it('does not wait for a branch that was not taken', () => {
    expect(run(model, { insurance: true, gift: false }).completeTask('insurance').state.state).toBe(
      'COMPLETED',
    );
  });

  it('fires the join once the only other token ends elsewhere', async () => {
    const escape = await modelFrom(engineFixture('inclusive-escape.bpmn'));
    const scenario = run(escape).completeTask('taskA');
    expect(scenario.outline).toBe('escape:1:d1(join, taskB)');

    scenario.completeTask('taskB', { escape: true });

    expect(scenario.outline).toBe('escape:1:d1(after)');
    expect(scenario.waiting.tasks).toEqual(['after']);
  });

  it('joins both tokens into one when both arrive', async () => {
    const escape = await modelFrom(engineFixture('inclusive-escape.bpmn'));
    const scenario = run(escape).completeTask('taskA').completeTask('taskB', { escape: false });

    expect(scenario.outline).toBe('escape:1:d1(after)');
    expect(scenario.waiting.tasks).toEqual(['after']);
  });
});
