import { migrateInstanceWithPlan } from '@libs/engine';
import { migrationBatchConfiguration, type InstanceOperation, type MigrationService } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

/**
 * `instance-migration`: the plan is compiled once per batch (per process), then each instance is
 * validated and migrated on its own; an instance that cannot be migrated throws the engine's error
 * (e.g. MigratingProcessInstanceValidationException with its report), which fails its item only.
 */
export function migrationHandler(migrations: Pick<MigrationService, 'compile'>): BatchTypeHandler {
  return {
    async prepare(configuration: string): Promise<InstanceOperation> {
      const { plan, skipIoMappings } = migrationBatchConfiguration.read(configuration);
      const { compiled } = await migrations.compile(plan);
      return (_model, state, ctx) => migrateInstanceWithPlan(compiled, state, ctx, { skipIoMappings });
    },
  };
}
