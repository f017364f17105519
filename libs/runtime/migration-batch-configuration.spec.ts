import type { MigrationPlan } from '@libs/engine';
import { migrationBatchConfiguration, type MigrationBatchPlan } from './migration-batch-configuration';

const roundTrip = (batchPlan: MigrationBatchPlan) =>
  migrationBatchConfiguration.read(JSON.stringify(migrationBatchConfiguration.store(batchPlan)));

const plan: MigrationPlan = {
  sourceProcessDefinitionId: 'order:1:a',
  targetProcessDefinitionId: 'order:2:b',
  instructions: [
    { sourceActivityId: 'review', targetActivityId: 'check', updateEventTrigger: false },
    { sourceActivityId: 'wait', targetActivityId: 'wait', updateEventTrigger: true },
  ],
  variables: { approved: { value: true, type: 'Boolean', valueInfo: {} } },
};

describe('the migration batch configuration', () => {
  it('gives back the plan and options it stored', () => {
    const batchPlan = { plan, skipCustomListeners: true, skipIoMappings: false };
    expect(roundTrip(batchPlan)).toEqual(batchPlan);
  });

  it('gives back a plan without variables with null variables and the trigger flag as false', () => {
    const stored = roundTrip({
      plan: {
        ...plan,
        instructions: [{ sourceActivityId: 'review', targetActivityId: 'check' }],
        variables: undefined,
      },
      skipCustomListeners: false,
      skipIoMappings: true,
    });
    expect(stored).toEqual({
      plan: {
        ...plan,
        instructions: [{ sourceActivityId: 'review', targetActivityId: 'check', updateEventTrigger: false }],
        variables: null,
      },
      skipCustomListeners: false,
      skipIoMappings: true,
    });
  });

  it('stores Camunda’s shape: one-element id arrays and skipListeners', () => {
    expect(
      migrationBatchConfiguration.store({ plan, skipCustomListeners: true, skipIoMappings: true }),
    ).toEqual({
      migrationPlan: {
        sourceProcessDefinitionId: 'order:1:a',
        targetProcessDefinitionId: 'order:2:b',
        instructions: [
          { sourceActivityIds: ['review'], targetActivityIds: ['check'], updateEventTrigger: false },
          { sourceActivityIds: ['wait'], targetActivityIds: ['wait'], updateEventTrigger: true },
        ],
        variables: plan.variables,
      },
      skipListeners: true,
      skipIoMappings: true,
    });
  });

  it('refuses a configuration it did not store', () => {
    expect(() => migrationBatchConfiguration.read('{"migrationPlan":{}}')).toThrow();
  });
});
