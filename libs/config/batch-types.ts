/**
 * The batch types this service runs (Camunda's type names). The configuration knows them so that a
 * per-type setting with a misspelt type is refused at start-up instead of silently ignored.
 */
export const BATCH_TYPES = [
  'correlate-message',
  'historic-process-instance-deletion',
  'instance-deletion',
  'instance-migration',
  'instance-modification',
  'instance-restart',
  'instance-update-suspension-state',
  'set-external-task-retries',
  'set-job-retries',
  'set-variables',
] as const;

export type BatchType = (typeof BATCH_TYPES)[number];

export function isBatchType(name: string): name is BatchType {
  return (BATCH_TYPES as readonly string[]).includes(name);
}
