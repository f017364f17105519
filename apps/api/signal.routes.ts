import { z } from 'zod';
import { InvalidVariableValueException, NotFoundException } from '@libs/engine';
import { errorAs, errorOverrides, InvalidRequestException, parseRequest } from '@libs/http';
import type { Services } from '../common/services';
import { readVariables } from './dto/variables.dto';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

/** Camunda's `SignalDto` (unknown fields are ignored). */
const signalSchema = z
  .object({
    name: z.string().nullish(),
    executionId: z.string().nullish(),
    variables: z.unknown().optional(),
    tenantId: z.string().nullish(),
    withoutTenantId: z.boolean().nullish(),
  })
  .loose();

/**
 * Camunda's REST maps a missing execution or subscription to 500 on purpose (older versions threw a
 * plain ProcessEngineException), with the engine's message.
 */
const signalFailures = errorOverrides(
  errorAs(NotFoundException, { status: 500, type: 'RestException', message: (error) => error.message }),
  errorAs(InvalidVariableValueException, {
    status: 400,
    message: (error) => `Cannot deliver signal: ${error.message}`,
  }),
);

/**
 * `POST /signal`: delivers a signal to every waiting signal subscription (or, with `executionId`, to
 * that execution's) and starts the latest definitions with a matching signal start event. 204.
 */
export function signalRoutes({ signals }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Signal' });

  router.post(
    '/',
    { summary: 'Deliver a signal', body: jsonObject, responses: { 204: null }, errors: [400] },
    signalFailures,
    async (req, res) => {
      const dto = parseRequest(signalSchema, req.body ?? {});
      if (dto.name === undefined || dto.name === null) {
        throw new InvalidRequestException(400, 'No signal name given');
      }
      // Camunda's builder: `withoutTenantId` wins over a tenant id given with it.
      const tenantId = dto.withoutTenantId ? null : (dto.tenantId ?? undefined);
      await signals.throwSignal({
        name: dto.name,
        executionId: dto.executionId ?? undefined,
        variables: dto.variables === undefined ? undefined : readVariables(dto.variables),
        tenantId,
      });
      res.status(204).end();
    },
  );

  return router;
}
