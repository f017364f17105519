import { z } from 'zod';

/**
 * Schemas every part of the API shares. A schema given an `id` (through `.meta`) becomes a named
 * component of the OpenAPI document; response DTO functions return `z.infer` of their schema, so the
 * document cannot drift from what the code answers.
 */

/** Camunda's error body (`ExceptionDto`); some errors add fields (a migration's `validationReport`). */
export const exceptionDto = z
  .looseObject({
    type: z.string(),
    message: z.string(),
    code: z.number().int().nullable(),
  })
  .meta({ id: 'ExceptionDto', description: "Camunda's error body." });

/** Camunda's `CountResultDto`. */
export const countResultDto = z
  .object({ count: z.number().int().nonnegative() })
  .meta({ id: 'CountResultDto' });

/** A date in Camunda's REST format `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, answered in UTC (`+0000`). */
export const camundaDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/)
  .meta({ format: 'date-time', description: "Camunda's date format `yyyy-MM-dd'T'HH:mm:ss.SSSZ`." });

/** A date that may be unset. */
export const optionalDate = camundaDate.nullable();

/** A Camunda HAL-style link (`LinkDto`). */
export const linkDto = z
  .object({ method: z.string(), href: z.string(), rel: z.string() })
  .meta({ id: 'LinkDto' });

/** Any JSON object, for answers this document does not detail. */
export const jsonObject = z.looseObject({});

/** A query string parameter that is a comma-separated list. */
export const commaList = z.string().meta({ description: 'A comma-separated list.' });

/**
 * A readonly type of the engine's as the (mutable) type a zod schema infers, so that a schema
 * annotated `z.ZodType<Mutable<EngineDto>>` fails to compile when it does not match the engine's DTO.
 */
export type Mutable<T> = T extends readonly (infer E)[]
  ? Mutable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
