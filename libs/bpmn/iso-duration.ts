/** ISO-8601 durations (`PT5M`, `P1DT2H`, `P1Y2M`) as BPMN timers and retry cycles write them. Pure. */

/** The fields of an ISO-8601 duration; seconds may be fractional. */
export interface IsoDuration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/** Parses `P…` duration text, or returns `null` when it is not one. */
export function parseDuration(text: string): IsoDuration | null {
  const match = DURATION.exec(text.trim());
  if (match === null) return null;
  const field = (index: number) => Number((match[index] ?? '0').replace(',', '.'));
  return {
    years: field(1),
    months: field(2),
    weeks: field(3),
    days: field(4),
    hours: field(5),
    minutes: field(6),
    seconds: field(7),
  };
}
