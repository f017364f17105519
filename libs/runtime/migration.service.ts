import {
  compileMigrationPlan,
  generateMigrationPlan,
  migrateInstanceWithPlan,
  NotFoundException,
  NotValidException,
  ProcessEngineException,
  validateMigrationPlan,
  type CompiledMigrationPlan,
  type GenerateMigrationPlanOptions,
  type MigrationDefinition,
  type MigrationPlan,
  type MigrationPlanReport,
} from '@libs/engine';
import type { BatchRecord, ProcessDefinitionRecord, UserOperation } from '@libs/persistence';
import type { BatchLauncher } from './batch-launcher';
import {
  readSelection,
  resolveSelection,
  type SelectionMessages,
  type SelectionRequest,
} from './instance-selection';
import { migrationBatchConfiguration } from './migration-batch-configuration';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';
import type { ProcessModels } from './process-models';
import type { RepositoryService } from './repository.service';
import type { RuntimeService } from './runtime.service';

/** A definition as migration needs it: the record (key, tenant, deployment) and the parsed model. */
export interface ResolvedDefinition {
  readonly record: ProcessDefinitionRecord;
  readonly definition: MigrationDefinition;
}

/** Who migrates, for the operation log. */
export interface MigrationActor {
  readonly userId: string | null;
}

/** A plan to run on the instances a request selects (`/migration/execute`, `…/executeAsync`). */
export interface MigrationExecution {
  readonly plan: MigrationPlan;
  readonly selection: SelectionRequest;
  readonly skipCustomListeners: boolean;
  readonly skipIoMappings: boolean;
}

/** Camunda's messages for the selection of a migration. */
const SELECTION: SelectionMessages = {
  empty: 'Process instance ids cannot empty: process instance ids is empty',
  containsNull: 'Process instance ids cannot be null: process instance ids contains null value',
};

/**
 * Process-instance migration (Camunda's `MigrationPlanBuilder` and `MigrationPlanExecutionBuilder`):
 * plan generation and validation, and execution of a plan on the selected instances, synchronously
 * in one transaction (`execute`) or as a batch (`executeAsync`), each with its operation-log entry.
 * Batches reuse `compile`.
 */
export class MigrationService {
  constructor(
    private readonly repository: RepositoryService,
    private readonly models: ProcessModels,
    private readonly runtime: RuntimeService,
    private readonly operationLog: OperationLogService,
    private readonly batches: BatchLauncher,
  ) {}

  /**
   * A deployed definition by id (`''` counts as no id).
   * @throws NotValidException "<Role> process definition id is null"; NotFoundException ENGINE-23008
   * about the `processDefinition`.
   */
  async definition(id: string | null | undefined, role: 'Source' | 'Target'): Promise<ResolvedDefinition> {
    if (id === null || id === undefined || id === '') {
      throw new NotValidException(`${role} process definition id is null`);
    }
    const record = await this.repository.getDefinition(id);
    if (!record) {
      throw new NotFoundException(`ENGINE-23008 ${role} process definition with id '${id}' does not exist`, {
        entity: 'processDefinition',
        id,
      });
    }
    const model = await this.models.get(id);
    return { record, definition: { id, model, tenantId: record.tenantId } };
  }

  /** `mapEqualActivities` between two definitions (reference §10.3). */
  async generate(
    sourceId: string | null | undefined,
    targetId: string | null | undefined,
    options: GenerateMigrationPlanOptions,
  ): Promise<MigrationPlan> {
    const source = await this.definition(sourceId, 'Source');
    const target = await this.definition(targetId, 'Target');
    return generateMigrationPlan(source.definition, target.definition, options);
  }

  /** The creation-time report of a plan (empty when valid). */
  async validate(plan: MigrationPlan): Promise<MigrationPlanReport> {
    const source = await this.definition(plan.sourceProcessDefinitionId, 'Source');
    const target = await this.definition(plan.targetProcessDefinitionId, 'Target');
    return validateMigrationPlan(source.definition, target.definition, plan);
  }

  /**
   * Validates and compiles a plan once, for many instances.
   * @throws MigrationPlanValidationException (ENGINE-23001) and the errors of {@link definition}.
   */
  async compile(
    plan: MigrationPlan,
  ): Promise<{ compiled: CompiledMigrationPlan; source: ResolvedDefinition }> {
    const source = await this.definition(plan.sourceProcessDefinitionId, 'Source');
    const target = await this.definition(plan.targetProcessDefinitionId, 'Target');
    return { compiled: compileMigrationPlan(source.definition, target.definition, plan), source };
  }

  /**
   * Migrates the selected instances in one transaction, all or nothing, and logs the operation there.
   * @throws the errors of {@link compile}; BadUserRequestException for a `null` id and for an empty
   * selection; ProcessEngineException ENGINE-23003 for an unknown instance; the first instance's
   * MigratingProcessInstanceValidationException; the other per-instance errors of `migrateInstanceWithPlan`.
   */
  async execute(execution: MigrationExecution, actor: MigrationActor): Promise<void> {
    const { compiled, source } = await this.compile(execution.plan);
    const selection = readSelection(execution.selection, SELECTION);
    const instanceIds = await resolveSelection(this.runtime, selection, SELECTION);
    const entry = migrationOperation(compiled.plan, source.record, instanceIds.length, false, actor.userId);
    await this.runtime.updateMany(
      instanceIds,
      (_model, state, ctx) =>
        migrateInstanceWithPlan(compiled, state, ctx, { skipIoMappings: execution.skipIoMappings }),
      {
        requireAll: true,
        notFound: (id) =>
          new ProcessEngineException(
            `ENGINE-23003 Process instance '${id}' cannot be migrated. The process instance does not exist`,
          ),
        alongside: (sql) => this.operationLog.write(sql, [entry]),
      },
    );
  }

  /**
   * Starts an `instance-migration` batch over the selected instances (fixed now), logging the
   * operation in the batch's creation transaction.
   * @throws the errors of {@link compile}; BadUserRequestException for a `null` id and for an empty
   * selection.
   */
  async executeAsync(execution: MigrationExecution, actor: MigrationActor): Promise<BatchRecord> {
    const { plan } = execution;
    const { source } = await this.compile(plan);
    const selection = readSelection(execution.selection, SELECTION);
    return this.batches.create({
      type: 'instance-migration',
      configuration: migrationBatchConfiguration.store({
        plan,
        skipCustomListeners: execution.skipCustomListeners,
        skipIoMappings: execution.skipIoMappings,
      }),
      processInstanceIds: selection.ids,
      processInstanceQuery: selection.query,
      tenantId: source.record.tenantId,
      userId: actor.userId,
      emptyMessage: SELECTION.empty,
      alongside: (sql, created, items) =>
        this.operationLog.write(sql, [
          migrationOperation(plan, source.record, items, true, actor.userId, created.id),
        ]),
    });
  }
}

/** The `Migrate` entry of a migration (reference §9.12): the source's ids, the target as new value. */
export function migrationOperation(
  plan: MigrationPlan,
  source: ProcessDefinitionRecord,
  instances: number,
  async: boolean,
  userId: string | null,
  batchId: string | null = null,
): UserOperation {
  const variables = Object.keys(plan.variables ?? {}).length;
  return {
    operationType: OPERATION_TYPES.migrate,
    entityType: 'ProcessInstance',
    category: 'Operator',
    userId,
    timestamp: new Date(),
    processDefinitionId: source.id,
    processDefinitionKey: source.key,
    deploymentId: source.deploymentId,
    tenantId: source.tenantId,
    batchId,
    changes: [
      change('processDefinitionId', plan.targetProcessDefinitionId, plan.sourceProcessDefinitionId),
      change('nrOfInstances', instances),
      ...(variables > 0 ? [change('nrOfSetVariables', variables)] : []),
      change('async', async),
    ],
  };
}
