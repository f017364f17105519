/**
 * The limits of the columns that store values taken from requests, as the migrations create them:
 * `VARCHAR(n)` lengths in characters, `TEXT` in UTF-8 bytes, the largest `INT`. The REST edge bounds
 * its input by these, so a value that does not fit is a 400 naming the field rather than a failed
 * statement. `COLUMNS_BY_LIMIT` names the columns behind each limit; a test holds them against the
 * migrated schema.
 */
export const COLUMN_LIMITS = {
  /** Ids: process instances, tasks, jobs, batches, deployments (explicit batch items are stored). */
  id: 64,
  /** Tenant ids. */
  tenantId: 64,
  /** Keys and names: business keys, variable names, deployment and resource names, user and worker ids. */
  name: 255,
  /** Free text: annotations, delete reasons, error messages (a `TEXT` column, in UTF-8 bytes). */
  textBytes: 65_535,
  /** Counts such as retries (an `INT` column). */
  int: 2_147_483_647,
} as const;

export type ColumnLimit = keyof typeof COLUMN_LIMITS;

/** `table.column` of the columns that store request values, by the limit that bounds them. */
export const COLUMNS_BY_LIMIT: Readonly<Record<ColumnLimit, readonly string[]>> = {
  id: [
    'ru_process_instance.id',
    'ru_task.id',
    'ru_job.id',
    'ru_batch.id',
    're_deployment.id',
    'batch_item.process_instance_id',
  ],
  tenantId: ['re_deployment.tenant_id', 'ru_process_instance.tenant_id', 'ru_batch.tenant_id'],
  name: [
    'ru_process_instance.business_key',
    'hi_process_instance.business_key',
    'ru_variable.name',
    'hi_variable_instance.name',
    'hi_detail.name',
    're_deployment.name',
    're_deployment.source',
    're_resource.name',
    're_process_definition.resource_name',
    'ru_task.assignee',
    'hi_activity_instance.assignee',
    'ru_external_task.worker_id',
    'hi_user_operation_log.user_id',
  ],
  textBytes: [
    'hi_process_instance.delete_reason',
    'hi_user_operation_log.annotation',
    'ru_incident.annotation',
    'hi_user_operation_log.new_value',
    'ru_external_task.error_message',
  ],
  int: ['ru_job.retries', 'ru_external_task.retries'],
};
