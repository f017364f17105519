import { z } from 'zod';
import { filterList } from './stored-fields';

/**
 * Optional fields of Camunda's JSON query bodies: absent and `null` both mean "no filter", so both
 * parse to `undefined`.
 */
const optional = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => value ?? undefined);

export const text = optional(z.string());
export const texts = optional(filterList);
export const flag = optional(z.boolean());
export const integer = optional(z.number().int());
