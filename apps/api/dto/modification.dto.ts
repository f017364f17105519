import { z } from 'zod';
import {
  fromRestTriggerVariables,
  type InstantiationInstruction,
  type ModificationInstruction,
  type RestTriggerVariables,
} from '@libs/engine';
import { InvalidRequestException, parseRequest } from '@libs/http';
import { storedId, storedText } from './stored-fields';
import { variableMapSchema } from './variables.dto';

const INSTRUCTION_TYPES = ['startBeforeActivity', 'startAfterActivity', 'startTransition', 'cancel'] as const;

const instructionSchema = z
  .object({
    type: z.enum(INSTRUCTION_TYPES),
    activityId: z.string().nullish(),
    transitionId: z.string().nullish(),
    activityInstanceId: z.string().nullish(),
    transitionInstanceId: z.string().nullish(),
    ancestorActivityInstanceId: z.string().nullish(),
    cancelCurrentActiveActivityInstances: z.boolean().nullish(),
    variables: variableMapSchema.nullish(),
  })
  .loose();

/** A list of Camunda's `ProcessInstanceModificationInstructionDto`s (also `startInstructions`). */
export const instructionsSchema = z.array(instructionSchema).nullish();

/** Camunda's `ProcessInstanceModificationDto` (single instance, sync and async). */
export const instanceModificationSchema = z
  .object({
    instructions: instructionsSchema,
    skipCustomListeners: z.boolean().nullish(),
    skipIoMappings: z.boolean().nullish(),
    annotation: storedText.nullish(),
  })
  .loose();

/** Camunda's `ModificationDto` (many instances of one definition). */
export const modificationSchema = z
  .object({
    processDefinitionId: z.string().nullish(),
    instructions: instructionsSchema,
    processInstanceIds: z.array(storedId.nullable()).nullish(),
    processInstanceQuery: z.unknown().optional(),
    historicProcessInstanceQuery: z.unknown().optional(),
    skipCustomListeners: z.boolean().nullish(),
    skipIoMappings: z.boolean().nullish(),
    annotation: storedText.nullish(),
  })
  .loose();

export type InstructionBody = z.infer<typeof instructionSchema>;

/**
 * Which endpoint reads the instructions (reference §4.1): `single` (one instance, sync: everything
 * honoured), `singleAsync` (variables dropped) or `multi` (cancel by activity only, no ancestors, no
 * variables, `cancelCurrentActiveActivityInstances` honoured).
 */
export type InstructionMode = 'single' | 'singleAsync' | 'multi';

export function readBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return parseRequest(schema, body ?? {});
}

/**
 * The engine's instructions from the DTOs, with Camunda's 400 messages for missing fields.
 * @throws InvalidRequestException; InvalidVariableValueException for instruction variables (`single`).
 */
export function readInstructions(
  dtos: readonly InstructionBody[],
  mode: InstructionMode,
): ModificationInstruction[] {
  return dtos.map((dto) => readInstruction(dto, mode));
}

function readInstruction(dto: InstructionBody, mode: InstructionMode): ModificationInstruction {
  if (dto.type === 'cancel') return readCancel(dto, mode);
  const ancestor =
    mode === 'multi' ? {} : { ancestorActivityInstanceId: dto.ancestorActivityInstanceId ?? null };
  return { ...readStart(dto, dto.type, mode === 'single'), ...ancestor };
}

/**
 * The `startInstructions` of `POST /process-definition/…/start` (Camunda's
 * `applyTo(InstantiationBuilder)`): start instructions with their variables, ancestors ignored, and
 * `cancel` entries silently dropped (they only apply to modification builders).
 * @throws InvalidRequestException; InvalidVariableValueException for instruction variables.
 */
export function readStartInstructions(dtos: readonly InstructionBody[]): InstantiationInstruction[] {
  return dtos.flatMap((dto) => (dto.type === 'cancel' ? [] : [readStart(dto, dto.type, true)]));
}

function readStart(
  dto: InstructionBody,
  type: InstantiationInstruction['type'],
  withVariables: boolean,
): InstantiationInstruction {
  const variables = withVariables ? { variables: readTriggerVariables(dto.variables) } : {};
  switch (type) {
    case 'startBeforeActivity':
    case 'startAfterActivity':
      return { type, activityId: required(dto, 'activityId'), ...variables };
    case 'startTransition':
      return { type, transitionId: required(dto, 'transitionId'), ...variables };
  }
}

function readCancel(dto: InstructionBody, mode: InstructionMode): ModificationInstruction {
  if (mode === 'multi') {
    return {
      type: 'cancel',
      activityId: required(dto, 'activityId'),
      cancelCurrentActiveActivityInstances: dto.cancelCurrentActiveActivityInstances ?? false,
    };
  }
  const given = [dto.activityId, dto.activityInstanceId, dto.transitionInstanceId].filter(
    (value) => value !== null && value !== undefined,
  );
  if (given.length !== 1) {
    throw new InvalidRequestException(
      400,
      "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required",
    );
  }
  if (dto.activityId) return { type: 'cancel', activityId: dto.activityId };
  if (dto.activityInstanceId) return { type: 'cancel', activityInstanceId: dto.activityInstanceId };
  return { type: 'cancel', transitionInstanceId: dto.transitionInstanceId! };
}

function required(dto: InstructionBody, field: 'activityId' | 'transitionId'): string {
  const value = dto[field];
  if (value === null || value === undefined) {
    throw new InvalidRequestException(400, `For instruction type '${dto.type}': '${field}' must be set`, {
      part: 'instructions',
    });
  }
  return value;
}

/**
 * The typed variables of a start instruction.
 * @throws InvalidVariableValueException for a value that does not convert (the route answers it).
 */
function readTriggerVariables(variables: InstructionBody['variables']) {
  return fromRestTriggerVariables((variables ?? null) as RestTriggerVariables | null);
}
