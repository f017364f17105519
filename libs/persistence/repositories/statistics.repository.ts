import type { Sql } from '../sql';
import {
  FAILED_JOBS_BY_ACTIVITY,
  FAILED_JOBS_BY_DEFINITION,
  PARKED_TOKEN_SCOPES,
  PARKED_TOKENS_BY_ACTIVITY,
} from './jobs/job-statistics';

/** Which incidents statistics include: none, all, or those of one type. */
export type IncidentSelection =
  { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'type'; readonly type: string };

/** What statistics count besides running instances. */
export interface StatisticsOptions {
  readonly failedJobs: boolean;
  readonly incidents: IncidentSelection;
}

export interface IncidentCount {
  readonly incidentType: string;
  readonly incidentCount: number;
}

/** Camunda's `ActivityStatistics` / `ProcessDefinitionStatistics` numbers for one id. */
export interface StatisticsRecord {
  readonly id: string;
  readonly instances: number;
  readonly failedJobs: number;
  readonly incidents: readonly IncidentCount[];
}

/** Gateways whose waiting tokens Camunda keeps in inactive executions (not counted). */
const JOIN_TYPES = "('parallelGateway', 'inclusiveGateway')";

/**
 * Camunda's statistics over running instances, computed with a few grouped statements:
 * - per activity of a definition (`GET /process-definition/{id}/statistics`): the tokens waiting there,
 *   as Camunda counts its active executions: activity instances without child instances or transition
 *   instances (a sub-process that has children is not counted, its children are), tokens waiting in
 *   asynchronous continuations of the activity, but no token waiting at a joining gateway; optionally
 *   failed jobs (no retries left) and open incidents by type;
 * - per process definition (`GET /process-definition/statistics`): running instances, failed jobs and
 *   incidents by type, for every definition.
 */
export class StatisticsRepository {
  async activityStatistics(
    sql: Sql,
    definitionId: string,
    options: StatisticsOptions,
  ): Promise<StatisticsRecord[]> {
    const stats = new Statistics();
    const ofDefinition =
      'JOIN ru_process_instance p ON p.id = {}.process_instance_id AND p.definition_id = ?';
    const joined = (alias: string) => ofDefinition.replace('{}', alias);
    await countsBy(
      sql,
      `SELECT a.activity_id AS id, COUNT(*) AS n FROM ru_activity_instance a ${joined('a')}
        WHERE a.activity_type NOT IN ${JOIN_TYPES} GROUP BY a.activity_id`,
      [definitionId],
      (id, n) => stats.addInstances(id, n),
    );
    await countsBy(
      sql,
      `SELECT s.activity_id AS id, COUNT(DISTINCT s.id) AS n FROM (
         SELECT c.parent_id AS scope_id FROM ru_activity_instance c ${joined('c')}
         UNION ${PARKED_TOKEN_SCOPES(ofDefinition)}
       ) x JOIN ru_activity_instance s ON s.id = x.scope_id
       WHERE s.activity_type NOT IN ${JOIN_TYPES} GROUP BY s.activity_id`,
      [definitionId, definitionId],
      (id, n) => stats.addInstances(id, -n),
    );
    await countsBy(sql, PARKED_TOKENS_BY_ACTIVITY(ofDefinition), [definitionId], (id, n) =>
      stats.addInstances(id, n),
    );
    if (options.failedJobs) {
      await countsBy(sql, FAILED_JOBS_BY_ACTIVITY(ofDefinition), [definitionId], (id, n) =>
        stats.addFailedJobs(id, n),
      );
    }
    await this.addIncidents(
      sql,
      stats,
      options.incidents,
      'activity_id',
      'process_definition_id = ? AND activity_id IS NOT NULL',
      [definitionId],
    );
    return stats.records(
      (record) => record.instances > 0 || record.failedJobs > 0 || record.incidents.length > 0,
    );
  }

  /** The statistics of every process definition in `definitionIds` (each answered, zeros included). */
  async definitionStatistics(
    sql: Sql,
    definitionIds: readonly string[],
    options: StatisticsOptions,
  ): Promise<StatisticsRecord[]> {
    const stats = new Statistics();
    for (const id of definitionIds) stats.addInstances(id, 0);
    await countsBy(
      sql,
      'SELECT definition_id AS id, SUM(instances) AS n FROM ru_definition_instances GROUP BY definition_id',
      [],
      (id, n) => stats.addInstances(id, n),
    );
    if (options.failedJobs) {
      await countsBy(sql, FAILED_JOBS_BY_DEFINITION, [], (id, n) => stats.addFailedJobs(id, n));
    }
    await this.addIncidents(
      sql,
      stats,
      options.incidents,
      'process_definition_id',
      'process_definition_id IS NOT NULL',
      [],
    );
    const wanted = new Set(definitionIds);
    return stats.records((record) => wanted.has(record.id));
  }

  private async addIncidents(
    sql: Sql,
    stats: Statistics,
    selection: IncidentSelection,
    groupColumn: string,
    condition: string,
    params: unknown[],
  ): Promise<void> {
    if (selection.kind === 'none') return;
    const ofType = selection.kind === 'type' ? ' AND incident_type = ?' : '';
    const rows = await sql.select<{ id: string; incident_type: string; n: number }>(
      `SELECT ${groupColumn} AS id, incident_type, COUNT(*) AS n FROM ru_incident
        WHERE ${condition}${ofType} GROUP BY ${groupColumn}, incident_type`,
      [...params, ...(selection.kind === 'type' ? [selection.type] : [])],
    );
    for (const row of rows) stats.addIncidents(row.id, row.incident_type, Number(row.n));
  }
}

/** Runs a `SELECT id, n … GROUP BY` and hands each count on. */
async function countsBy(
  sql: Sql,
  statement: string,
  params: unknown[],
  add: (id: string, n: number) => void,
): Promise<void> {
  const rows = await sql.select<{ id: string; n: number }>(statement, params);
  for (const row of rows) add(row.id, Number(row.n));
}

/** Accumulates the numbers per id. */
class Statistics {
  private readonly byId = new Map<
    string,
    { instances: number; failedJobs: number; incidents: IncidentCount[] }
  >();

  addInstances(id: string, n: number): void {
    this.entry(id).instances += n;
  }

  addFailedJobs(id: string, n: number): void {
    this.entry(id).failedJobs += n;
  }

  addIncidents(id: string, incidentType: string, incidentCount: number): void {
    this.entry(id).incidents.push({ incidentType, incidentCount });
  }

  records(keep: (record: StatisticsRecord) => boolean): StatisticsRecord[] {
    return [...this.byId]
      .map(([id, entry]) => ({ id, ...entry }))
      .filter(keep)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private entry(id: string) {
    let entry = this.byId.get(id);
    if (entry === undefined) {
      entry = { instances: 0, failedJobs: 0, incidents: [] };
      this.byId.set(id, entry);
    }
    return entry;
  }
}
