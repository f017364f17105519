import { InvalidRequestException, parseDate } from '@libs/http';
import type { JobRetriesPlan } from '@libs/runtime';

/** A REST date from a body field; `null` stays `null`, a malformed date is a 400. */
export function bodyDate(value: string | null, field: string): Date | null {
  if (value === null) return null;
  const date = parseDate(value);
  if (date === undefined) {
    throw new InvalidRequestException(
      400,
      `Invalid request body: '${field}': Cannot convert value "${value}" to java type java.util.Date`,
    );
  }
  return date;
}

/**
 * The retries and optional due date of a `set-job-retries` batch request, with Camunda's checks;
 * `dueDate` absent keeps the jobs' due dates, `null` makes them due now.
 */
export function readRetriesPlan(body: { retries?: number | null; dueDate?: string | null }): JobRetriesPlan {
  if (body.retries === undefined || body.retries === null)
    throw new InvalidRequestException(400, 'retries is null');
  // Camunda answers 500 (a plain ProcessEngineException); bad input is a 400 here.
  if (body.retries < 0)
    throw new InvalidRequestException(400, 'Retries count is not greater than or equal to 0');
  const dueDate = 'dueDate' in body ? bodyDate(body.dueDate ?? null, 'dueDate') : undefined;
  return { retries: body.retries, dueDate };
}
