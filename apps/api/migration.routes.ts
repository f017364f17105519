import { Router } from 'express';
import { BadUserRequestException, migrationPlanDto, MigrationPlanValidationException } from '@libs/engine';
import { migrationBatchConfiguration } from '@libs/batch';
import { authenticatedUserId, InvalidRequestException } from '@libs/http';
import { migrationOperation } from '@libs/runtime';
import type { Services } from '../common/services';
import { batchDto } from './dto/batch.dto';
import {
  readInstanceSelection,
  resolveSelection,
  type SelectionMessages,
} from './dto/instance-selection.dto';
import {
  migrationExecutionSchema,
  migrationGenerationSchema,
  migrationPlanSchema,
  readMigrationBody,
  toMigrationPlan,
  type MigrationExecutionBody,
} from './dto/migration.dto';

const SELECTION: SelectionMessages = {
  empty: 'Process instance ids cannot empty: process instance ids is empty',
  containsNull: 'Process instance ids cannot be null: process instance ids contains null value',
};

/**
 * Runs plan construction the way Camunda's REST layer does: a bad-user-request of the engine (unknown
 * or missing definition, bad variable) becomes a 400 InvalidRequestException; with `keepReport`, an
 * invalid plan stays a MigrationPlanValidationException with its report.
 */
async function constructing<T>(work: () => Promise<T>, keepReport = true): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (keepReport && error instanceof MigrationPlanValidationException) throw error;
    if (error instanceof BadUserRequestException) {
      throw new InvalidRequestException(400, error.message, { cause: error });
    }
    throw error;
  }
}

/** `/migration`: plan generation and validation, synchronous and batch execution (reference §3). */
export function migrationRoutes({ migrations, runtime, batches, operationLog }: Services): Router {
  const router = Router();

  router.post('/generate', async (req, res) => {
    const body = readMigrationBody(migrationGenerationSchema, req.body);
    const plan = await constructing(
      () =>
        migrations.generate(body.sourceProcessDefinitionId, body.targetProcessDefinitionId, {
          updateEventTriggers: body.updateEventTriggers ?? false,
          variables: toMigrationPlan({ variables: body.variables }).variables,
        }),
      false,
    );
    res.json(migrationPlanDto(plan));
  });

  router.post('/validate', async (req, res) => {
    const plan = toMigrationPlan(readMigrationBody(migrationPlanSchema, req.body));
    res.json(await constructing(() => migrations.validate(plan)));
  });

  const prepare = async (body: MigrationExecutionBody) => {
    const plan = toMigrationPlan(body.migrationPlan);
    const { compiled, source } = await constructing(() => migrations.compile(plan));
    const selection = readInstanceSelection(body.processInstanceIds, body.processInstanceQuery, SELECTION);
    return { plan, compiled, source, selection };
  };

  router.post('/execute', async (req, res) => {
    const { compiled, source, selection } = await prepare(
      readMigrationBody(migrationExecutionSchema, req.body),
    );
    const ids = await resolveSelection(runtime, selection, SELECTION);
    await migrations.execute(compiled, source, ids, { userId: authenticatedUserId(res) });
    res.status(204).end();
  });

  router.post('/executeAsync', async (req, res) => {
    const body = readMigrationBody(migrationExecutionSchema, req.body);
    const { plan, source, selection } = await prepare(body);
    const userId = authenticatedUserId(res);
    const batch = await batches.create({
      type: 'instance-migration',
      configuration: migrationBatchConfiguration(plan, {
        skipCustomListeners: body.skipCustomListeners ?? false,
        skipIoMappings: body.skipIoMappings ?? false,
      }),
      processInstanceIds: selection.ids,
      processInstanceQuery: selection.query,
      tenantId: source.record.tenantId,
      userId,
      emptyMessage: SELECTION.empty,
      alongside: (sql, created, items) =>
        operationLog.write(sql, [migrationOperation(plan, source.record, items, true, userId, created.id)]),
    });
    res.json(batchDto(batch));
  });

  return router;
}
