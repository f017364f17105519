import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  correlateMessage,
  ProcessEngineException,
  startInstance,
  variablesOf,
  type ProcessInstanceState,
  type TypedValue,
} from '..';
import { instanceOf, modelFrom, Scenario, taskOf, TestContext } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

/** The variables stored on exactly `scopeId`, by name. */
function variablesOn(state: ProcessInstanceState, scopeId: string): Record<string, TypedValue> {
  const found: Record<string, TypedValue> = {};
  for (const variable of state.variables)
    if (variable.scopeId === scopeId) found[variable.name] = variable.value;
  return found;
}

describe('input/output mappings', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(fixture('io-mappings.bpmn'));
  });
  const started = () => new Scenario(model).start({ owner: 'anna', amount: 50, decision: 'approved' });

  it('sets the inputs as local variables of the task before the task is created', () => {
    const scenario = started();
    const review = instanceOf(scenario.state, 'review');

    expect(variablesOn(scenario.state, review.id)).toEqual({
      reviewer: { type: 'String', value: 'anna' },
      note: { type: 'String', value: 'Checked by anna' },
      nothing: { type: 'Null', value: null },
      checks: { type: 'Json', value: ['spelling', 50, { depth: 'full' }] },
    });
    expect(taskOf(scenario.state, 'review').assignee).toBe('anna');
    expect(Object.keys(variablesOn(scenario.state, scenario.state.id)).sort()).toEqual([
      'amount',
      'decision',
      'owner',
      'starter',
    ]);
  });

  it('copies the typed value of a single ${variable}, so a Long stays a Long', () => {
    const variables = { owner: { type: 'Long', value: 7 }, amount: { type: 'Integer', value: 1 } } as const;
    const { state } = startInstance(model, { definitionId: 'io:1:d1', variables }, new TestContext());

    expect(variablesOn(state, instanceOf(state, 'review').id)['reviewer']).toEqual({
      type: 'Long',
      value: 7,
    });
  });

  it('writes the outputs to the process instance on completion, evaluated with the task locals', () => {
    const scenario = started().completeTask('review');

    expect(variablesOn(scenario.state, scenario.state.id)['verdict']).toEqual({
      type: 'String',
      value: 'approved by anna',
    });
    expect(scenario.state.variables.some((variable) => variable.name === 'reviewer')).toBe(false);
  });

  it('gives a sub-process its inputs before its start event and maps its outputs out when it completes', () => {
    const scenario = started().completeTask('review');
    const budgeting = instanceOf(scenario.state, 'budgeting');

    expect(variablesOn(scenario.state, budgeting.id)).toEqual({ budget: { type: 'Integer', value: 100 } });

    scenario.completeTask('spend', { cost: 30 });

    // The task's output updated `budget` where it lives (the sub-process), whose output then read it.
    expect(scenario.state.state).toBe('COMPLETED');
    expect(variablesOn(scenario.state, scenario.state.id)).toMatchObject({
      spent: { type: 'Integer', value: 70 },
    });
    expect(variablesOn(scenario.state, scenario.state.id)['budget']).toBeUndefined();
  });

  it('refuses to start when an input refers to an unknown variable', () => {
    expect(() => new Scenario(model).start({ amount: 1 })).toThrow(ProcessEngineException);
  });
});

describe('output mappings of cancelled activities', () => {
  const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
      xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
    <message id="abortMessage" name="Abort" />
    <process id="guarded" isExecutable="true">
      <startEvent id="start" />
      <sequenceFlow id="toWait" sourceRef="start" targetRef="wait" />
      <userTask id="wait">
        <extensionElements>
          <camunda:inputOutput>
            <camunda:inputParameter name="stage">waiting</camunda:inputParameter>
            <camunda:outputParameter name="lastStage">\${stage}</camunda:outputParameter>
          </camunda:inputOutput>
        </extensionElements>
      </userTask>
      <boundaryEvent id="abort" attachedToRef="wait">
        <messageEventDefinition messageRef="abortMessage" />
      </boundaryEvent>
      <sequenceFlow id="toAborted" sourceRef="abort" targetRef="aborted" />
      <userTask id="aborted" />
      <sequenceFlow id="toEnd" sourceRef="wait" targetRef="end" />
      <endEvent id="end" />
    </process>
  </definitions>`;

  it('runs them when an interrupting boundary event cancels the activity, as Camunda does', async () => {
    const scenario = new Scenario(await modelFrom(xml))
      .start()
      .step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Abort' }, ctx));

    expect(scenario.outline).toBe('guarded:1:d1(aborted)');
    expect(variablesOn(scenario.state, scenario.state.id)).toEqual({
      lastStage: { type: 'String', value: 'waiting' },
    });
  });
});

describe('camunda:initiator', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(fixture('io-mappings.bpmn'));
  });
  const start = (initiatorId: string | null | undefined) =>
    startInstance(
      model,
      {
        definitionId: 'io:1:d1',
        initiatorId,
        variables: { owner: { type: 'String', value: 'x' }, amount: { type: 'Integer', value: 1 } },
      },
      new TestContext(),
    ).state;

  it('sets the variable to the authenticated user on the process instance', () => {
    const state = start('anna');

    expect(variablesOn(state, state.id)['starter']).toEqual({ type: 'String', value: 'anna' });
  });

  it('lets a start variable of the same name win, as it is set afterwards', () => {
    const variables = variablesOf({ starter: 'bob', owner: 'x', amount: 1 });
    const command = { definitionId: 'io:1:d1', initiatorId: 'anna', variables };
    const { state } = startInstance(model, command, new TestContext());

    expect(variablesOn(state, state.id)['starter']).toEqual({ type: 'String', value: 'bob' });
  });

  it('sets it to null when the start is anonymous', () => {
    const state = start(undefined);

    expect(variablesOn(state, state.id)['starter']).toEqual({ type: 'Null', value: null });
  });
});
