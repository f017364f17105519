import {
  describeBatch,
  type BatchOverview,
  type BatchProgress,
  type BatchTimeline,
  type BatchWithStatistics,
} from '@libs/batch';
import { formatDate } from '@libs/http';
import { z } from 'zod';
import { BATCH_STATES } from '@libs/persistence';
import { camundaDate, optionalDate } from '../openapi/schemas';

const nullableText = z.string().nullable();
/** A stored error (JSON text) as the JSON it is. */
const errorJson = (error: string | null) =>
  error === null ? null : (JSON.parse(error) as z.infer<typeof itemError>);
const ITEM_STATES = ['pending', 'done', 'failed', 'skipped'] as const;
/** A stored error: Camunda's error body of a failed item, or `null`. */
const itemError = z.looseObject({ type: z.string(), message: z.string() }).nullable();
/** Whose item: the process instance, or for `set-job-retries` the job. */
const itemSubject = z.union([
  z.object({ processInstanceId: z.string() }),
  z.object({ jobId: z.string() }),
  z.object({ externalTaskId: z.string() }),
]);

/** Camunda's `BatchDto` (with `size`, see {@link batchDto}). */
export const batchDtoSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    totalJobs: z.number().int(),
    size: z.number().int().meta({ description: 'Beyond Camunda: `totalJobs` again, for early clients.' }),
    jobsCreated: z.number().int(),
    batchJobsPerSeed: z.number().int(),
    invocationsPerBatchJob: z.number().int(),
    seedJobDefinitionId: nullableText,
    monitorJobDefinitionId: nullableText,
    batchJobDefinitionId: nullableText,
    suspended: z.boolean(),
    tenantId: nullableText,
    createUserId: nullableText,
    startTime: camundaDate,
    executionStartTime: optionalDate,
  })
  .meta({ id: 'BatchDto' });

/** Camunda's `BatchStatisticsDto`. */
export const batchStatisticsDtoSchema = batchDtoSchema
  .extend({ remainingJobs: z.number().int(), completedJobs: z.number().int(), failedJobs: z.number().int() })
  .meta({ id: 'BatchStatisticsDto' });

/** Camunda's `HistoricBatchDto`. */
export const historicBatchDtoSchema = batchDtoSchema
  .omit({ jobsCreated: true, suspended: true })
  .extend({ endTime: optionalDate, removalTime: optionalDate })
  .meta({ id: 'HistoricBatchDto' });

export const batchItemDtoSchema = z
  .intersection(
    itemSubject,
    z.object({
      state: z.enum(ITEM_STATES),
      batchJobId: nullableText,
      updated: optionalDate,
      error: itemError,
    }),
  )
  .meta({ id: 'BatchItemDto' });

export const batchProgressDtoSchema = z
  .object({
    batchId: z.string(),
    type: z.string(),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    pending: z.number().int(),
    itemsPerSecond: z.number(),
    estimatedEndTime: optionalDate,
    startTime: camundaDate,
    executionStartTime: optionalDate,
    endTime: optionalDate,
    durationMs: z.number().nullable(),
  })
  .meta({ id: 'BatchProgressDto' });

export const failureGroupDtoSchema = z
  .object({
    reason: z.string(),
    count: z.number().int(),
    sample: z.intersection(itemSubject, z.object({ error: itemError })),
  })
  .meta({ id: 'BatchFailureGroupDto' });

export const batchOverviewDtoSchema = batchProgressDtoSchema
  .extend({
    id: z.string(),
    state: z.enum(BATCH_STATES),
    description: z.string(),
    details: z.array(z.string()),
    createUserId: nullableText,
    tenantId: nullableText,
    totalJobs: z.number().int(),
    invocationsPerBatchJob: z.number().int(),
    batchJobsPerSeed: z.number().int(),
    batchJobDefinitionId: nullableText,
  })
  .meta({ id: 'BatchOverviewDto' });

export const failedItemDtoSchema = z
  .intersection(itemSubject, z.object({ updated: optionalDate, error: itemError }))
  .meta({ id: 'BatchFailedItemDto' });

export const instanceBatchDtoSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    state: z.enum(BATCH_STATES),
    description: z.string(),
    startTime: camundaDate,
    endTime: optionalDate,
    itemState: z.enum(ITEM_STATES),
    updated: optionalDate,
    error: itemError,
  })
  .meta({ id: 'InstanceBatchDto' });

export const batchTimelineDtoSchema = z
  .object({
    bucketSeconds: z.number(),
    points: z.array(z.object({ time: camundaDate, itemsPerSecond: z.number() })),
  })
  .meta({ id: 'BatchTimelineDto' });
import type {
  BatchItemRecord,
  BatchRecord,
  FailedItemRecord,
  FailureGroupRecord,
  HistoricBatchRecord,
  SubjectBatchRecord,
} from '@libs/persistence';

/** Camunda's BatchDto, with `size` beside `totalJobs` for clients of the earliest batch releases. */
export function batchDto(batch: BatchRecord): z.infer<typeof batchDtoSchema> {
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

export function batchStatisticsDto(batch: BatchWithStatistics): z.infer<typeof batchStatisticsDtoSchema> {
  return {
    ...batchDto(batch),
    remainingJobs: batch.remainingJobs,
    completedJobs: batch.completedJobs,
    failedJobs: batch.failedJobs,
  };
}

export function historicBatchDto(batch: HistoricBatchRecord): z.infer<typeof historicBatchDtoSchema> {
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
export function batchItemDto(
  item: BatchItemRecord,
  batchType: string | undefined,
): z.infer<typeof batchItemDtoSchema> {
  return {
    ...subjectOf(batchType, item.subjectId),
    state: item.state,
    batchJobId: item.jobId,
    updated: formatDate(item.updated),
    error: errorJson(item.error),
  };
}

/** Beyond Camunda: how far a batch is over its items, its rate and estimated end. */
export function batchProgressDto(progress: BatchProgress): z.infer<typeof batchProgressDtoSchema> {
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
export function failureGroupDto(
  group: FailureGroupRecord,
  batchType: string,
): z.infer<typeof failureGroupDtoSchema> {
  return {
    reason: group.reason,
    count: group.count,
    sample: {
      ...subjectOf(batchType, group.sample.subjectId),
      error: errorJson(group.sample.error),
    },
  };
}

/**
 * Beyond Camunda, for the console: a batch running or ended, where it stands (`state`), what it does
 * (`description`, and `details`: the plan or instructions line by line), its settings and its progress.
 */
export function batchOverviewDto(overview: BatchOverview): z.infer<typeof batchOverviewDtoSchema> {
  const { batch } = overview;
  const description = describeBatch(batch.type, overview.configuration);
  return {
    ...batchProgressDto(overview.progress),
    id: batch.id,
    state: overview.state,
    description: description.summary,
    details: [...description.details],
    createUserId: batch.createUserId,
    tenantId: batch.tenantId,
    totalJobs: batch.totalJobs,
    invocationsPerBatchJob: batch.invocationsPerBatchJob,
    batchJobsPerSeed: batch.batchJobsPerSeed,
    batchJobDefinitionId: batch.batchJobDefinitionId,
  };
}

/** Beyond Camunda: one failed item of a batch, with its full error (the validation report included). */
export function failedItemDto(
  item: FailedItemRecord,
  batchType: string,
): z.infer<typeof failedItemDtoSchema> {
  return {
    ...subjectOf(batchType, item.subjectId),
    updated: formatDate(item.updated),
    error: errorJson(item.error),
  };
}

/** Beyond Camunda: a batch an instance was an item of, and what became of the instance in it. */
export function instanceBatchDto(record: SubjectBatchRecord): z.infer<typeof instanceBatchDtoSchema> {
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
export function batchTimelineDto(timeline: BatchTimeline): z.infer<typeof batchTimelineDtoSchema> {
  return {
    bucketSeconds: timeline.bucketSeconds,
    points: timeline.points.map((point) => ({
      time: formatDate(point.time),
      itemsPerSecond: Math.round(point.itemsPerSecond * 100) / 100,
    })),
  };
}
