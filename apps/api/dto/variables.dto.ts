import { z } from 'zod';
import { fromRestVariables, toRestVariable, type TypedValue, type VariableMap } from '@libs/engine';
import { formatDate, parseRequest } from '@libs/http';
import { storedName } from './stored-fields';

/**
 * `{ "<name>": { "value": …, "type": "Integer", "valueInfo": {…} } }`, the REST form of variables;
 * a name must fit the column it is stored in.
 */
export const variableMapSchema = z.record(
  storedName,
  z
    .object({
      value: z.unknown().optional(),
      type: z.string().nullish(),
      valueInfo: z.record(z.string(), z.unknown()).nullish(),
    })
    .loose(),
);

/** Typed values from a REST variable map (absent → none). Conversion errors are 400s with Camunda's messages. */
export function readVariables(value: unknown, what = 'variables'): VariableMap {
  if (value === undefined || value === null) return {};
  return fromRestVariables(parseRequest(variableMapSchema, value, what));
}

/** Camunda's `VariableValueDto` as answered: a date's value in Camunda's date format, JSON as text. */
export const variableValueDto = z
  .object({
    value: z.unknown(),
    type: z.string(),
    valueInfo: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'VariableValueDto' });

/** Variables by name. */
export const variableMapDto = z.record(z.string(), variableValueDto).meta({ id: 'VariableMapDto' });

/** The REST form of typed values: dates in Camunda's format, JSON as text. */
export function variablesDto(
  variables: Readonly<Record<string, TypedValue>>,
): z.infer<typeof variableMapDto> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, variableDto(value)]));
}

export function variableDto(value: TypedValue): z.infer<typeof variableValueDto> {
  const dto = toRestVariable(value);
  return { ...dto, value: dto.value instanceof Date ? formatDate(dto.value) : dto.value };
}
