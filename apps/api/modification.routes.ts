import { Router } from 'express';
import { modificationBatchConfiguration } from '@libs/batch';
import { BadUserRequestException, type BatchModificationInstruction } from '@libs/engine';
import { authenticatedUserId, InvalidRequestException } from '@libs/http';
import {
  instanceNotModifiable,
  multiModificationOperation,
  singleModificationOperation,
  type ModificationOptions,
} from '@libs/runtime';
import type { Services } from '../common/services';
import { batchDto } from './dto/batch.dto';
import {
  readInstanceSelection,
  resolveSelection,
  type SelectionMessages,
} from './dto/instance-selection.dto';
import {
  instanceModificationSchema,
  modificationSchema,
  readBody,
  readInstructions,
} from './dto/modification.dto';

const SELECTION: SelectionMessages = {
  empty: 'Process instance ids cannot be empty: Process instance ids is empty',
  containsNull: 'Process instance ids cannot be null: Process instance ids contains null value',
};

/**
 * Camunda's `ModificationRestServiceImpl` answers every bad-user-request of the engine (unknown
 * definition, empty selection, unknown activity …) as a 400 InvalidRequestException without code.
 */
async function asInvalidRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BadUserRequestException) throw new InvalidRequestException(400, error.message);
    throw error;
  }
}

/** `/modification`: many instances of one definition, synchronously or as a batch (reference §4.4, §4.5). */
export function modificationRoutes({ modifications, runtime, batches, operationLog }: Services): Router {
  const router = Router();

  const prepare = async (raw: unknown) => {
    const body = readBody(modificationSchema, raw);
    if (!body.processDefinitionId) throw new InvalidRequestException(400, 'processDefinitionId is null');
    const instructions = readInstructions(body.instructions ?? [], 'multi') as BatchModificationInstruction[];
    if (instructions.length === 0) {
      throw new InvalidRequestException(400, 'Modification instructions cannot be empty is empty');
    }
    const selection = await asInvalidRequest(async () =>
      readInstanceSelection(body.processInstanceIds, body.processInstanceQuery, SELECTION),
    );
    const options: ModificationOptions = {
      skipCustomListeners: body.skipCustomListeners ?? false,
      skipIoMappings: body.skipIoMappings ?? false,
      annotation: body.annotation ?? null,
      userId: null,
    };
    return { processDefinitionId: body.processDefinitionId, instructions, selection, options };
  };

  router.post('/execute', async (req, res) => {
    const { processDefinitionId, instructions, selection, options } = await prepare(req.body);
    const ids = await asInvalidRequest(() => resolveSelection(runtime, selection, SELECTION));
    const definition = await asInvalidRequest(() => modifications.definition(processDefinitionId));
    await asInvalidRequest(() =>
      modifications.modifyMany(
        definition,
        ids,
        { processDefinitionId, instructions, ...options },
        { ...options, userId: authenticatedUserId(res) },
      ),
    );
    res.status(204).end();
  });

  router.post('/executeAsync', async (req, res) => {
    const { processDefinitionId, instructions, selection, options } = await prepare(req.body);
    const definition = await asInvalidRequest(() => modifications.definition(processDefinitionId));
    const userId = authenticatedUserId(res);
    const batch = await asInvalidRequest(() =>
      batches.create({
        type: 'instance-modification',
        configuration: modificationBatchConfiguration(processDefinitionId, instructions, {
          singleInstance: false,
          ...options,
        }),
        processInstanceIds: selection.ids,
        processInstanceQuery: selection.query,
        tenantId: definition.tenantId,
        userId,
        emptyMessage: SELECTION.empty,
        alongside: (sql, created, items) =>
          operationLog.write(sql, [
            multiModificationOperation(definition, items, true, { ...options, userId }, created.id),
          ]),
      }),
    );
    res.json(batchDto(batch));
  });

  return router;
}

/** `/process-instance/{id}/modification` and `…/modification-async` (reference §4.2, §4.3). */
export function instanceModificationRoutes({
  modifications,
  runtime,
  batches,
  operationLog,
}: Services): Router {
  const router = Router();

  router.post('/:id/modification', async (req, res) => {
    const body = readBody(instanceModificationSchema, req.body);
    const instructions = readInstructions(body.instructions ?? [], 'single');
    await modifications.modifyOne(req.params.id, instructions, {
      skipCustomListeners: body.skipCustomListeners ?? false,
      skipIoMappings: body.skipIoMappings ?? false,
      annotation: body.annotation ?? null,
      userId: authenticatedUserId(res),
    });
    res.status(204).end();
  });

  router.post('/:id/modification-async', async (req, res) => {
    const body = readBody(instanceModificationSchema, req.body);
    const instructions = readInstructions(body.instructions ?? [], 'singleAsync');
    if (instructions.length === 0) {
      throw new InvalidRequestException(400, 'The provided instuctions are invalid.');
    }
    const state = await runtime.load(req.params.id);
    if (!state) throw instanceNotModifiable(req.params.id);
    const options: ModificationOptions = {
      skipCustomListeners: body.skipCustomListeners ?? false,
      skipIoMappings: body.skipIoMappings ?? false,
      annotation: body.annotation ?? null,
      userId: authenticatedUserId(res),
    };
    const definition = { id: state.definitionId, key: state.definitionKey };
    const batch = await batches.create({
      type: 'instance-modification',
      configuration: modificationBatchConfiguration(state.definitionId, instructions, {
        singleInstance: true,
        ...options,
      }),
      processInstanceIds: [state.id],
      tenantId: state.tenantId,
      userId: options.userId,
      emptyMessage: 'The provided instuctions are invalid.',
      totalJobs: 1,
      alongside: (sql, created) =>
        operationLog.write(sql, [
          singleModificationOperation(state.id, definition, options, true, created.id),
        ]),
    });
    res.json(batchDto(batch));
  });

  return router;
}
