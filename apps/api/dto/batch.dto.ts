import {
  describeBatch,
  type BatchOverview,
  type BatchProgress,
  type BatchTimeline,
  type BatchWithStatistics,
} from '@libs/batch';
import { formatDate } from '@libs/http';
import type {
  BatchItemRecord,
  BatchRecord,
  FailedItemRecord,
  FailureGroupRecord,
  HistoricBatchRecord,
  SubjectBatchRecord,
} from '@libs/persistence';

/** Camunda's BatchDto, with `size` beside `totalJobs` for clients of the earliest batch releases. */
export function batchDto(batch: BatchRecord) {
  return {
    id: batch.id,
    type: batch.type,
    totalJobs: batch.totalJobs,
    size: batch.totalJobs,
    jobsCreated: batch.jobsCreated,
    batchJobsPerSeed: batch.batchJobsPerSeed,
    invocationsPerBatchJob: batch.invocationsPerBatchJob,
    seedJobDefinitionId: batch.seedJobDefinitionId,
    monitorJobDefinitionId: batch.monitorJobDefinitionId,
    batchJobDefinitionId: batch.batchJobDefinitionId,
    suspended: batch.suspended,
    tenantId: batch.tenantId,
    createUserId: batch.createUserId,
    startTime: formatDate(batch.startTime),
    executionStartTime: formatDate(batch.executionStartTime),
  };
}

export function batchStatisticsDto(batch: BatchWithStatistics) {
  return {
    ...batchDto(batch),
    remainingJobs: batch.remainingJobs,
    completedJobs: batch.completedJobs,
    failedJobs: batch.failedJobs,
  };
}

export function historicBatchDto(batch: HistoricBatchRecord) {
  return {
    id: batch.id,
    type: batch.type,
    totalJobs: batch.totalJobs,
    size: batch.totalJobs,
    batchJobsPerSeed: batch.batchJobsPerSeed,
    invocationsPerBatchJob: batch.invocationsPerBatchJob,
    seedJobDefinitionId: batch.seedJobDefinitionId,
    monitorJobDefinitionId: batch.monitorJobDefinitionId,
    batchJobDefinitionId: batch.batchJobDefinitionId,
    tenantId: batch.tenantId,
    createUserId: batch.createUserId,
    startTime: formatDate(batch.startTime),
    endTime: formatDate(batch.endTime),
    removalTime: formatDate(batch.removalTime),
    executionStartTime: formatDate(batch.executionStartTime),
  };
}

/** An item's subject by what it is: a job, an external task, or else a process instance. */
function subjectOf(batchType: string | undefined, subjectId: string) {
  if (batchType === 'set-job-retries') return { jobId: subjectId };
  if (batchType === 'set-external-task-retries') return { externalTaskId: subjectId };
  return { processInstanceId: subjectId };
}

/**
 * One item of a batch and its outcome (beyond Camunda): the process instance, or for `set-job-retries`
 * the job (for `set-external-task-retries` the external task); `batchJobId` the execution job that still holds it; `error` the Camunda error body of a
 * failed item.
 */
export function batchItemDto(item: BatchItemRecord, batchType: string | undefined) {
  return {
    ...subjectOf(batchType, item.subjectId),
    state: item.state,
    batchJobId: item.jobId,
    updated: formatDate(item.updated),
    error: item.error === null ? null : (JSON.parse(item.error) as unknown),
  };
}

/** Beyond Camunda: how far a batch is over its items, its rate and estimated end. */
export function batchProgressDto(progress: BatchProgress) {
  const { batch } = progress;
  return {
    batchId: batch.id,
    type: batch.type,
    total: progress.total,
    done: progress.done,
    failed: progress.failed,
    skipped: progress.skipped,
    pending: progress.pending,
    itemsPerSecond: Math.round(progress.itemsPerSecond * 100) / 100,
    estimatedEndTime: formatDate(progress.estimatedEndTime),
    startTime: formatDate(batch.startTime),
    executionStartTime: formatDate(batch.executionStartTime),
    endTime: formatDate(batch.endTime),
    durationMs: progress.durationMs,
  };
}

/** Beyond Camunda: one group of a batch's failed items, with a sample item. */
export function failureGroupDto(group: FailureGroupRecord, batchType: string) {
  return {
    reason: group.reason,
    count: group.count,
    sample: {
      ...subjectOf(batchType, group.sample.subjectId),
      error: group.sample.error === null ? null : (JSON.parse(group.sample.error) as unknown),
    },
  };
}

/** A stored error (JSON text) as the JSON it is. */
const errorJson = (error: string | null) => (error === null ? null : (JSON.parse(error) as unknown));

/**
 * Beyond Camunda, for the console: a batch running or ended, where it stands (`state`), what it does
 * (`description`, and `details`: the plan or instructions line by line), its settings and its progress.
 */
export function batchOverviewDto(overview: BatchOverview) {
  const { batch } = overview;
  const description = describeBatch(batch.type, overview.configuration);
  return {
    ...batchProgressDto(overview.progress),
    id: batch.id,
    state: overview.state,
    description: description.summary,
    details: description.details,
    createUserId: batch.createUserId,
    tenantId: batch.tenantId,
    totalJobs: batch.totalJobs,
    invocationsPerBatchJob: batch.invocationsPerBatchJob,
    batchJobsPerSeed: batch.batchJobsPerSeed,
    batchJobDefinitionId: batch.batchJobDefinitionId,
  };
}

/** Beyond Camunda: one failed item of a batch, with its full error (the validation report included). */
export function failedItemDto(item: FailedItemRecord, batchType: string) {
  return {
    ...subjectOf(batchType, item.subjectId),
    updated: formatDate(item.updated),
    error: errorJson(item.error),
  };
}

/** Beyond Camunda: a batch an instance was an item of, and what became of the instance in it. */
export function instanceBatchDto(record: SubjectBatchRecord) {
  const { batch } = record;
  return {
    id: batch.id,
    type: batch.type,
    state: record.state,
    description: describeBatch(batch.type, record.configuration).summary,
    startTime: formatDate(batch.startTime),
    endTime: formatDate(batch.endTime),
    itemState: record.itemState,
    updated: formatDate(record.updated),
    error: errorJson(record.error),
  };
}

/** Beyond Camunda: a batch's rate over time (instances per second per bucket). */
export function batchTimelineDto(timeline: BatchTimeline) {
  return {
    bucketSeconds: timeline.bucketSeconds,
    points: timeline.points.map((point) => ({
      time: formatDate(point.time),
      itemsPerSecond: Math.round(point.itemsPerSecond * 100) / 100,
    })),
  };
}
