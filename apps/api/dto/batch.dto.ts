import type { BatchProgress, BatchWithStatistics } from '@libs/batch';
import { formatDate } from '@libs/http';
import type {
  BatchItemRecord,
  BatchRecord,
  FailureGroupRecord,
  HistoricBatchRecord,
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

/**
 * One item of a batch and its outcome (beyond Camunda): the process instance, or for `set-job-retries`
 * the job; `batchJobId` the execution job that still holds it; `error` the Camunda error body of a
 * failed item.
 */
export function batchItemDto(item: BatchItemRecord, batchType: string | undefined) {
  return {
    ...(batchType === 'set-job-retries' ? { jobId: item.subjectId } : { processInstanceId: item.subjectId }),
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
      ...(batchType === 'set-job-retries'
        ? { jobId: group.sample.subjectId }
        : { processInstanceId: group.sample.subjectId }),
      error: group.sample.error === null ? null : (JSON.parse(group.sample.error) as unknown),
    },
  };
}
