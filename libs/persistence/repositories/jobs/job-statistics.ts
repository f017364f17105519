/**
 * The job parts of reports that other repositories assemble (statistics per activity and per definition,
 * a batch's failed jobs by failure group), as SQL text: `ru_job` is named in this folder only.
 * `ofInstances` is the join that restricts jobs to instances (alias `p`; `{}` stands for the job alias).
 */

/** The scope instances where tokens wait in asynchronous continuations (`scope_id`), of instances `p`. */
export const PARKED_TOKEN_SCOPES = (ofInstances: string) =>
  `SELECT j.activity_instance_id AS scope_id FROM ru_job j ${ofInstances.replace('{}', 'j')}
    WHERE j.handler_type = 'async-continuation'`;

/** Tokens waiting in asynchronous continuations per activity (`id`, `n`), of instances `p`. */
export const PARKED_TOKENS_BY_ACTIVITY = (ofInstances: string) =>
  `SELECT j.activity_id AS id, COUNT(*) AS n FROM ru_job j ${ofInstances.replace('{}', 'j')}
    WHERE j.handler_type = 'async-continuation' GROUP BY j.activity_id`;

/** Jobs without retries per activity (`id`, `n`), of instances `p`. */
export const FAILED_JOBS_BY_ACTIVITY = (ofInstances: string) =>
  `SELECT j.activity_id AS id, COUNT(*) AS n FROM ru_job j ${ofInstances.replace('{}', 'j')}
    WHERE j.retries = 0 AND j.activity_id IS NOT NULL GROUP BY j.activity_id`;

/** Jobs without retries per process definition (`id`, `n`). */
export const FAILED_JOBS_BY_DEFINITION = `SELECT p.definition_id AS id, COUNT(*) AS n FROM ru_job j
  JOIN ru_process_instance p ON p.id = j.process_instance_id WHERE j.retries = 0 GROUP BY p.definition_id`;

/**
 * The failed execution jobs (no retries) of a batch holding its failed items (`i`), of one reason
 * (`reasonCondition`, e.g. ` AND i.reason_hash = SHA1(?)`) or any.
 */
export const FAILED_JOBS_OF_FAILED_ITEMS = (reasonCondition: string) =>
  `SELECT DISTINCT j.id FROM batch_item i
     JOIN ru_job j ON j.batch_id = i.batch_id AND i.id BETWEEN j.item_first AND j.item_last
    WHERE i.batch_id = ? AND i.state = 'failed' AND j.retries = 0${reasonCondition}`;

/** Whether the batch whose id is `batchIdColumn` has a failed execution job (no retries left). */
export const HAS_FAILED_BATCH_JOB = (batchIdColumn: string) =>
  `EXISTS (SELECT 1 FROM ru_job fj WHERE fj.batch_id = ${batchIdColumn} AND fj.retries = 0)`;

/**
 * Gives up the failed items (`skipped`) of a batch held by its failed execution jobs, of one reason
 * (`reasonCondition`, e.g. ` AND i.reason_hash = SHA1(?)`) or any; parameters: now, batch id, reason.
 * Items of a job that runs again (retries left) are left alone.
 */
export const SKIP_FAILED_ITEMS_OF_FAILED_JOBS = (reasonCondition: string) =>
  `UPDATE batch_item i JOIN ru_job j ON j.batch_id = i.batch_id AND i.id BETWEEN j.item_first AND j.item_last
      SET i.state = 'skipped', i.updated = ?
    WHERE i.batch_id = ? AND i.state = 'failed' AND j.retries = 0${reasonCondition}`;

/** Of the given failed execution jobs (`IN` list `{ids}`), those left with no failed item. */
export const FAILED_JOBS_WITHOUT_FAILED_ITEMS = (ids: string) =>
  `SELECT j.id FROM ru_job j WHERE j.id IN (${ids}) AND j.retries = 0 AND NOT EXISTS
     (SELECT 1 FROM batch_item i WHERE i.batch_id = j.batch_id AND i.id BETWEEN j.item_first AND j.item_last
         AND i.state = 'failed')`;
