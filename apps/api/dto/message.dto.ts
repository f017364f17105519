import { z } from 'zod';
import { visibleVariables } from '@libs/engine';
import { InvalidRequestException, parseRequest } from '@libs/http';
import type { CorrelateMessageCommand, CorrelationOutcome } from '@libs/runtime';
import { processInstanceDto } from './process-instance.dto';
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
    startMessagesOnly: dto.startMessagesOnly ?? false,
  };
  return {
    command,
    resultEnabled: dto.resultEnabled ?? false,
    variablesInResultEnabled: dto.variablesInResultEnabled ?? false,
  };
}

/**
 * Camunda's `MessageCorrelationResultDto` (with `variables`: `MessageCorrelationResultWithVariableDto`,
 * the process variables after the delivery): an `Execution` result names the execution that received
 * the message, a `ProcessDefinition` result the instance a message start event started.
 */
export function correlationResultDto(result: CorrelationOutcome, withVariables: boolean) {
  const { instance } = result;
  const dto =
    result.resultType === 'Execution'
      ? {
          resultType: 'Execution',
          execution: {
            id: result.executionId,
            processInstanceId: result.processInstanceId,
            ended:
              instance.state !== 'ACTIVE' ||
              !instance.activityInstances.some((activity) => activity.executionId === result.executionId),
            tenantId: result.tenantId,
          },
          processInstance: null,
        }
      : {
          resultType: 'ProcessDefinition',
          execution: null,
          // Camunda's `ProcessInstanceDto.fromProcessInstance`: without links.
          processInstance: processInstanceDto({ ...instance, ended: instance.state !== 'ACTIVE' }),
        };
  return withVariables ? { ...dto, variables: variablesDto(visibleVariables(instance, instance.id)) } : dto;
}
