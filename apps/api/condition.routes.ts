import { z } from 'zod';
import { InvalidVariableValueException } from '@libs/engine';
import { errorAs, errorOverrides, InvalidRequestException, parseRequest } from '@libs/http';
import type { Services } from '../common/services';
import { processInstanceDto, processInstanceDtoSchema } from './dto/process-instance.dto';
import { readVariables } from './dto/variables.dto';
import { ApiRouter } from './openapi/api-router';
import { jsonObject } from './openapi/schemas';

/** Camunda's `EvaluationConditionDto` (unknown fields are ignored). */
const conditionSchema = z
  .object({
    variables: z.unknown().optional(),
    businessKey: z.string().nullish(),
    processDefinitionId: z.string().nullish(),
    tenantId: z.string().nullish(),
    withoutTenantId: z.boolean().nullish(),
  })
  .loose();

const conditionFailures = errorOverrides(
  errorAs(InvalidVariableValueException, {
    status: 400,
    message: (error) => `Cannot evaluate condition: ${error.message}`,
  }),
);

/**
 * `POST /condition`: evaluates the conditional start events of the latest definitions (or of the
 * given one) over the request's variables and starts an instance through each that holds; answers
 * those instances (Camunda's `ProcessInstanceDto`s, without links).
 */
export function conditionRoutes({ conditions }: Services): ApiRouter {
  const router = new ApiRouter({ tag: 'Condition' });

  const doc = {
    summary: 'Evaluate the conditional start events',
    body: jsonObject,
    responses: { 200: z.array(processInstanceDtoSchema) },
    errors: [400],
  };
  router.post('/', doc, conditionFailures, async (req, res) => {
    const dto = parseRequest(conditionSchema, req.body ?? {});
    const given = (value: string | null | undefined) => value ?? undefined;
    if (given(dto.tenantId) !== undefined && dto.withoutTenantId === true) {
      throw new InvalidRequestException(
        400,
        "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.",
      );
    }
    const instances = await conditions.evaluateStartConditions({
      variables: dto.variables === undefined || dto.variables === null ? {} : readVariables(dto.variables),
      businessKey: given(dto.businessKey),
      processDefinitionId: given(dto.processDefinitionId),
      tenantId: dto.withoutTenantId === true ? null : given(dto.tenantId),
    });
    res.json(
      instances.map((instance) => processInstanceDto({ ...instance, ended: instance.state !== 'ACTIVE' })),
    );
  });

  return router;
}
