import type { Request } from 'express';
import { z } from 'zod';
import { BadUserRequestException, type InstantiationInstruction } from '@libs/engine';
import {
  authenticatedUserId,
  errorAs,
  errorOverrides,
  InvalidRequestException,
  parseRequest,
} from '@libs/http';
import type { RestartCommand } from '@libs/runtime';
import type { Services } from '../common/services';
import { batchDto, batchDtoSchema } from './dto/batch.dto';
import { readHistoricSelection } from './dto/instance-selection.dto';
import { instructionsSchema, readStartInstructions, type InstructionBody } from './dto/modification.dto';
import { storedId } from './dto/stored-fields';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

/** Camunda's `RestartProcessInstanceDto`. */
const restartBody = z
  .object({
    processInstanceIds: z.array(storedId.nullable()).nullish(),
    historicProcessInstanceQuery: z.unknown().optional(),
    instructions: instructionsSchema,
    initialVariables: z.boolean().nullish(),
    skipCustomListeners: z.boolean().nullish(),
    skipIoMappings: z.boolean().nullish(),
    withoutBusinessKey: z.boolean().nullish(),
  })
  .loose();

/**
 * Camunda's `restartProcessInstance(Async)` answers every bad-user-request of the engine (unknown
 * definition or instance, empty selection or instructions) as a 400 InvalidRequestException.
 */
const badUserRequestsAsInvalid = errorOverrides(errorAs(BadUserRequestException, { status: 400 }));

/**
 * `POST /process-definition/{id}/restart` (all at once, 204) and `/restart-async` (an `instance-restart`
 * batch): ended instances of the definition start anew at the given elements.
 */
export function restartRoutes({ restarts }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Process Definition' });

  const restartDoc = {
    summary: 'Restart ended instances of a definition',
    body: jsonObject,
    responses: { 204: null },
    errors: [400],
  };
  router.post('/:id/restart', restartDoc, badUserRequestsAsInvalid, async (req, res) => {
    await restarts.restart(readRestart(req), authenticatedUserId(res));
    res.status(204).end();
  });

  const asyncDoc = {
    summary: 'Restart ended instances of a definition as a batch',
    body: jsonObject,
    responses: { 200: batchDtoSchema },
    errors: [400],
  };
  router.post('/:id/restart-async', asyncDoc, badUserRequestsAsInvalid, async (req, res) => {
    const batch = await restarts.restartAsync(readRestart(req), authenticatedUserId(res));
    res.json(batchDto(batch));
  });

  return router;
}

function readRestart(req: Request): RestartCommand {
  const body = parseRequest(restartBody, req.body ?? {});
  return {
    processDefinitionId: String(req.params.id),
    processInstanceIds: body.processInstanceIds ?? [],
    historicQuery: readHistoricSelection(body.historicProcessInstanceQuery),
    instructions: readRestartInstructions(body.instructions ?? []),
    initialVariables: body.initialVariables ?? false,
    skipCustomListeners: body.skipCustomListeners ?? false,
    skipIoMappings: body.skipIoMappings ?? false,
    withoutBusinessKey: body.withoutBusinessKey ?? false,
  };
}

/**
 * Restart instructions start elements only, without variables (Camunda's restart builder has no
 * variables per instruction and no cancellation: it would drop them silently; they are refused here).
 * @throws InvalidRequestException
 */
function readRestartInstructions(dtos: readonly InstructionBody[]): InstantiationInstruction[] {
  for (const dto of dtos) {
    if (dto.type === 'cancel') {
      throw new InvalidRequestException(
        400,
        "For instruction type 'cancel': not supported for restart (only startBeforeActivity, startAfterActivity and startTransition)",
      );
    }
    if (dto.variables !== undefined && dto.variables !== null) {
      throw new InvalidRequestException(
        400,
        `For instruction type '${dto.type}': variables are not supported for restart (the instance gets its historic variables)`,
      );
    }
  }
  return readStartInstructions(dtos).map(({ variables: _variables, ...instruction }) => instruction);
}
