import { InvalidVariableValueException } from '@libs/engine';
import { errorAs, errorOverrides, InvalidRequestException } from '@libs/http';
import type { Services } from '../common/services';
import { correlationResultDto, readMessageRequest, VARIABLE_PARTS } from './dto/message.dto';
import { z } from 'zod';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

const delivering = (error: Error) => `Cannot deliver message: ${error.message}`;

/** Variables that do not parse or convert read `Cannot deliver message: …`, as Camunda words them. */
const deliveryFailures = errorOverrides(
  errorAs(InvalidRequestException, {
    when: (error: InvalidRequestException) => error.part !== undefined && VARIABLE_PARTS.has(error.part),
    status: 400,
    message: delivering,
  }),
  errorAs(InvalidVariableValueException, { status: 400, message: delivering }),
);

/**
 * `POST /message`: delivers a message to the executions waiting for it (receive tasks, intermediate
 * message catch events, message boundary events, event-based gateways), or starts an instance through a
 * message start event when no execution matches. 204, or 200 with the correlation results when
 * `resultEnabled`; no match (or several without `all`) is a 400 MismatchingMessageCorrelationException.
 */
export function messageRoutes({ messages }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Message' });

  router.post(
    '/',
    {
      summary: 'Correlate a message',
      body: jsonObject,
      errors: [400],
      responses: { 200: z.array(jsonObject), 204: null },
    },
    deliveryFailures,
    async (req, res) => {
      const request = readMessageRequest(req.body);
      const results = await messages.correlate(request.command);
      if (!request.resultEnabled) {
        res.status(204).end();
        return;
      }
      res.json(results.map((result) => correlationResultDto(result, request.variablesInResultEnabled)));
    },
  );

  return router;
}
