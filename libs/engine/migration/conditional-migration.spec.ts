import {
  generateMigrationPlan,
  validateMigrationPlan,
  type MigrationDefinition,
  type MigrationPlan,
} from '../index';
import { definitionFrom, instanceOf, Scenario } from '../testing/engine-harness';
import {
  conditionalBoundary,
  conditionalEventSubProcesses,
  conditionalIntermediate,
} from '../testing/conditional-models';

const failuresOf = (source: MigrationDefinition, target: MigrationDefinition, plan: MigrationPlan) =>
  validateMigrationPlan(source, target, plan).instructionReports.flatMap((report) => report.failures);
const planOf = (
  source: MigrationDefinition,
  target: MigrationDefinition,
  instructions: MigrationPlan['instructions'],
): MigrationPlan => ({
  sourceProcessDefinitionId: source.id,
  targetProcessDefinitionId: target.id,
  instructions,
});
const instruction = (from: string, to: string, updateEventTrigger: boolean) => ({
  sourceActivityId: from,
  targetActivityId: to,
  updateEventTrigger,
});

describe('migrating conditional events', () => {
  it('generates conditional events with updateEventTrigger, even when not asked to', async () => {
    const v1 = await definitionFrom(conditionalBoundary('${x == 1}'), 1);
    const v2 = await definitionFrom(conditionalBoundary('${x == 2}'), 2);

    const plan = generateMigrationPlan(v1, v2);

    expect(plan.instructions).toContainEqual(instruction('cond', 'cond', true));
    expect(plan.instructions).toContainEqual(instruction('work', 'work', false));
  });

  it('refuses a conditional event mapped without updateEventTrigger', async () => {
    const v1 = await definitionFrom(conditionalIntermediate('${x > 1}'), 1);
    const v2 = await definitionFrom(conditionalIntermediate('${x > 2}'), 2);
    const plan = planOf(v1, v2, [instruction('wait', 'wait', false)]);

    expect(failuresOf(v1, v2, plan)).toEqual(['Conditional event has to migrate with update event trigger.']);
  });

  it('refuses a conditional boundary event mapped to a message boundary event', async () => {
    const v1 = await definitionFrom(conditionalBoundary('${x == 1}'), 1);
    const message = conditionalBoundary('${x}')
      .replace(
        /<conditionalEventDefinition[\s\S]*?<\/conditionalEventDefinition>/,
        '<messageEventDefinition messageRef="m" />',
      )
      .replace('<process ', '<message id="m" name="M" /><process ');
    const v2 = await definitionFrom(message, 2);
    const plan = planOf(v1, v2, [instruction('work', 'work', false), instruction('cond', 'cond', true)]);

    expect(failuresOf(v1, v2, plan)).toEqual([
      'Activities have incompatible types (BoundaryConditionalEventActivityBehavior is not compatible with BoundaryEventActivityBehavior)',
      'Events are not of the same type (boundaryConditional != boundaryMessage)',
    ]);
  });

  it('keeps the subscription id and evaluates the target condition afterwards', async () => {
    const v1 = await definitionFrom(conditionalBoundary('${x == 1}'), 1);
    const v2 = await definitionFrom(conditionalBoundary('${x == 2}'), 2);
    const before = new Scenario(v1.model, v1.id).start({ x: 0 });
    const subscription = before.state.eventSubscriptions[0]!;

    const after = before.migrateTo(v1, v2, generateMigrationPlan(v1, v2));

    expect(after.state.eventSubscriptions).toEqual([
      { ...subscription, activityInstanceId: instanceOf(after.state, 'work').id },
    ]);
    after.setVariables({ x: 1 });
    expect(after.outline).toBe('boundary:2:d2(work)');
    after.setVariables({ x: 2 });
    expect(after.outline).toBe('boundary:2:d2(afterCond)');
  });

  it('migrates an event sub-process start subscription with the process', async () => {
    const v1 = await definitionFrom(conditionalEventSubProcesses('${go}'), 1);
    const v2 = await definitionFrom(conditionalEventSubProcesses('${go}'), 2);
    const before = new Scenario(v1.model, v1.id).start({ go: false });
    const ids = before.state.eventSubscriptions.map((s) => s.id).sort();

    const after = before.migrateTo(v1, v2, generateMigrationPlan(v1, v2));

    expect(after.state.eventSubscriptions.map((s) => s.id).sort()).toEqual(ids);
    after.setVariables({ go: true });
    expect(after.outline).toBe('esps:2:d2(esp(espTask))');
  });

  it('fires a conditional event the plan variables satisfy', async () => {
    const v1 = await definitionFrom(conditionalBoundary('${x == 1}'), 1);
    const v2 = await definitionFrom(conditionalBoundary('${x == 1}'), 2);
    const before = new Scenario(v1.model, v1.id).start({ x: 0 });
    const plan = { ...generateMigrationPlan(v1, v2), variables: { x: { value: 1, type: 'Integer' } } };

    const after = before.migrateTo(v1, v2, plan);

    expect(after.outline).toBe('boundary:2:d2(afterCond)');
  });
});
