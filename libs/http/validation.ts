import type { z } from 'zod';
import { InvalidRequestException } from './rest-exception';

/**
 * Parses a request part with a zod schema; any mismatch becomes a 400 `InvalidRequestException`
 * naming each offending field, so inner code only ever sees typed values.
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? `'${issue.path.join('.')}'` : what;
    return `${field}: ${issue.message}`;
  });
  throw new InvalidRequestException(400, `Invalid ${what}: ${problems.join('; ')}`);
}
