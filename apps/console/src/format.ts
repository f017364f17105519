import type { BatchOverview } from './api';

/** Camunda's dates (`2024-05-02T10:00:00.000+0000`) as Date. */
export const parseDate = (text: string | null): Date | null => (text === null ? null : new Date(text));

export const formatNumber = (n: number): string => n.toLocaleString('en-US');

export function formatTime(text: string | null): string {
  const date = parseDate(text);
  return date === null ? '—' : date.toLocaleString('en-GB', { hour12: false });
}

/** `1 h 02 min`, `3 min 05 s`, `42 s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** An estimated end as `in 3 min 05 s`, or `—` when there is none or it has passed. */
export function formatEta(text: string | null, now = Date.now()): string {
  const date = parseDate(text);
  if (date === null) return '—';
  const ms = date.getTime() - now;
  return ms <= 0 ? 'now' : `in ${formatDuration(ms)}`;
}

export const formatRate = (perSecond: number): string =>
  `${perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1)}/s`;

export const STATE_LABELS: Record<string, string> = {
  seeding: 'seeding',
  running: 'running',
  suspended: 'suspended',
  failedJobs: 'failed jobs',
  completed: 'completed',
  deleted: 'deleted',
};

export const BATCH_TYPES = [
  'instance-migration',
  'instance-modification',
  'instance-deletion',
  'instance-update-suspension-state',
  'set-job-retries',
];

export const isRunning = (state: string) => state !== 'completed' && state !== 'deleted';

/** The estimated end, or why there is none: a batch whose only work left is failed waits for an operator. */
export function etaText(batch: BatchOverview): string {
  if (batch.state === 'suspended') return 'suspended';
  if (batch.pending === 0 && batch.failed > 0) return 'waiting on failures';
  return formatEta(batch.estimatedEndTime);
}
