import {
  BadUserRequestException,
  InvalidVariableValueException,
  type BatchModificationInstruction,
} from '@libs/engine';
import { authenticatedUserId, errorAs, errorOverrides, InvalidRequestException } from '@libs/http';
import type { ModificationExecution, ModificationOptions } from '@libs/runtime';
import type { Services } from '../common/services';
import { selectionRequest } from './dto/instance-selection.dto';
import {
  instanceModificationSchema,
  modificationSchema,
  readBody,
  readInstructions,
} from './dto/modification.dto';
import { ApiRouter } from './openapi/api-router';
import { batchDto, batchDtoSchema } from './dto/batch.dto';

/**
 * Camunda's `ModificationRestServiceImpl` answers every bad-user-request of the engine (unknown
 * definition, empty selection, unknown activity …) as a 400 InvalidRequestException without code.
 */
const badUserRequestsAsInvalid = errorOverrides(errorAs(BadUserRequestException, { status: 400 }));

/** Instruction variables that do not convert are a 400 InvalidRequestException with the engine's code. */
const invalidVariables = errorOverrides(
  errorAs(InvalidVariableValueException, { status: 400, keepCode: true }),
);

/** `/modification`: many instances of one definition, synchronously or as a batch (reference §4.4, §4.5). */
export function modificationRoutes({ modifications }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Modification' });

  router.post(
    '/execute',
    {
      summary: 'Modify process instances',
      body: modificationSchema,
      responses: { 204: null },
      errors: [400],
    },
    badUserRequestsAsInvalid,
    async (req, res) => {
      const { execution, options } = readModification(req.body);
      await modifications.execute(execution, { ...options, userId: authenticatedUserId(res) });
      res.status(204).end();
    },
  );

  router.post(
    '/executeAsync',
    {
      summary: 'Modify process instances in a batch',
      body: modificationSchema,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    badUserRequestsAsInvalid,
    async (req, res) => {
      const { execution, options } = readModification(req.body);
      const batch = await modifications.executeAsync(execution, {
        ...options,
        userId: authenticatedUserId(res),
      });
      res.json(batchDto(batch));
    },
  );

  return router;
}

/** `/process-instance/{id}/modification` and `…/modification-async` (reference §4.2, §4.3). */
export function instanceModificationRoutes({ modifications }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Modification' });

  router.post(
    '/:id/modification',
    {
      summary: 'Modify a process instance',
      body: instanceModificationSchema,
      responses: { 204: null },
      errors: [400],
    },
    invalidVariables,
    async (req, res) => {
      const body = readBody(instanceModificationSchema, req.body);
      const instructions = readInstructions(body.instructions ?? [], 'single');
      await modifications.modifyOne(req.params.id, instructions, {
        ...readOptions(body),
        userId: authenticatedUserId(res),
      });
      res.status(204).end();
    },
  );

  router.post(
    '/:id/modification-async',
    {
      summary: 'Modify a process instance in a batch',
      body: instanceModificationSchema,
      responses: { 200: batchDtoSchema },
      errors: [400],
    },
    async (req, res) => {
      const body = readBody(instanceModificationSchema, req.body);
      const instructions = readInstructions(body.instructions ?? [], 'singleAsync');
      if (instructions.length === 0) {
        throw new InvalidRequestException(400, 'The provided instuctions are invalid.');
      }
      const batch = await modifications.modifyOneAsync(req.params.id, instructions, {
        ...readOptions(body),
        userId: authenticatedUserId(res),
      });
      res.json(batchDto(batch));
    },
  );

  return router;
}

/** A `ModificationDto` with Camunda's checks, in its order (the selection's come in the use case). */
function readModification(raw: unknown): {
  execution: ModificationExecution;
  options: Omit<ModificationOptions, 'userId'>;
} {
  const body = readBody(modificationSchema, raw);
  if (!body.processDefinitionId) throw new InvalidRequestException(400, 'processDefinitionId is null');
  const instructions = readInstructions(body.instructions ?? [], 'multi') as BatchModificationInstruction[];
  if (instructions.length === 0) {
    throw new InvalidRequestException(400, 'Modification instructions cannot be empty is empty');
  }
  return {
    execution: {
      processDefinitionId: body.processDefinitionId,
      instructions,
      selection: selectionRequest(
        body.processInstanceIds,
        body.processInstanceQuery,
        body.historicProcessInstanceQuery,
      ),
    },
    options: readOptions(body),
  };
}

function readOptions(body: {
  skipCustomListeners?: boolean | null;
  skipIoMappings?: boolean | null;
  annotation?: string | null;
}): Omit<ModificationOptions, 'userId'> {
  return {
    skipCustomListeners: body.skipCustomListeners ?? false,
    skipIoMappings: body.skipIoMappings ?? false,
    annotation: body.annotation ?? null,
  };
}
