import { z } from 'zod';
import { visibleVariables } from '@libs/engine';
import { InvalidRequestException, parseRequest } from '@libs/http';
import type { CorrelateMessageCommand, CorrelatedExecution } from '@libs/runtime';
import { readVariables, variablesDto } from './variables.dto';

/** Camunda's `CorrelationMessageDto` (unknown fields are ignored). */
const correlationSchema = z
  .object({
    messageName: z.string().nullish(),
    businessKey: z.string().nullish(),
    processInstanceId: z.string().nullish(),
    tenantId: z.string().nullish(),
    withoutTenantId: z.boolean().nullish(),
    correlationKeys: z.unknown().optional(),
    localCorrelationKeys: z.unknown().optional(),
    processVariables: z.unknown().optional(),
    processVariablesLocal: z.unknown().optional(),
    processVariablesToTriggeredScope: z.record(z.string(), z.unknown()).nullish(),
    all: z.boolean().nullish(),
    resultEnabled: z.boolean().nullish(),
    variablesInResultEnabled: z.boolean().nullish(),
    startMessagesOnly: z.boolean().nullish(),
  })
  .loose();

/** A parsed `POST /message` request. */
export interface MessageRequest {
  readonly command: CorrelateMessageCommand;
  readonly resultEnabled: boolean;
  readonly variablesInResultEnabled: boolean;
  /** Only message start events: this engine has none, so nothing can match. */
  readonly startMessagesOnly: boolean;
}

/** The request parts that hold variables: the `part` of an InvalidRequestException they raise. */
export const VARIABLE_PARTS: ReadonlySet<string> = new Set([
  'correlationKeys',
  'localCorrelationKeys',
  'processVariables',
  'processVariablesLocal',
]);

/**
 * Reads a `POST /message` body with Camunda's checks and messages.
 * @throws InvalidRequestException; for variables that do not parse, with one of {@link VARIABLE_PARTS}
 * as its `part`, and InvalidVariableValueException for values that do not convert.
 */
export function readMessageRequest(body: unknown): MessageRequest {
  const dto = parseRequest(correlationSchema, body ?? {});
  if (dto.messageName === undefined || dto.messageName === null) {
    throw new InvalidRequestException(400, 'No message name supplied');
  }
  if (dto.tenantId !== undefined && dto.tenantId !== null && dto.withoutTenantId) {
    throw new InvalidRequestException(
      400,
      "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.",
    );
  }
  if (dto.variablesInResultEnabled && !dto.resultEnabled) {
    throw new InvalidRequestException(
      400,
      "Parameter 'variablesInResultEnabled' cannot be used without 'resultEnabled' set to true.",
    );
  }
  if (dto.processVariablesToTriggeredScope && Object.keys(dto.processVariablesToTriggeredScope).length > 0) {
    throw new InvalidRequestException(
      400,
      'Cannot deliver message: processVariablesToTriggeredScope is not supported',
    );
  }
  const command: CorrelateMessageCommand = {
    messageName: dto.messageName,
    businessKey: dto.businessKey ?? undefined,
    processInstanceId: dto.processInstanceId ?? undefined,
    tenantId: dto.tenantId ?? undefined,
    withoutTenantId: dto.withoutTenantId ?? false,
    all: dto.all ?? false,
    correlationKeys: readVariables(dto.correlationKeys, 'correlationKeys'),
    localCorrelationKeys: readVariables(dto.localCorrelationKeys, 'localCorrelationKeys'),
    processVariables: readVariables(dto.processVariables, 'processVariables'),
    processVariablesLocal: readVariables(dto.processVariablesLocal, 'processVariablesLocal'),
  };
  return {
    command,
    resultEnabled: dto.resultEnabled ?? false,
    variablesInResultEnabled: dto.variablesInResultEnabled ?? false,
    startMessagesOnly: dto.startMessagesOnly ?? false,
  };
}

/**
 * Camunda's `MessageCorrelationResultDto` (with `variables`: `MessageCorrelationResultWithVariableDto`,
 * the process variables after the delivery). Only executions are correlated here, never a start event.
 */
export function correlationResultDto(result: CorrelatedExecution, withVariables: boolean) {
  const { instance } = result;
  const ended =
    instance.state !== 'ACTIVE' ||
    !instance.activityInstances.some((activity) => activity.executionId === result.executionId);
  const dto = {
    resultType: 'Execution',
    execution: {
      id: result.executionId,
      processInstanceId: result.processInstanceId,
      ended,
      tenantId: result.tenantId,
    },
    processInstance: null,
  };
  return withVariables ? { ...dto, variables: variablesDto(visibleVariables(instance, instance.id)) } : dto;
}
