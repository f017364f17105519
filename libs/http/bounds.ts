import type { RequestHandler } from 'express';
import { z } from 'zod';
import { InvalidRequestException } from './rest-exception';

/**
 * The most entries a list in a request may hold: the ids, keys and tenant ids a query filters by
 * (each list becomes one SQL `IN`), sortings, topics, fetched tasks. Explicit id selections of batch
 * requests are bounded by the body size only: they are stored in chunks, never held in one statement.
 */
export const MAX_LIST_LENGTH = 10_000;

/** How deep a JSON request body may nest (the default of Jackson, which Camunda's REST layer uses). */
export const MAX_JSON_DEPTH = 1_000;

/**
 * True when `text` has more than `max` characters as MySQL counts them (code points, so a character
 * outside the BMP counts once), without materialising a huge string's characters.
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
    if (count > max) return true;
  }
  return false;
}

/** A string of at most `max` characters (a `VARCHAR(max)` column). */
export function boundedText(max: number) {
  return z.string().refine((text) => !longerThan(text, max), `must be at most ${max} characters long`);
}

/** A string of at most `max` UTF-8 bytes (a `TEXT` column). */
export function boundedBytes(max: number) {
  return z
    .string()
    .refine((text) => Buffer.byteLength(text, 'utf8') <= max, `must be at most ${max} bytes long`);
}

/** A list of at most {@link MAX_LIST_LENGTH} entries. */
export function boundedList<T extends z.ZodType>(entry: T) {
  return z.array(entry).max(MAX_LIST_LENGTH, `must have at most ${MAX_LIST_LENGTH} entries`);
}

/** An integer from `min` to `max` (both inclusive). */
export function boundedInteger(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/**
 * Refuses a parsed JSON body nested deeper than {@link MAX_JSON_DEPTH}, before any handler walks it
 * recursively. The depth is measured without recursion.
 */
export const boundedNesting: RequestHandler = (req, _res, next) => {
  next(nestedDeeperThan(req.body, MAX_JSON_DEPTH) ? tooDeep() : undefined);
};

function tooDeep(): InvalidRequestException {
  return new InvalidRequestException(400, `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
}

function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [current, depth] = item;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}
