import type { ExternalTaskRecord } from '@libs/engine';
import { Conditions, orderAndPage, placeholders, type Page, type Row, type Sorting, type Sql } from '../sql';
import { tenantConditions } from './deployment.repository';
import { externalTasks } from './instance-tables';

/** The filters of `GET|POST /external-task` (Camunda's `ExternalTaskQueryDto`, a subset). Flags filter only when `true`. */
export interface ExternalTaskQuery {
  readonly externalTaskId?: string;
  readonly externalTaskIdIn?: readonly string[];
  readonly topicName?: string;
  readonly workerId?: string;
  /** Locked now: a lock expiration time in the future. */
  readonly locked?: boolean;
  /** Not locked now: no lock, or an expired one. */
  readonly notLocked?: boolean;
  readonly withRetriesLeft?: boolean;
  readonly noRetriesLeft?: boolean;
  readonly activityId?: string;
  readonly activityIdIn?: readonly string[];
  readonly executionId?: string;
  readonly processInstanceId?: string;
  readonly processInstanceIdIn?: readonly string[];
  readonly processDefinitionId?: string;
  readonly tenantIdIn?: readonly string[];
  readonly active?: boolean;
  readonly suspended?: boolean;
  readonly priorityHigherThanOrEquals?: number;
  readonly priorityLowerThanOrEquals?: number;
}

export type ExternalTaskSortKey =
  | 'id'
  | 'lockExpirationTime'
  | 'processInstanceId'
  | 'processDefinitionId'
  | 'processDefinitionKey'
  | 'tenantId'
  | 'taskPriority'
  | 'createTime';

const SORT_COLUMNS: Record<ExternalTaskSortKey, string> = {
  id: 'e.id',
  lockExpirationTime: 'e.lock_expiration_time',
  processInstanceId: 'e.process_instance_id',
  processDefinitionId: 'p.definition_id',
  processDefinitionKey: 'p.definition_key',
  tenantId: 'p.tenant_id',
  taskPriority: 'e.priority',
  createTime: 'e.created',
};

/** An external task as listed: the engine's record plus what it inherits from its instance and definition. */
export interface ExternalTaskListing extends ExternalTaskRecord {
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionVersionTag: string | null;
  readonly businessKey: string | null;
  readonly tenantId: string | null;
  readonly suspended: boolean;
}

/** One topic of a fetch: its lock duration and the instances whose tasks qualify (all when unfiltered). */
export interface FetchTopicFilter {
  readonly topicName: string;
  /** Milliseconds. */
  readonly lockDuration: number;
  readonly businessKey?: string;
  readonly processDefinitionIdIn?: readonly string[];
  readonly processDefinitionKeyIn?: readonly string[];
  readonly tenantIdIn?: readonly string[];
  readonly withoutTenantId?: boolean;
}

/** What one worker asks for in `POST /external-task/fetchAndLock`. */
export interface FetchAndLockRequest {
  readonly workerId: string;
  readonly maxTasks: number;
  /** Highest priority first. */
  readonly usePriority: boolean;
  /** Order by creation time after priority; default oldest first. */
  readonly createTimeOrder?: 'asc' | 'desc';
  /** A repeated topic name: the last one counts, as in Camunda. */
  readonly topics: readonly FetchTopicFilter[];
}

const SELECT_LISTING = `SELECT e.*, p.definition_id AS pi_definition_id, p.definition_key AS pi_definition_key,
       p.business_key AS pi_business_key, p.tenant_id AS pi_tenant_id, p.suspended AS pi_suspended,
       d.version_tag AS pd_version_tag
  FROM ru_external_task e
  JOIN ru_process_instance p ON p.id = e.process_instance_id
  LEFT JOIN re_process_definition d ON d.id = p.definition_id`;

/**
 * A fetchable task: unlocked or lock expired, retries left (or never failed), instance not suspended.
 * The suspension check is a subquery on purpose: InnoDB does not lock a locking read's subquery rows,
 * so workers locking tasks of the same instance do not skip each other's instance row.
 */
const FETCHABLE = `(e.lock_expiration_time IS NULL OR e.lock_expiration_time <= ?)
  AND (e.retries IS NULL OR e.retries > 0)
  AND e.process_instance_id NOT IN (SELECT s.id FROM ru_process_instance s WHERE s.suspended = 1)`;

/** How many times one fetch looks past candidates that other workers locked meanwhile. */
const FETCH_ROUNDS = 3;

/** Queries over external tasks, and the set-wise fetch-and-lock. */
export class ExternalTaskRepository {
  async query(
    sql: Sql,
    query: ExternalTaskQuery,
    now: Date,
    page?: Page,
    sorting: ReadonlyArray<Sorting<ExternalTaskSortKey>> = [],
  ): Promise<ExternalTaskListing[]> {
    const where = externalTaskConditions(query, now);
    const rows = await sql.select(
      `${SELECT_LISTING}${where}${orderAndPage(sorting, SORT_COLUMNS, 'e.id ASC', page)}`,
      where.params,
    );
    return rows.map(toListing);
  }

  async count(sql: Sql, query: ExternalTaskQuery, now: Date): Promise<number> {
    const where = externalTaskConditions(query, now);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_external_task e JOIN ru_process_instance p ON p.id = e.process_instance_id${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  async find(sql: Sql, id: string, now: Date): Promise<ExternalTaskListing | undefined> {
    return (await this.query(sql, { externalTaskId: id }, now))[0];
  }

  /**
   * Locks up to `maxTasks` fetchable tasks of the requested topics for `workerId` and returns them.
   * Must run inside a transaction: candidates are read without locks, then locked by id with
   * `FOR UPDATE SKIP LOCKED` (re-checking that they are still fetchable), so concurrent workers never
   * get the same task and never wait for each other's rows. The owning instances' revisions are bumped,
   * so an instance operation that loaded the task before it was locked fails its revision check and
   * re-runs on the locked state instead of overwriting the lock.
   */
  async lock(sql: Sql, request: FetchAndLockRequest, now: Date): Promise<ExternalTaskListing[]> {
    const topics = new Map(request.topics.map((topic) => [topic.topicName, topic]));
    if (request.maxTasks <= 0 || topics.size === 0) return [];
    const order = fetchOrder(request);
    const claimed = await this.claimFetchable(sql, [...topics.values()], request.maxTasks, order, now);
    if (claimed.length === 0) return [];

    const instanceIds = [...new Set(claimed.map((task) => task.process_instance_id))];
    // A blocking lock on the instance rows: their suspension is re-read at its latest committed state.
    const active = await sql.select<{ id: string }>(
      `SELECT id FROM ru_process_instance WHERE id IN (${placeholders(instanceIds.length)}) AND suspended = 0 FOR UPDATE`,
      instanceIds,
    );
    const activeIds = new Set(active.map((row) => row.id));
    const taken = claimed.filter((task) => activeIds.has(task.process_instance_id));
    if (taken.length === 0) return [];

    await sql.execute(
      `UPDATE ru_process_instance SET revision = revision + 1 WHERE id IN (${placeholders(activeIds.size)})`,
      [...activeIds],
    );
    const lockedTopics = [...new Set(taken.map((task) => task.topic_name))];
    const ids = taken.map((task) => task.id);
    await sql.execute(
      `UPDATE ru_external_task SET worker_id = ?,
              lock_expiration_time = CASE topic_name ${lockedTopics.map(() => 'WHEN ? THEN ?').join(' ')} END
        WHERE id IN (${placeholders(ids.length)})`,
      [
        request.workerId,
        ...lockedTopics.flatMap((name) => [name, new Date(now.getTime() + topics.get(name)!.lockDuration)]),
        ...ids,
      ],
    );
    const rows = await sql.select(
      `${SELECT_LISTING} WHERE e.id IN (${placeholders(ids.length)}) ORDER BY ${order}`,
      ids,
    );
    return rows.map(toListing);
  }

  /**
   * Row-locks up to `maxTasks` fetchable tasks of `topics`, skipping rows other transactions hold.
   * The locking read goes by primary key only: under REPEATABLE READ InnoDB keeps a lock on every row
   * a locking read scans, so a scan of the topic index would lock (and hide) all of a topic's tasks.
   */
  private async claimFetchable(
    sql: Sql,
    topics: readonly FetchTopicFilter[],
    maxTasks: number,
    order: string,
    now: Date,
  ): Promise<Array<{ id: string; process_instance_id: string; topic_name: string }>> {
    const claimed: Array<{ id: string; process_instance_id: string; topic_name: string }> = [];
    const seen: string[] = [];
    const wanted = topicConditions(topics);
    for (let round = 0; round < FETCH_ROUNDS && claimed.length < maxTasks; round += 1) {
      const missing = maxTasks - claimed.length;
      const exclude = seen.length === 0 ? '' : ` AND e.id NOT IN (${placeholders(seen.length)})`;
      const candidates = await sql.select<{ id: string }>(
        `SELECT e.id FROM ru_external_task e
          WHERE ${wanted.clause} AND ${FETCHABLE}${exclude}
          ORDER BY ${order} LIMIT ${missing}`,
        [...wanted.params, now, ...seen],
      );
      if (candidates.length === 0) break;
      const ids = candidates.map((row) => row.id);
      seen.push(...ids);
      claimed.push(
        ...(await sql.select<{ id: string; process_instance_id: string; topic_name: string }>(
          `SELECT e.id, e.process_instance_id, e.topic_name FROM ru_external_task e FORCE INDEX (PRIMARY)
            WHERE e.id IN (${placeholders(ids.length)}) AND ${wanted.clause} AND ${FETCHABLE}
            FOR UPDATE SKIP LOCKED`,
          [...ids, ...wanted.params, now],
        )),
      );
      if (candidates.length < missing) break;
    }
    return claimed;
  }
}

/** `(topic A [and its instance filters]) OR (topic B …)`, instance filters as non-locking subqueries. */
function topicConditions(topics: readonly FetchTopicFilter[]): { clause: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const topic of topics) {
    const filter = new Conditions()
      .when(topic.businessKey, 'f.business_key = ?')
      .whenIn(topic.processDefinitionIdIn, 'f.definition_id')
      .whenIn(topic.processDefinitionKeyIn, 'f.definition_key');
    tenantConditions(filter, topic.tenantIdIn, topic.withoutTenantId, false, 'f.tenant_id');
    const where = filter.toString();
    parts.push(
      where === ''
        ? 'e.topic_name = ?'
        : `(e.topic_name = ? AND e.process_instance_id IN (SELECT f.id FROM ru_process_instance f${where}))`,
    );
    params.push(topic.topicName, ...filter.params);
  }
  return { clause: `(${parts.join(' OR ')})`, params };
}

function fetchOrder(request: FetchAndLockRequest): string {
  const byPriority = request.usePriority ? 'e.priority DESC, ' : '';
  return `${byPriority}e.created ${request.createTimeOrder === 'desc' ? 'DESC' : 'ASC'}, e.id ASC`;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

function toListing(row: Row): ExternalTaskListing {
  return {
    ...externalTasks.fromRow(row),
    processInstanceId: String(row.process_instance_id),
    processDefinitionId: String(row.pi_definition_id),
    processDefinitionKey: String(row.pi_definition_key),
    processDefinitionVersionTag: text(row.pd_version_tag),
    businessKey: text(row.pi_business_key),
    tenantId: text(row.pi_tenant_id),
    suspended: Boolean(row.pi_suspended),
  };
}

/** The WHERE clause of an external-task query over `ru_external_task e JOIN ru_process_instance p`. */
function externalTaskConditions(query: ExternalTaskQuery, now: Date): Conditions {
  const where = new Conditions()
    .when(query.externalTaskId, 'e.id = ?')
    .whenIn(query.externalTaskIdIn, 'e.id')
    .when(query.topicName, 'e.topic_name = ?')
    .when(query.workerId, 'e.worker_id = ?')
    .when(query.activityId, 'e.activity_id = ?')
    .whenIn(query.activityIdIn, 'e.activity_id')
    .when(query.executionId, 'e.execution_id = ?')
    .when(query.processInstanceId, 'e.process_instance_id = ?')
    .whenIn(query.processInstanceIdIn, 'e.process_instance_id')
    .when(query.processDefinitionId, 'p.definition_id = ?')
    .when(query.priorityHigherThanOrEquals, 'e.priority >= ?')
    .when(query.priorityLowerThanOrEquals, 'e.priority <= ?');
  if (query.locked) where.add('e.lock_expiration_time > ?', now);
  if (query.notLocked) where.add('(e.lock_expiration_time IS NULL OR e.lock_expiration_time <= ?)', now);
  if (query.withRetriesLeft) where.add('(e.retries IS NULL OR e.retries > 0)');
  if (query.noRetriesLeft) where.add('e.retries = 0');
  if (query.active) where.add('p.suspended = 0');
  if (query.suspended) where.add('p.suspended = 1');
  return tenantConditions(where, query.tenantIdIn, false, false, 'p.tenant_id');
}
