/** The REST API the console reads, on the same origin (the browser sends the Basic credentials). */
export const REST = '/engine-rest';

/** An error answer of the REST API, with Camunda's `{type, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the REST API; resolves to the JSON answer (undefined for 204), rejects with an ApiError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${REST}${path}`, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { type?: string; message?: string };
  if (!response.ok) {
    throw new ApiError(response.status, body.type ?? 'Error', body.message ?? response.statusText);
  }
  return body as T;
}

/** A query string from the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export type BatchState = 'seeding' | 'running' | 'suspended' | 'failedJobs' | 'completed' | 'deleted';

/** `GET /batch/overview` and `/batch/{id}/overview`. */
export interface BatchOverview {
  id: string;
  type: string;
  state: BatchState;
  description: string;
  details: string[];
  createUserId: string | null;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  itemsPerSecond: number;
  estimatedEndTime: string | null;
  startTime: string;
  executionStartTime: string | null;
  endTime: string | null;
  durationMs: number | null;
  totalJobs: number;
  invocationsPerBatchJob: number;
  batchJobsPerSeed: number;
}

export interface FailureGroup {
  reason: string;
  count: number;
  sample: { processInstanceId?: string; jobId?: string; error: unknown };
}

export interface FailedItem {
  processInstanceId?: string;
  jobId?: string;
  updated: string | null;
  error: { type?: string; message?: string } | null;
}

export interface ActivityInstance {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  childActivityInstances: ActivityInstance[];
  childTransitionInstances: Array<{ id: string; activityId: string; activityName: string | null }>;
}

export interface InstanceBatch {
  id: string;
  type: string;
  state: BatchState;
  description: string;
  startTime: string;
  endTime: string | null;
  itemState: 'pending' | 'done' | 'failed' | 'skipped';
  updated: string | null;
  error: { type?: string; message?: string } | null;
}
