import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileMigrationPlan,
  completeTask,
  generateMigrationPlan,
  MigratingProcessInstanceValidationException,
  migrateInstances,
  migrateInstancesWithPlan,
  MigrationPlanValidationException,
  startInstance,
  validateInstanceWithPlan,
  type MigrationDefinition,
  type MigrationPlan,
} from '../index';
import { definitionFrom, deepFreeze, outline, taskOf, TestContext } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');

describe('migrating a batch of instances', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  let plan: MigrationPlan;
  beforeAll(async () => {
    v1 = await definitionFrom(fixture('fork-v1.bpmn'), 1);
    v2 = await definitionFrom(fixture('fork-v2.bpmn'), 2);
    plan = generateMigrationPlan(v1, v2);
  });
  const ctx = new TestContext();
  const instance = (id: string, ...completed: string[]) => {
    let state = startInstance(v1.model, { definitionId: v1.id, processInstanceId: id }, ctx).state;
    for (const key of completed)
      state = completeTask(v1.model, state, { taskId: taskOf(state, key).id }, ctx).state;
    return deepFreeze(state);
  };

  it('returns one outcome per instance and records the report of those that cannot migrate', () => {
    // Waiting only at taskA and the join: every activity instance has an instruction.
    const ready = instance('p-1', 'taskB');
    const blocked = instance('p-2');
    const foreign = { ...instance('p-3', 'taskB'), definitionId: 'fork:9:d9' };

    const outcomes = migrateInstances(v1, v2, plan, [ready, blocked, foreign], ctx);

    expect(outcomes.map((o) => [o.processInstanceId, o.ok])).toEqual([
      ['p-1', true],
      ['p-2', false],
      ['p-3', false],
    ]);
    const [first, second, third] = outcomes;
    expect(first?.ok === true && outline(v2.model, first.result.state)).toBe('fork:2:d2(join, taskA)');
    expect(second?.ok === false && second.error).toBeInstanceOf(MigratingProcessInstanceValidationException);
    expect(second?.ok === false && second.report?.activityInstanceValidationReports[0]?.sourceScopeId).toBe(
      'taskB',
    );
    expect(third?.ok === false && [third.report, third.error.message.slice(0, 12)]).toEqual([
      null,
      'ENGINE-23002',
    ]);
  });

  it('validates the plan once and throws when it is invalid', () => {
    const invalid = { ...plan, instructions: [{ sourceActivityId: 'taskA', targetActivityId: 'join' }] };

    expect(() => migrateInstances(v1, v2, invalid, [instance('p-4')], ctx)).toThrow(
      MigrationPlanValidationException,
    );
  });

  it('reuses a compiled plan for validation and migration of many instances', () => {
    const compiled = compileMigrationPlan(v1, v2, {
      ...plan,
      instructions: [...plan.instructions, { sourceActivityId: 'taskB', targetActivityId: 'taskC' }],
    });
    const states = ['a', 'b', 'c'].map((id) => instance(id));

    expect(
      states.map((s) => validateInstanceWithPlan(compiled, s).activityInstanceValidationReports),
    ).toEqual([[], [], []]);
    const outcomes = migrateInstancesWithPlan(compiled, states, ctx);
    expect(
      outcomes.every((o) => o.ok && outline(v2.model, o.result.state) === 'fork:2:d2(taskA, taskC)'),
    ).toBe(true);
  });
});
