import type { z } from 'zod';
import { InvalidRequestException } from './rest-exception';

/** Longest field name quoted in a message (a hostile name may be megabytes long). */
const QUOTED_NAME_LENGTH = 64;

/**
 * Parses a request part with a zod schema; any mismatch becomes a 400 `InvalidRequestException`
 * naming each offending field (and `what` as its `part`), so inner code only ever sees typed values.
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request body',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? `'${issue.path.map(quotable).join('.')}'` : what;
    return `${field}: ${describeIssue(issue)}`;
  });
  throw new InvalidRequestException(400, `Invalid ${what}: ${problems.join('; ')}`, { part: what });
}

function quotable(segment: PropertyKey): string {
  const text = String(segment);
  return text.length > QUOTED_NAME_LENGTH ? `${text.slice(0, QUOTED_NAME_LENGTH)}…` : text;
}

/** The issue's message; for a bad key of a map (a variable name), what is wrong with the key. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_key') return issue.message;
  return `the name ${issue.issues.map((inner) => inner.message).join('; ')}`;
}
