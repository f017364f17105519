/**
 * ISO-8601 timer arithmetic: durations (`PT5M`, `P1DT2H`, `P1Y2M`), date-times, and repeating cycles
 * (`R3/PT10M`, `R/2030-01-01T00:00:00Z/P1D`). Pure: "now" is always passed in.
 *
 * Date-times without an offset are read as UTC (Camunda reads them in the server's time zone).
 * Calendar units behave like `java.util.Calendar.add`: `P1M` from 31 January ends on the last day of
 * February.
 */
import { parseDuration, type IsoDuration, type TimerDefinition } from '@libs/bpmn';
import { ProcessEngineException } from '../errors';

export { parseDuration, type IsoDuration };

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const CYCLE = /^R(\d*)\/(.+)$/;

/** `start` plus `duration`; calendar fields first (clamping the day of month), then the clock fields. */
export function addDuration(start: Date, duration: IsoDuration): Date {
  const monthIndex =
    start.getUTCFullYear() * 12 + start.getUTCMonth() + duration.years * 12 + duration.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));
  const shifted = new Date(start.getTime());
  shifted.setUTCFullYear(year, month, day + duration.weeks * 7 + duration.days);
  const clock = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return new Date(shifted.getTime() + Math.round(clock));
}

/**
 * Parses an ISO-8601 date or date-time (`2030-01-01`, `2030-01-01T08:00`, `…:00.000+0100`,
 * `…Z`). Returns `null` for anything else, including impossible dates like 31 February.
 */
export function parseDateTime(text: string): Date | null {
  const match = DATE_TIME.exec(text.trim());
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Math.round(Number(`0.${match[7] ?? '0'}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(utc);
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  return new Date(utc - offsetMinutes(match[8]) * 60_000);
}

/**
 * The first due date of a timer whose (already evaluated) value is `value`.
 * - duration: `now + value`;
 * - date: the date itself (a `Date` from an expression is taken as is);
 * - cycle: `R[n]/<duration>` → `now + duration`; `R[n]/<start>/<duration>` → the start date.
 * @throws ProcessEngineException when the value cannot be read (cron cycles are not supported).
 */
export function firstDueDate(
  kind: TimerDefinition['kind'],
  value: unknown,
  now: Date,
  eventId: string,
): Date {
  if (value instanceof Date) return new Date(value.getTime());
  const text = typeof value === 'string' ? value.trim() : String(value);
  const due =
    kind === 'cycle'
      ? cycleStart(text, now)
      : kind === 'date'
        ? parseDateTime(text)
        : durationFrom(text, now);
  if (due === null) {
    throw new ProcessEngineException(`Cannot parse the timer ${kind} '${text}' of timer event '${eventId}'`);
  }
  return due;
}

/**
 * The next firing of a cycle `R[n]/[start/]<duration>` that fired at `firedDue`: due one duration
 * later, with one repetition less (`R3` fires three times); `null` after the last one. An unbounded
 * `R/…` repeats for ever.
 */
export function nextCycle(repeat: string, firedDue: Date): { dueDate: Date; repeat: string } | null {
  const match = CYCLE.exec(repeat.trim());
  if (match === null) return null;
  const parts = (match[2] ?? '').split('/');
  const durationText = parts[parts.length - 1] ?? '';
  const duration = parseDuration(durationText);
  if (duration === null) return null;
  const times = match[1] === '' ? null : Number(match[1]);
  if (times !== null && times <= 1) return null;
  return {
    dueDate: addDuration(firedDue, duration),
    repeat: `R${times === null ? '' : times - 1}/${durationText}`,
  };
}

function durationFrom(text: string, now: Date): Date | null {
  const duration = parseDuration(text);
  return duration === null ? null : addDuration(now, duration);
}

function cycleStart(text: string, now: Date): Date | null {
  const match = CYCLE.exec(text);
  if (match === null) return null;
  const parts = (match[2] ?? '').split('/');
  const [first, second] = parts;
  if (first === undefined || parts.length > 2) return null;
  if (second === undefined) return durationFrom(first, now);
  const start = parseDateTime(first);
  return start !== null && parseDuration(second) !== null ? start : null;
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}
