import {
  BadUserRequestException,
  InvalidVariableValueException,
  migrationPlanDto,
  NotFoundException,
  NotValidException,
} from '@libs/engine';
import { authenticatedUserId, errorAs, errorOverrides } from '@libs/http';
import type { MigrationExecution } from '@libs/runtime';
import type { Services } from '../common/services';
import { batchDto, batchDtoSchema } from './dto/batch.dto';
import { refuseHistoricQuery, selectionRequest } from './dto/instance-selection.dto';
import {
  migrationExecutionSchema,
  migrationGenerationSchema,
  migrationPlanDtoSchema,
  migrationPlanReportDtoSchema,
  migrationPlanSchema,
  readMigrationBody,
  toMigrationPlan,
} from './dto/migration.dto';
import { ApiRouter } from './openapi/api-router';

/**
 * Camunda's REST layer answers a bad request of plan construction (an unknown or missing definition, a
 * bad plan variable) as a 400 InvalidRequestException with the engine's code; an invalid plan stays a
 * MigrationPlanValidationException with its report.
 */
const planConstruction = errorOverrides(
  errorAs(NotFoundException, {
    when: (error) => error.entity === 'processDefinition',
    status: 400,
    keepCode: true,
  }),
  errorAs(NotValidException, { status: 400, keepCode: true }),
  errorAs(InvalidVariableValueException, { status: 400, keepCode: true }),
);

/** Generation answers every bad request, an invalid plan included, as an InvalidRequestException. */
const generation = errorOverrides(errorAs(BadUserRequestException, { status: 400, keepCode: true }));

/** `/migration`: plan generation and validation, synchronous and batch execution (reference §3). */
export function migrationRoutes({ migrations }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Migration' });

  router.post(
    '/generate',
    {
      summary: 'Generate a migration plan',
      body: migrationGenerationSchema,
      responses: { 200: migrationPlanDtoSchema },
      errors: [400],
    },
    generation,
    async (req, res) => {
      const body = readMigrationBody(migrationGenerationSchema, req.body);
      const plan = await migrations.generate(body.sourceProcessDefinitionId, body.targetProcessDefinitionId, {
        updateEventTriggers: body.updateEventTriggers ?? false,
        variables: toMigrationPlan({ variables: body.variables }).variables,
      });
      res.json(migrationPlanDto(plan));
    },
  );

  router.post(
    '/validate',
    {
      summary: 'Validate a migration plan',
      body: migrationPlanSchema,
      responses: { 200: migrationPlanReportDtoSchema },
      errors: [400],
    },
    planConstruction,
    async (req, res) => {
      const plan = toMigrationPlan(readMigrationBody(migrationPlanSchema, req.body));
      res.json(await migrations.validate(plan));
    },
  );

  router.post(
    '/execute',
    {
      summary: 'Migrate process instances',
      body: migrationExecutionSchema,
      responses: { 204: null },
      errors: [400],
    },
    planConstruction,
    async (req, res) => {
      await migrations.execute(readExecution(req.body), { userId: authenticatedUserId(res) });
      res.status(204).end();
    },
  );

  router.post(
    '/executeAsync',
    {
      summary: 'Migrate process instances in a batch',
      body: migrationExecutionSchema,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    planConstruction,
    async (req, res) => {
      const batch = await migrations.executeAsync(readExecution(req.body), {
        userId: authenticatedUserId(res),
      });
      res.json(batchDto(batch));
    },
  );

  return router;
}

/** A `MigrationExecutionDto` as the use case takes it. */
function readExecution(raw: unknown): MigrationExecution {
  refuseHistoricQuery(raw);
  const body = readMigrationBody(migrationExecutionSchema, raw);
  return {
    plan: toMigrationPlan(body.migrationPlan),
    selection: selectionRequest(body.processInstanceIds, body.processInstanceQuery),
    skipCustomListeners: body.skipCustomListeners ?? false,
    skipIoMappings: body.skipIoMappings ?? false,
  };
}
