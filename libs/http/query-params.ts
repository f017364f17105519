import type { Request } from 'express';
import { MAX_LIST_LENGTH } from './bounds';
import { parseDate } from './dates';
import { InvalidRequestException } from './rest-exception';

/**
 * Typed access to GET query parameters with Camunda's error for values that do not convert:
 * 400 `Cannot set query parameter '<name>' to value '<value>'`.
 */
export class QueryParams {
  constructor(private readonly query: Request['query']) {}

  static of(req: Request): QueryParams {
    return new QueryParams(req.query);
  }

  /**
   * The filters of a JSON query body (Camunda's POST twin of a GET query) read as parameters: strings
   * as they are, numbers and booleans as their text, arrays as comma-separated lists; `null` is absent.
   * `what` names the body in the error for anything else (an object, a nested array).
   * @throws InvalidRequestException 400 for a body that is not an object, or a field of another type.
   */
  static fromBody(body: unknown, what: string, skip: readonly string[] = []): QueryParams {
    if (body === undefined || body === null) return new QueryParams({});
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidRequestException(400, `${what} must be a JSON object`);
    }
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) {
      if (value === null || value === undefined || skip.includes(name)) continue;
      const texts = (Array.isArray(value) ? (value as unknown[]) : [value]).map(scalarText);
      if (texts.some((text) => text === undefined)) {
        throw new InvalidRequestException(400, `${what}: '${name}' has a value of the wrong type`);
      }
      params[name] = texts.join(',');
    }
    return new QueryParams(params);
  }

  string(name: string): string | undefined {
    const value = this.query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidParameter(name, String(value));
    return value;
  }

  /** A comma-separated list (Camunda's list parameters), empty entries dropped; at most {@link MAX_LIST_LENGTH}. */
  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const entries = value.split(',').filter((entry) => entry !== '');
    if (entries.length > MAX_LIST_LENGTH) {
      throw new InvalidRequestException(
        400,
        `Query parameter '${name}' lists ${entries.length} values; at most ${MAX_LIST_LENGTH} are allowed`,
      );
    }
    return entries;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw invalidParameter(name, value);
  }

  integer(name: string, options: { min?: number } = {}): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < (options.min ?? -Infinity)) {
      throw invalidParameter(name, value);
    }
    return parsed;
  }

  date(name: string): Date | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = parseDate(value);
    if (!parsed) throw invalidParameter(name, value);
    return parsed;
  }
}

export function invalidParameter(name: string, value: string): InvalidRequestException {
  return new InvalidRequestException(400, `Cannot set query parameter '${name}' to value '${value}'`);
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
