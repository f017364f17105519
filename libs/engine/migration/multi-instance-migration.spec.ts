import {
  completeTask,
  generateMigrationPlan,
  migrateInstance,
  validateMigratingInstance,
  validateMigrationPlan,
  type MigrationDefinition,
  type MigrationPlan,
  type ProcessInstanceState,
} from '../index';
import { definitionFrom, Scenario } from '../testing/engine-harness';
import {
  miSubProcess,
  PARALLEL_USER_TASK,
  PLAIN_USER_TASK,
  SEQUENTIAL_USER_TASK,
} from '../testing/multi-instance-models';

const BODY = 'work#multiInstanceBody';

const planOf = (
  source: MigrationDefinition,
  target: MigrationDefinition,
  ...pairs: [string, string][]
): MigrationPlan => ({
  sourceProcessDefinitionId: source.id,
  targetProcessDefinitionId: target.id,
  instructions: pairs.map(([sourceActivityId, targetActivityId]) => ({ sourceActivityId, targetActivityId })),
});

/** Activity instance id → name → value of its local variables. */
const localsById = (state: ProcessInstanceState) =>
  Object.fromEntries(
    state.activityInstances.map((instance) => [
      instance.id,
      Object.fromEntries(
        state.variables.filter((v) => v.scopeId === instance.id).map((v) => [v.name, v.value.value]),
      ),
    ]),
  );

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

const completeFirst = (scenario: Scenario, key: string) => {
  const task = scenario.state.tasks.find((candidate) => candidate.taskDefinitionKey === key);
  if (task === undefined) throw new Error(`no task ${key}`);
  return scenario.step((model, state, ctx) =>
    completeTask(model, state, { taskId: task.id, variables: {} }, ctx),
  );
};

describe('migrating multi-instance activities', () => {
  let parallelV1: MigrationDefinition;
  let parallelV2: MigrationDefinition;
  let sequential: MigrationDefinition;
  let plain: MigrationDefinition;
  beforeAll(async () => {
    parallelV1 = await definitionFrom(PARALLEL_USER_TASK, 1);
    parallelV2 = await definitionFrom(
      PARALLEL_USER_TASK.replace('<userTask id="after" />', '<userTask id="after" name="v2" />'),
      2,
    );
    sequential = await definitionFrom(SEQUENTIAL_USER_TASK, 3);
    plain = await definitionFrom(PLAIN_USER_TASK, 4);
  });

  it('generates instructions for the body together with its inner activity', () => {
    const plan = generateMigrationPlan(parallelV1, parallelV2);
    expect(plan.instructions.map((i) => [i.sourceActivityId, i.targetActivityId])).toEqual([
      [BODY, BODY],
      ['after', 'after'],
      ['work', 'work'],
    ]);
    expect(generateMigrationPlan(parallelV1, sequential).instructions.map((i) => i.sourceActivityId)).toEqual(
      ['after'],
    );
  });

  it('keeps the instance ids, counters and loop counters, and the body completes on the target', () => {
    const before = completeFirst(new Scenario(parallelV1.model, parallelV1.id).start(), 'work');
    const ids = before.state.activityInstances.map((instance) => instance.id);
    const locals = localsById(before.state);

    const after = migrate(before, parallelV1, parallelV2, generateMigrationPlan(parallelV1, parallelV2));

    expect(after.outline).toBe('mi:2:d2(work#multiInstanceBody(work, work))');
    expect(after.state.activityInstances.map((instance) => instance.id)).toEqual(ids);
    expect(localsById(after.state)).toEqual(locals);
    const body = after.state.activityInstances.find((instance) => instance.activityId === BODY);
    expect(body?.activityType).toBe('multiInstanceBody');
    expect(locals[body?.id ?? '']).toEqual({
      nrOfInstances: 3,
      nrOfActiveInstances: 2,
      nrOfCompletedInstances: 1,
    });
    completeFirst(completeFirst(after, 'work'), 'work');
    expect(after.outline).toBe('mi:2:d2(after)');
  });

  it('reports the body and inner activity rules at plan creation', () => {
    const report = validateMigrationPlan(
      parallelV1,
      parallelV2,
      planOf(parallelV1, parallelV2, [BODY, BODY]),
    );
    expect(report.instructionReports.map((r) => r.failures)).toEqual([
      [
        'Must map the inner activity of a multi-instance body when the body is mapped',
        'Cannot remove the inner activity of a multi-instance body when the body is mapped',
      ],
    ]);
    const inner = validateMigrationPlan(
      parallelV1,
      parallelV2,
      planOf(parallelV1, parallelV2, ['work', 'work']),
    );
    expect(inner.instructionReports.map((r) => r.failures)).toEqual([
      [
        "Target activity 'work' is a descendant of multi-instance body 'work#multiInstanceBody' that is not mapped from the source process definition.",
      ],
    ]);
    const kinds = validateMigrationPlan(
      parallelV1,
      sequential,
      planOf(parallelV1, sequential, [BODY, BODY], ['work', 'work']),
    );
    expect(kinds.instructionReports[0]?.failures).toEqual([
      'Activities have incompatible types (ParallelMultiInstanceActivityBehavior is not compatible with SequentialMultiInstanceActivityBehavior)',
    ]);
  });

  it('removes the multi-instance marker: the body is cancelled, inner instances keep their loop counter', () => {
    const before = new Scenario(parallelV1.model, parallelV1.id).start();
    const after = migrate(before, parallelV1, plain, planOf(parallelV1, plain, ['work', 'work']));
    expect(after.outline).toBe('mi:4:d4(work, work, work)');
    const counters = after.state.variables.map((v) => [v.name, v.value.value]).sort();
    expect(counters).toEqual([
      ['loopCounter', 0],
      ['loopCounter', 1],
      ['loopCounter', 2],
    ]);
  });

  it('reports inner instances without instruction in the instance report', () => {
    const state = new Scenario(parallelV1.model, parallelV1.id).start().state;
    const report = validateMigratingInstance(
      parallelV1,
      parallelV2,
      planOf(parallelV1, parallelV2, ['after', 'after']),
      state,
    );
    expect(report.activityInstanceValidationReports.map((r) => [r.sourceScopeId, r.failures])).toEqual([
      ['work', ["There is no migration instruction for this instance's activity"]],
      ['work', ["There is no migration instruction for this instance's activity"]],
      ['work', ["There is no migration instruction for this instance's activity"]],
    ]);
  });

  it('migrates a sequential multi-instance sub-process with its loop variables', async () => {
    const v1 = await definitionFrom(miSubProcess(true), 1);
    const v2 = await definitionFrom(miSubProcess(true), 2);
    const before = completeFirst(new Scenario(v1.model, v1.id).start({ items: ['a', 'b', 'c'] }), 'inner');
    const locals = localsById(before.state);
    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));
    expect(after.outline).toBe('mi:2:d2(work#multiInstanceBody(work(inner)))');
    expect(localsById(after.state)).toEqual(locals);
    completeFirst(completeFirst(after, 'inner'), 'inner');
    expect(after.outline).toBe('mi:2:d2(after)');
  });

  it('removes the marker of a sequential activity, whose inner instance keeps the loop counter', () => {
    const before = completeFirst(new Scenario(sequential.model, sequential.id).start(), 'work');
    const after = migrate(before, sequential, plain, planOf(sequential, plain, ['work', 'work']));
    expect(after.outline).toBe('mi:4:d4(work)');
    expect(after.state.variables.map((v) => [v.name, v.value.value])).toEqual([['loopCounter', 1]]);
  });
});
