import type { BatchWithStatistics } from '@libs/batch';
import { formatDate } from '@libs/http';
import type { BatchItemRecord, BatchRecord, HistoricBatchRecord } from '@libs/persistence';

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
