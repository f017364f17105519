import { z } from 'zod';
import type { MigrationPlan, MigrationPlanDto, MigrationPlanReport, RestVariableValue } from '@libs/engine';
import type { Mutable } from '../openapi/schemas';
import { parseRequest } from '@libs/http';
import { storedId } from './stored-fields';
import { variableMapSchema } from './variables.dto';

const idList = (field: string) =>
  z.array(z.string().nullable(), { error: `${field} must be an array of activity ids` }).min(1);

const instructionSchema = z
  .object({
    sourceActivityIds: idList('sourceActivityIds'),
    targetActivityIds: idList('targetActivityIds'),
    updateEventTrigger: z.boolean().nullish(),
  })
  .loose();

/** Camunda's `MigrationPlanDto`; missing definition ids are left to the engine's messages. */
export const migrationPlanSchema = z
  .object({
    sourceProcessDefinitionId: z.string().nullish(),
    targetProcessDefinitionId: z.string().nullish(),
    instructions: z.array(instructionSchema).nullish(),
    variables: variableMapSchema.nullish(),
  })
  .loose();

/** Camunda's `MigrationPlanGenerationDto`. */
export const migrationGenerationSchema = z
  .object({
    sourceProcessDefinitionId: z.string().nullish(),
    targetProcessDefinitionId: z.string().nullish(),
    updateEventTriggers: z.boolean().nullish(),
    variables: variableMapSchema.nullish(),
  })
  .loose();

/** Camunda's `MigrationExecutionDto`; a missing plan is a 400 here (Camunda: a NullPointer 500). */
export const migrationExecutionSchema = z
  .object({
    migrationPlan: migrationPlanSchema,
    processInstanceIds: z.array(storedId.nullable()).nullish(),
    processInstanceQuery: z.unknown().optional(),
    skipCustomListeners: z.boolean().nullish(),
    skipIoMappings: z.boolean().nullish(),
  })
  .loose();

const migrationInstructionDto = z
  .object({
    sourceActivityIds: z.array(z.string().nullable()),
    targetActivityIds: z.array(z.string().nullable()),
    updateEventTrigger: z.boolean(),
  })
  .meta({ id: 'MigrationInstructionDto' });

/** Camunda's `MigrationPlanDto` as `/migration/generate` answers it. */
export const migrationPlanDtoSchema: z.ZodType<Mutable<MigrationPlanDto>> = z
  .object({
    sourceProcessDefinitionId: z.string(),
    targetProcessDefinitionId: z.string(),
    instructions: z.array(migrationInstructionDto),
    variables: z
      .record(
        z.string(),
        z.object({
          value: z.unknown().optional(),
          type: z.string().nullable().optional(),
          valueInfo: z.record(z.string(), z.unknown()).nullable().optional(),
        }),
      )
      .nullable(),
  })
  .meta({ id: 'MigrationPlanDto' });

/** Camunda's `MigrationPlanReportDto`: only the failing instructions and variables. */
export const migrationPlanReportDtoSchema: z.ZodType<Mutable<MigrationPlanReport>> = z
  .object({
    instructionReports: z.array(
      z
        .object({ instruction: migrationInstructionDto, failures: z.array(z.string()) })
        .meta({ id: 'MigrationInstructionValidationReportDto' }),
    ),
    variableReports: z.record(
      z.string(),
      z
        .object({
          type: z.string().nullable(),
          value: z.unknown(),
          valueInfo: z.record(z.string(), z.unknown()),
          failures: z.array(z.string()),
        })
        .meta({ id: 'MigrationVariableValidationReportDto' }),
    ),
  })
  .meta({ id: 'MigrationPlanReportDto' });

export type MigrationPlanBody = z.infer<typeof migrationPlanSchema>;
export type MigrationExecutionBody = z.infer<typeof migrationExecutionSchema>;

/** Reads a request part with one of the schemas above (400 naming the offending fields). */
export function readMigrationBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return parseRequest(schema, body ?? {});
}

/**
 * The engine's plan from the DTO: only element 0 of each id array counts (as in Camunda); missing
 * definition ids become `''`, which the definition lookup reports with Camunda's "… id is null".
 */
export function toMigrationPlan(dto: MigrationPlanBody): MigrationPlan {
  return {
    sourceProcessDefinitionId: dto.sourceProcessDefinitionId ?? '',
    targetProcessDefinitionId: dto.targetProcessDefinitionId ?? '',
    instructions: (dto.instructions ?? []).map((instruction) => ({
      sourceActivityId: instruction.sourceActivityIds[0] ?? null,
      targetActivityId: instruction.targetActivityIds[0] ?? null,
      updateEventTrigger: instruction.updateEventTrigger ?? false,
    })),
    variables: (dto.variables ?? null) as Record<string, RestVariableValue> | null,
  };
}
