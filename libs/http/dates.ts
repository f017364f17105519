/**
 * Camunda's REST date format `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g. `2024-05-02T10:00:00.000+0200`.
 * The service answers in UTC (`+0000`); it accepts that format with any offset, with or without a
 * colon in the offset, `Z`, and plain ISO-8601 timestamps.
 */
export function formatDate(date: Date): string;
export function formatDate(date: Date | null | undefined): string | null;
export function formatDate(date: Date | null | undefined): string | null {
  if (!date) return null;
  return `${date.toISOString().slice(0, 23)}+0000`;
}

const CAMUNDA_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)([+-]\d{2}):?(\d{2})$/;

/** The dates the service can store and compare: MySQL's `DATETIME` range, in UTC. */
const EARLIEST = Date.parse('1000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * The longest duration a request may ask for (a lock, a retry timeout): a thousand years, so that
 * now plus the duration is still a date the service can store.
 */
export const MAX_DURATION_MS = 1_000 * 365 * 24 * 60 * 60 * 1_000;

/**
 * Parses a REST date; `undefined` when the text is not a date in an accepted form or lies outside
 * the years 1000 to 9999 (UTC).
 */
export function parseDate(text: string): Date | undefined {
  const match = CAMUNDA_DATE.exec(text.trim());
  const iso = match ? `${match[1]}${match[2]}:${match[3]}` : text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso)) return undefined;
  const time = new Date(iso).getTime();
  return Number.isNaN(time) || time < EARLIEST || time > LATEST ? undefined : new Date(time);
}
