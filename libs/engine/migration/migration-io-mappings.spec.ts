import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  migrateInstance,
  type MigrationDefinition,
  type MigrationPlan,
  type ProcessInstanceState,
  type TypedValue,
} from '../index';
import { definitionFrom, instanceOf, Scenario } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');

function variablesOn(state: ProcessInstanceState, scopeId: string): Record<string, TypedValue> {
  const found: Record<string, TypedValue> = {};
  for (const variable of state.variables)
    if (variable.scopeId === scopeId) found[variable.name] = variable.value;
  return found;
}

describe('migration with input/output mappings', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  let plan: MigrationPlan;
  beforeAll(async () => {
    v1 = await definitionFrom(fixture('budget-v1.bpmn'), 1);
    v2 = await definitionFrom(fixture('budget-v2.bpmn'), 2);
    plan = {
      sourceProcessDefinitionId: v1.id,
      targetProcessDefinitionId: v2.id,
      instructions: [{ sourceActivityId: 'spend', targetActivityId: 'spend' }],
    };
  });
  const migrated = (skipIoMappings: boolean) => {
    const before = new Scenario(v1.model, v1.id).start({ amount: 50 });
    const result = migrateInstance(v1, v2, plan, before.state, before.ctx, { skipIoMappings });
    return before.continueOn(v2.model, v2.id, result);
  };

  it('runs the input mappings of a newly instantiated target scope', () => {
    const after = migrated(false);

    expect(after.outline).toBe('budget:2:d2(budgeting(spend))');
    expect(variablesOn(after.state, instanceOf(after.state, 'budgeting').id)).toEqual({
      budget: { type: 'Integer', value: 100 },
    });
  });

  it('keeps the locals of a migrated activity and applies none of its target mappings', () => {
    const after = migrated(false);

    expect(variablesOn(after.state, instanceOf(after.state, 'spend').id)).toEqual({
      limit: { type: 'Integer', value: 50 },
    });
  });

  it('skips the input mappings of the new scope with skipIoMappings', () => {
    const after = migrated(true);

    expect(variablesOn(after.state, instanceOf(after.state, 'budgeting').id)).toEqual({});
  });

  it('runs the target outputs when the new scope completes afterwards', () => {
    const after = migrated(false).completeTask('spend');

    expect(after.state.state).toBe('COMPLETED');
    expect(variablesOn(after.state, after.state.id)['spent']).toEqual({ type: 'Integer', value: 100 });
  });

  it('runs the output mappings of a scope cancelled for lack of an instruction, unless skipped', () => {
    const before = new Scenario(v2.model, v2.id).start({ amount: 50 });
    const back: MigrationPlan = {
      sourceProcessDefinitionId: v2.id,
      targetProcessDefinitionId: v1.id,
      instructions: [{ sourceActivityId: 'spend', targetActivityId: 'spend' }],
    };

    const mapped = migrateInstance(v2, v1, back, before.state, before.ctx);
    const skipped = migrateInstance(v2, v1, back, before.state, before.ctx, { skipIoMappings: true });

    expect(variablesOn(mapped.state, mapped.state.id)['spent']).toEqual({ type: 'Integer', value: 100 });
    expect(variablesOn(skipped.state, skipped.state.id)['spent']).toBeUndefined();
  });
});
