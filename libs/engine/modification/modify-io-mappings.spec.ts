import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  modifyInstance,
  typedValueOf,
  type ModificationInstruction,
  type ProcessInstanceState,
  type TypedValue,
} from '../index';
import { instanceOf, modelFrom, Scenario, taskOf } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

function variablesOn(state: ProcessInstanceState, scopeId: string): Record<string, TypedValue> {
  const found: Record<string, TypedValue> = {};
  for (const variable of state.variables)
    if (variable.scopeId === scopeId) found[variable.name] = variable.value;
  return found;
}

const modify = (scenario: Scenario, skipIoMappings: boolean, ...instructions: ModificationInstruction[]) =>
  scenario.step((model, state, ctx) => modifyInstance(model, state, { instructions, skipIoMappings }, ctx));

/** The newest instance of `activityId` (ids grow with the test context's counter). */
const newest = (state: ProcessInstanceState, activityId: string) =>
  state.activityInstances.filter((i) => i.activityId === activityId).at(-1)!;

describe('modification with input/output mappings', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(fixture('io-mappings.bpmn'));
  });
  const started = () =>
    new Scenario(model).start({ owner: 'anna', amount: 50, decision: 'approved', reviewer: 'boss' });

  it('runs the input mappings of an activity started before', () => {
    const scenario = modify(started(), false, { type: 'startBeforeActivity', activityId: 'review' });
    const second = newest(scenario.state, 'review');

    expect(variablesOn(scenario.state, second.id)['reviewer']).toEqual({ type: 'String', value: 'anna' });
    expect(scenario.state.tasks.map((task) => task.assignee)).toEqual(['anna', 'anna']);
  });

  it('skips them with skipIoMappings, still setting the instruction variables', () => {
    const scenario = modify(started(), true, {
      type: 'startBeforeActivity',
      activityId: 'review',
      variables: { round: { value: typedValueOf(2), local: true } },
    });
    const second = newest(scenario.state, 'review');

    expect(variablesOn(scenario.state, second.id)).toEqual({ round: { type: 'Integer', value: 2 } });
    // Without its input the assignee expression reads the process variable.
    expect(scenario.state.tasks.find((task) => task.activityInstanceId === second.id)?.assignee).toBe('boss');
  });

  it('runs the mappings of activities the flow reaches after the started one', () => {
    const scenario = modify(started(), true, { type: 'startBeforeActivity', activityId: 'start' });

    expect(variablesOn(scenario.state, newest(scenario.state, 'review').id)['reviewer']).toEqual({
      type: 'String',
      value: 'anna',
    });
  });

  it('skips the inputs of the activity a skipping startAfterActivity enters', () => {
    const scenario = modify(
      started(),
      true,
      { type: 'cancel', activityId: 'review' },
      { type: 'startAfterActivity', activityId: 'review' },
    );

    expect(variablesOn(scenario.state, instanceOf(scenario.state, 'budgeting').id)).toEqual({});
    expect(variablesOn(scenario.state, scenario.state.id)['verdict']).toBeUndefined();
  });

  it('runs the output mappings of a cancelled activity unless skipped', () => {
    const cancelled = modify(
      started(),
      false,
      { type: 'cancel', activityId: 'review' },
      {
        type: 'startBeforeActivity',
        activityId: 'review',
      },
    );
    const skipped = modify(
      started(),
      true,
      { type: 'cancel', activityId: 'review' },
      {
        type: 'startBeforeActivity',
        activityId: 'review',
      },
    );

    expect(variablesOn(cancelled.state, cancelled.state.id)['verdict']).toEqual({
      type: 'String',
      value: 'approved by anna',
    });
    expect(variablesOn(skipped.state, skipped.state.id)['verdict']).toBeUndefined();
  });

  it('runs the inputs of a sub-process instantiated for an activity inside it, unless skipped', () => {
    const withInputs = modify(started(), false, { type: 'startBeforeActivity', activityId: 'spend' });
    const without = modify(started(), true, { type: 'startBeforeActivity', activityId: 'spend' });

    expect(variablesOn(withInputs.state, instanceOf(withInputs.state, 'budgeting').id)).toEqual({
      budget: { type: 'Integer', value: 100 },
    });
    expect(variablesOn(without.state, instanceOf(without.state, 'budgeting').id)).toEqual({});
    expect(taskOf(without.state, 'spend')).toBeDefined();
  });
});
