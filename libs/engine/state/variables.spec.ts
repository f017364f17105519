import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  NotFoundException,
  ProcessEngineException,
  removeVariables,
  setVariables,
  variablesOf,
  visibleVariables,
  type VariableRecord,
} from '..';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';

const engineFixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

const DEADLINE = new Date('2024-06-01T12:00:00.000Z');
const where = (variables: readonly VariableRecord[], name: string) =>
  variables.filter((v) => v.name === name).map((v) => ({ scopeId: v.scopeId, value: v.value.value }));

describe('variables', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(engineFixture('variable-scopes.bpmn'));
  });
  const started = () => new Scenario(model).start({ reviewer: 'kim', deadline: DEADLINE, urgency: 80 });

  it('resolves task expressions from the waiting instance up to the process variables', () => {
    const scenario = started();

    expect(scenario.outline).toBe('scopes:1:d1(review(check))');
    expect(scenario.state.tasks[0]).toMatchObject({ assignee: 'kim', due: DEADLINE, priority: 80 });
  });

  it('prefers a local variable of the sub-process over the process variable of that name', () => {
    const scenario = new Scenario(model);
    scenario.start({ reviewer: 'kim', deadline: '2024-07-01T08:00:00Z', urgency: '5' });
    expect(scenario.state.tasks[0]).toMatchObject({ due: new Date('2024-07-01T08:00:00Z'), priority: 5 });

    const review = instanceOf(scenario.state, 'review').id;
    scenario.step((m, s, ctx) =>
      setVariables(m, s, { scopeId: review, local: true, variables: variablesOf({ reviewer: 'lee' }) }, ctx),
    );

    const check = instanceOf(scenario.state, 'check').id;
    expect(visibleVariables(scenario.state, check).reviewer).toEqual({ type: 'String', value: 'lee' });
    expect(visibleVariables(scenario.state, scenario.state.id).reviewer).toEqual({
      type: 'String',
      value: 'kim',
    });
  });

  it('propagates a non-local write to the nearest scope that already has the variable', () => {
    const scenario = started();
    const review = instanceOf(scenario.state, 'review').id;
    const check = instanceOf(scenario.state, 'check').id;
    scenario.step((m, s, ctx) =>
      setVariables(m, s, { scopeId: review, local: true, variables: variablesOf({ verdict: 'draft' }) }, ctx),
    );

    scenario.step((m, s, ctx) =>
      setVariables(m, s, { scopeId: check, variables: variablesOf({ verdict: 'ok' }) }, ctx),
    );

    expect(where(scenario.state.variables, 'verdict')).toEqual([{ scopeId: review, value: 'ok' }]);
    expect(scenario.effects).toEqual([
      expect.objectContaining({ type: 'variableUpdated', name: 'verdict', scopeId: review }),
    ]);
  });

  it('writes a new non-local variable to the process instance, where the gateway after the scope sees it', () => {
    const scenario = started().completeTask('check', { verdict: 'ok' });

    expect(where(scenario.state.variables, 'verdict')).toEqual([{ scopeId: scenario.state.id, value: 'ok' }]);
    expect(scenario.outline).toBe('scopes:1:d1(archive)');
  });

  it('drops the local variables of a scope when it ends', () => {
    const scenario = started();
    const review = instanceOf(scenario.state, 'review').id;
    scenario.step((m, s, ctx) =>
      setVariables(m, s, { scopeId: review, local: true, variables: variablesOf({ note: 'x' }) }, ctx),
    );

    scenario.completeTask('check', { verdict: 'no' });

    expect(where(scenario.state.variables, 'note')).toEqual([]);
    expect(scenario.outline).toBe('scopes:1:d1(rework)');
  });

  it('keeps the variable id when a variable is overwritten, and removes variables by name', () => {
    const scenario = started();
    const id = scenario.state.variables.find((v) => v.name === 'urgency')!.id;

    scenario.step((m, s, ctx) =>
      setVariables(m, s, { variables: variablesOf({ urgency: 3_000_000_000 }) }, ctx),
    );
    expect(scenario.state.variables.find((v) => v.name === 'urgency')).toEqual({
      id,
      name: 'urgency',
      scopeId: scenario.state.id,
      value: { type: 'Long', value: 3_000_000_000 },
    });

    scenario.step((m, s, ctx) => removeVariables(m, s, { names: ['urgency', 'unknown'] }, ctx));
    expect(where(scenario.state.variables, 'urgency')).toEqual([]);
    expect(scenario.effects).toEqual([expect.objectContaining({ type: 'variableDeleted', variableId: id })]);
  });

  it('refuses to set variables on an activity instance that does not exist', () => {
    const scenario = started();

    expect(() =>
      scenario.step((m, s, ctx) =>
        setVariables(m, s, { scopeId: 'gone:1', variables: variablesOf({ a: 1 }) }, ctx),
      ),
    ).toThrow(NotFoundException);
  });

  it('fails the start when a task attribute does not evaluate to something usable', () => {
    expect(() => new Scenario(model).start({ reviewer: 'kim', deadline: 'soon', urgency: 1 })).toThrow(
      new ProcessEngineException("Cannot parse the due date 'soon' of user task 'check'"),
    );
    expect(() => new Scenario(model).start({ reviewer: 'kim', deadline: null, urgency: 1.5 })).toThrow(
      new ProcessEngineException("The priority of 'check' must be an integer, but was '1.5'"),
    );
  });
});
