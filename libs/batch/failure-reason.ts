/** UUIDs (instance, activity-instance, job and execution ids). */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A quoted word without blanks: an id or name that differs from item to item. */
const QUOTED_WORD = /'[^'\s]+'/g;

/** The longest reason kept (the column's width). */
export const MAX_REASON_LENGTH = 1000;

/**
 * Why an item failed, with what differs from instance to instance taken out, so that the failures of a
 * batch group by reason (`GET /batch/{id}/failures`): ids become `<id>`, quoted words `'…'`, runs of
 * blanks one space. "Cannot migrate process instance '<a>': …" and the same for `<b>` share a reason.
 */
export function failureReason(error: string): string {
  return error
    .replace(UUID, '<id>')
    .replace(QUOTED_WORD, "'…'")
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_REASON_LENGTH);
}
