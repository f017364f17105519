import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateMigrationPlan,
  migrateInstance,
  setVariables,
  variablesOf,
  type EngineEffect,
  type MigrationDefinition,
  type MigrationInstruction,
  type MigrationPlan,
} from '../index';
import { deepFreeze, definitionFrom, instanceOf, Scenario, taskOf } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');
const pair = async (name: string): Promise<[MigrationDefinition, MigrationDefinition]> => [
  await definitionFrom(fixture(`${name}-v1.bpmn`), 1),
  await definitionFrom(fixture(`${name}-v2.bpmn`), 2),
];
const started = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityStarted' ? [e.activityId] : []));
const ended = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityEnded' ? [`${e.activityId}:${e.endReason}`] : []));
const plus = (plan: MigrationPlan, ...extra: [string, string][]): MigrationPlan => ({
  ...plan,
  instructions: [
    ...plan.instructions,
    ...extra.map(([sourceActivityId, targetActivityId]): MigrationInstruction => ({
      sourceActivityId,
      targetActivityId,
    })),
  ],
});
/** Migrates the scenario's instance and continues on the target definition. */
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

describe('migrating a user task', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  beforeAll(async () => {
    [v1, v2] = await pair('approval');
  });

  it('keeps the task id, assignee, activity instance id and variables', () => {
    const before = new Scenario(v1.model, v1.id).start({ initiator: 'anna' });
    const task = taskOf(before.state, 'approve');
    const instance = instanceOf(before.state, 'approve');

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));

    expect(after.state).toMatchObject({
      definitionId: 'approval:2:d2',
      definitionKey: 'approval',
      state: 'ACTIVE',
    });
    expect(after.outline).toBe('approval:2:d2(approve)');
    expect(task.assignee).toBe('anna');
    expect(taskOf(after.state, 'approve')).toEqual(task);
    expect(instanceOf(after.state, 'approve')).toEqual(instance);
    expect(after.state.variables).toEqual(before.state.variables);
    expect(after.effects).toEqual([
      expect.objectContaining({
        type: 'activityMigrated',
        activityInstanceId: instance.id,
        activityId: 'approve',
      }),
      expect.objectContaining({ type: 'processMigrated', sourceDefinitionId: v1.id, definitionId: v2.id }),
    ]);
  });

  it('continues on the target flow after the migration', () => {
    const after = migrate(
      new Scenario(v1.model, v1.id).start({ initiator: 'anna' }),
      v1,
      v2,
      generateMigrationPlan(v1, v2),
    );

    after.completeTask('approve');
    expect(started(after.effects)).toEqual(['archive']);
    after.completeTask('archive');
    expect(after.state.state).toBe('COMPLETED');
    expect(ended(after.effects)).toEqual(['archive:completed', 'end:completed']);
  });

  it('sets the plan variables on the process instance afterwards', () => {
    const before = new Scenario(v1.model, v1.id).start({ initiator: 'anna' });
    const plan = {
      ...generateMigrationPlan(v1, v2),
      variables: { migratedBy: { type: 'String', value: 'ops' } },
    };

    const after = migrate(before, v1, v2, plan);

    expect(after.state.variables.find((v) => v.name === 'migratedBy')).toMatchObject({
      scopeId: before.state.id,
      value: { type: 'String', value: 'ops' },
    });
    expect(after.effects.map((e) => e.type)).toEqual([
      'activityMigrated',
      'variableCreated',
      'processMigrated',
    ]);
  });

  it('never changes its input', () => {
    const before = new Scenario(v1.model, v1.id).start({ initiator: 'anna' });
    const input = deepFreeze(before.state);
    const snapshot = structuredClone(input);

    migrateInstance(v1, v2, generateMigrationPlan(v1, v2), input, before.ctx);

    expect(input).toEqual(snapshot);
  });
});

describe('migrating sub-processes', () => {
  it('migrates a sub-process and its renamed inner task mapped explicitly', async () => {
    const [v1, v2] = await pair('review');
    const before = new Scenario(v1.model, v1.id).start();
    before.step((m, s, ctx) =>
      setVariables(
        m,
        s,
        { variables: variablesOf({ note: 'x' }), scopeId: instanceOf(s, 'reviewing').id, local: true },
        ctx,
      ),
    );
    const [reviewing, task] = [instanceOf(before.state, 'reviewing'), taskOf(before.state, 'check')];

    const after = migrate(before, v1, v2, plus(generateMigrationPlan(v1, v2), ['check', 'verify']));

    expect(after.outline).toBe('review:2:d2(reviewing(verify))');
    expect(instanceOf(after.state, 'reviewing').id).toBe(reviewing.id);
    expect(taskOf(after.state, 'verify')).toEqual({ ...task, taskDefinitionKey: 'verify' });
    expect(after.state.variables.find((v) => v.name === 'note')?.scopeId).toBe(reviewing.id);
    after.completeTask('verify');
    expect(started(after.effects)).toEqual(['reviewEnd', 'publish']);
    after.completeTask('publish');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('cancels a sub-process instance without instruction and moves its mapped child up', async () => {
    const [v1, v2] = await pair('review');
    const before = new Scenario(v1.model, v1.id).start();
    const [reviewing, task] = [instanceOf(before.state, 'reviewing'), taskOf(before.state, 'check')];
    const plan: MigrationPlan = {
      sourceProcessDefinitionId: v1.id,
      targetProcessDefinitionId: v2.id,
      instructions: [{ sourceActivityId: 'check', targetActivityId: 'publish' }],
    };

    const after = migrate(before, v1, v2, plan);

    expect(after.outline).toBe('review:2:d2(publish)');
    expect(ended(after.effects)).toEqual(['reviewing:canceled']);
    expect(after.state.activityInstances.some((i) => i.id === reviewing.id)).toBe(false);
    expect(taskOf(after.state, 'publish').id).toBe(task.id);
    after.completeTask('publish');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('instantiates a new target sub-process once for all the tasks it now surrounds', async () => {
    const [v1, v2] = await pair('shipping');
    const before = new Scenario(v1.model, v1.id).start();
    const plan = plus(generateMigrationPlan(v1, v2), ['pack', 'pack'], ['label', 'label'], ['join', 'join']);

    const after = migrate(before, v1, v2, plan);

    const handling = instanceOf(after.state, 'handling');
    expect(after.outline).toBe('shipping:2:d2(handling(label, pack))');
    expect(instanceOf(after.state, 'pack').parentId).toBe(handling.id);
    expect(started(after.effects)).toEqual(['handling']);
    expect(after.state.jobs).toEqual([
      expect.objectContaining({
        activityId: 'slow',
        activityInstanceId: handling.id,
        dueDate: new Date('2024-05-02T13:00:00.000Z'),
      }),
    ]);
    after.completeTask('pack').completeTask('label');
    expect(after.outline).toBe('shipping:2:d2(ship)');
    after.completeTask('ship');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('moves a waiting join token into the new sub-process', async () => {
    const [v1, v2] = await pair('shipping');
    const before = new Scenario(v1.model, v1.id).start().completeTask('pack');
    const plan = plus(generateMigrationPlan(v1, v2), ['label', 'label'], ['join', 'join']);

    const after = migrate(before, v1, v2, plan);

    expect(after.outline).toBe('shipping:2:d2(handling(join, label))');
    after.completeTask('label');
    expect(after.outline).toBe('shipping:2:d2(ship)');
    after.completeTask('ship');
    expect(after.state.state).toBe('COMPLETED');
  });
});

describe('migrating a parallel fork', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  beforeAll(async () => {
    [v1, v2] = await pair('fork');
  });

  it('maps the unmapped branch explicitly and joins on the target', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const taskB = instanceOf(before.state, 'taskB');

    const after = migrate(before, v1, v2, plus(generateMigrationPlan(v1, v2), ['taskB', 'taskC']));

    expect(after.outline).toBe('fork:2:d2(taskA, taskC)');
    expect(instanceOf(after.state, 'taskC').id).toBe(taskB.id);
    after.completeTask('taskA').completeTask('taskC');
    expect(after.outline).toBe('fork:2:d2(wrapUp)');
    after.completeTask('wrapUp');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('migrates a token waiting at the join', () => {
    const before = new Scenario(v1.model, v1.id).start().completeTask('taskA');
    expect(before.outline).toBe('fork:1:d1(join, taskB)');

    const after = migrate(before, v1, v2, plus(generateMigrationPlan(v1, v2), ['taskB', 'taskC']));

    expect(after.outline).toBe('fork:2:d2(join, taskC)');
    after.completeTask('taskC');
    expect(after.outline).toBe('fork:2:d2(wrapUp)');
    after.completeTask('wrapUp');
    expect(after.state.state).toBe('COMPLETED');
  });
});
