import type { BatchType } from '@libs/config';
import type { BatchRecord, ProcessInstanceQuery, Sql } from '@libs/persistence';

/** What a batch is created from: its type, configuration, selection and creator. */
export interface CreateBatchCommand {
  readonly type: BatchType;
  /** The type's configuration (plan, instructions, …), stored as JSON. */
  readonly configuration: object;
  /**
   * Explicitly selected items: instance ids, or job ids for `set-job-retries` (unknown ids become items
   * that fail, as in Camunda).
   */
  readonly processInstanceIds?: readonly string[];
  /** Instances selected by a query: fixed at creation by a high-water mark, never held in memory. */
  readonly processInstanceQuery?: ProcessInstanceQuery;
  readonly tenantId: string | null;
  readonly userId: string | null;
  /** Camunda's message when the selection is empty. */
  readonly emptyMessage: string;
  /** Fixed number of execution jobs (single-instance modification: 1); default by item count. */
  readonly totalJobs?: number;
  /**
   * More writes in the creation transaction (the operation log), given the batch and its item count.
   */
  readonly alongside?: (sql: Sql, batch: BatchRecord, items: number) => Promise<void>;
}

/**
 * The port through which the runtime's async use cases start a batch (implemented by libs/batch's
 * `BatchService`, wired in the composition root), so that libs/runtime never imports libs/batch.
 */
export interface BatchLauncher {
  /**
   * Creates the batch in one transaction with its items and the `alongside` writes, then dispatches
   * its seed job.
   * @throws BadUserRequestException `command.emptyMessage` when the selection names no item.
   */
  create(command: CreateBatchCommand): Promise<BatchRecord>;
}
