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
