import {
  Conditions,
  insertRows,
  orderAndPage,
  placeholders,
  type Page,
  type Sorting,
  type Sql,
} from '../../sql';
import type { MovedExternalTask, NewExternalTaskIncident } from './external-task-incidents';
import {
  HISTORIC_INCIDENT_SORT_COLUMNS,
  historicIncidentConditions,
  historicIncidentRecord,
  INCIDENT_STATE,
  type HistoricIncidentQuery,
  type HistoricIncidentRecord,
  type HistoricIncidentSortKey,
} from './historic-incident-query';

/** An open incident as Camunda's IncidentDto describes it (`failedJob` incidents of this engine). */
export interface IncidentRecord {
  readonly id: string;
  readonly processDefinitionId: string | null;
  readonly processInstanceId: string | null;
  readonly executionId: string | null;
  readonly incidentTimestamp: Date;
  readonly incidentType: string;
  readonly activityId: string | null;
  readonly failedActivityId: string | null;
  readonly causeIncidentId: string;
  readonly rootCauseIncidentId: string;
  /** The job id of a `failedJob` incident. */
  readonly configuration: string;
  readonly incidentMessage: string | null;
  readonly jobDefinitionId: string | null;
  readonly annotation: string | null;
}

/** The filters of `GET /incident` this service supports. */
export interface IncidentQuery {
  readonly incidentId?: string;
  readonly incidentType?: string;
  readonly processInstanceId?: string;
  readonly processDefinitionId?: string;
  readonly executionId?: string;
  readonly activityId?: string;
  readonly configuration?: string;
  readonly jobDefinitionIdIn?: readonly string[];
}

/** The incident to raise for a job of a process instance that ran out of retries. */
export interface NewJobIncident {
  readonly id: string;
  readonly jobId: string;
  readonly message: string | null;
  readonly timestamp: Date;
  readonly processInstanceId: string;
  readonly processDefinitionId: string;
  readonly executionId: string | null;
  readonly activityId: string | null;
  readonly jobDefinitionId: string | null;
  /** The history's description of the instance. */
  readonly processDefinitionKey: string;
  readonly tenantId: string | null;
  /** The id of the job log entry of the failure that raised it (Camunda's `historyConfiguration`). */
  readonly historyConfiguration: string | null;
}

const FAILED_JOB = 'failedJob';
const FAILED_EXTERNAL_TASK = 'failedExternalTask';

type IncidentRow = {
  id: string;
  incident_type: string;
  incident_message: string | null;
  incident_timestamp: Date;
  configuration: string;
  process_instance_id: string | null;
  process_definition_id: string | null;
  execution_id: string | null;
  activity_id: string | null;
  job_definition_id: string | null;
  annotation: string | null;
};

const toRecord = (row: IncidentRow): IncidentRecord => ({
  id: row.id,
  processDefinitionId: row.process_definition_id,
  processInstanceId: row.process_instance_id,
  executionId: row.execution_id,
  incidentTimestamp: row.incident_timestamp,
  incidentType: row.incident_type,
  activityId: row.activity_id,
  failedActivityId: row.activity_id,
  // A failed job's incident is its own cause (no called instances here).
  causeIncidentId: row.id,
  rootCauseIncidentId: row.id,
  configuration: row.configuration,
  incidentMessage: row.incident_message,
  jobDefinitionId: row.job_definition_id,
  annotation: row.annotation,
});

/**
 * The one owner of `ru_incident` and `hi_incident`. A job gets a `failedJob` incident when its retries
 * reach 0; the incident is resolved when its retries are set again or it then runs successfully, and
 * deleted when the job goes otherwise (cancelled with its scope, its instance deleted). History keeps
 * every incident with its end (`endTime`, resolved or deleted), written in the same transactions.
 */
/** Where a failed job stands after its instance was migrated. */
export interface MovedJob {
  readonly jobId: string;
  readonly activityId: string;
  readonly jobDefinitionId: string;
  readonly processDefinitionId: string;
  readonly processDefinitionKey: string;
}

export class IncidentRepository {
  /**
   * Raises the `failedJob` incident of a job of a process instance, unless it has one (at most one per
   * job), and opens its history. Must run in the transaction that set the job's retries to 0.
   */
  async raiseForJob(sql: Sql, incident: NewJobIncident): Promise<void> {
    const message = incident.message?.slice(0, 4000) ?? null;
    const raised = await sql.execute(
      `INSERT IGNORE INTO ru_incident (id, incident_type, incident_message, incident_timestamp, configuration,
         process_instance_id, process_definition_id, execution_id, activity_id, job_definition_id)
       VALUES (?, '${FAILED_JOB}', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        incident.id,
        message,
        incident.timestamp,
        incident.jobId,
        incident.processInstanceId,
        incident.processDefinitionId,
        incident.executionId,
        incident.activityId,
        incident.jobDefinitionId,
      ],
    );
    if (raised === 0) return;
    await sql.execute(
      `INSERT INTO hi_incident (id, incident_type, incident_message, create_time, incident_state, configuration,
         history_configuration, process_instance_id, process_definition_id, process_definition_key, execution_id,
         activity_id, job_definition_id, tenant_id)
       VALUES (?, '${FAILED_JOB}', ?, ?, ${INCIDENT_STATE.open}, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        incident.id,
        message,
        incident.timestamp,
        incident.jobId,
        incident.historyConfiguration,
        incident.processInstanceId,
        incident.processDefinitionId,
        incident.processDefinitionKey,
        incident.executionId,
        incident.activityId,
        incident.jobDefinitionId,
        incident.tenantId,
      ],
    );
  }

  /**
   * Re-points the `failedJob` incidents of jobs that moved to another activity, job definition or
   * process definition (a migrated transition instance keeps its incident, as in Camunda).
   */
  async followJobs(sql: Sql, moved: readonly MovedJob[]): Promise<void> {
    await this.follow(
      sql,
      FAILED_JOB,
      moved.map(({ jobId, ...place }) => ({ configuration: jobId, ...place })),
    );
  }

  /** Re-points the `failedExternalTask` incidents of external tasks a migration moved. */
  async followExternalTasks(sql: Sql, moved: readonly MovedExternalTask[]): Promise<void> {
    await this.follow(
      sql,
      FAILED_EXTERNAL_TASK,
      moved.map(({ externalTaskId, ...place }) => ({
        configuration: externalTaskId,
        jobDefinitionId: null,
        ...place,
      })),
    );
  }

  private async follow(
    sql: Sql,
    type: string,
    moved: ReadonlyArray<{
      readonly configuration: string;
      readonly activityId: string;
      readonly jobDefinitionId: string | null;
      readonly processDefinitionId: string;
      readonly processDefinitionKey: string;
    }>,
  ): Promise<void> {
    // Moved to the same place (a migration moves every job or task of an activity alike): one statement.
    const byPlace = new Map<string, { place: (typeof moved)[number]; ids: string[] }>();
    for (const entry of moved) {
      const key = JSON.stringify([entry.activityId, entry.jobDefinitionId, entry.processDefinitionId]);
      const group = byPlace.get(key);
      if (group) group.ids.push(entry.configuration);
      else byPlace.set(key, { place: entry, ids: [entry.configuration] });
    }
    for (const { place, ids } of byPlace.values()) {
      const of = `incident_type = ? AND configuration IN (${placeholders(ids.length)})`;
      await sql.execute(
        `UPDATE ru_incident SET activity_id = ?, job_definition_id = ?, process_definition_id = ? WHERE ${of}`,
        [place.activityId, place.jobDefinitionId, place.processDefinitionId, type, ...ids],
      );
      await sql.execute(
        `UPDATE hi_incident SET activity_id = ?, job_definition_id = ?, process_definition_id = ?,
           process_definition_key = ? WHERE ${of} AND end_time IS NULL`,
        [
          place.activityId,
          place.jobDefinitionId,
          place.processDefinitionId,
          place.processDefinitionKey,
          type,
          ...ids,
        ],
      );
    }
  }

  /** Resolves the `failedJob` incidents of jobs: their retries were set, or they ran successfully. */
  resolveForJobs(sql: Sql, jobIds: readonly string[], now = new Date()): Promise<void> {
    return this.endFor(sql, FAILED_JOB, jobIds, 'resolved', now);
  }

  /** Deletes the `failedJob` incidents of jobs that are gone without running (cancelled, deleted). */
  deleteForJobs(sql: Sql, jobIds: readonly string[], now = new Date()): Promise<void> {
    return this.endFor(sql, FAILED_JOB, jobIds, 'deleted', now);
  }

  /**
   * Raises the `failedExternalTask` incidents of external tasks out of retries (one per task: a task that
   * has one keeps it) and opens their history, set-wise. Must run in the transaction that set the retries.
   */
  async raiseForExternalTasks(sql: Sql, incidents: readonly NewExternalTaskIncident[]): Promise<void> {
    if (incidents.length === 0) return;
    const open = await sql.select<{ configuration: string }>(
      `SELECT configuration FROM ru_incident WHERE incident_type = '${FAILED_EXTERNAL_TASK}' AND configuration IN (${placeholders(incidents.length)})`,
      incidents.map((incident) => incident.externalTaskId),
    );
    const having = new Set(open.map((row) => row.configuration));
    const fresh = incidents.filter((incident) => !having.has(incident.externalTaskId));
    const message = (incident: NewExternalTaskIncident) => incident.message?.slice(0, 4000) ?? null;
    await insertRows(
      sql,
      'ru_incident',
      [
        'id',
        'incident_type',
        'incident_message',
        'incident_timestamp',
        'configuration',
        'process_instance_id',
        'process_definition_id',
        'execution_id',
        'activity_id',
        'job_definition_id',
      ],
      fresh.map((incident) => [
        incident.id,
        FAILED_EXTERNAL_TASK,
        message(incident),
        incident.timestamp,
        incident.externalTaskId,
        incident.processInstanceId,
        incident.processDefinitionId,
        incident.executionId,
        incident.activityId,
        null,
      ]),
    );
    await insertRows(
      sql,
      'hi_incident',
      [
        'id',
        'incident_type',
        'incident_message',
        'create_time',
        'incident_state',
        'configuration',
        'history_configuration',
        'process_instance_id',
        'process_definition_id',
        'process_definition_key',
        'execution_id',
        'activity_id',
        'job_definition_id',
        'tenant_id',
      ],
      fresh.map((incident) => [
        incident.id,
        FAILED_EXTERNAL_TASK,
        message(incident),
        incident.timestamp,
        INCIDENT_STATE.open,
        incident.externalTaskId,
        null,
        incident.processInstanceId,
        incident.processDefinitionId,
        incident.processDefinitionKey,
        incident.executionId,
        incident.activityId,
        null,
        incident.tenantId,
      ]),
    );
  }

  /**
   * Ends the `failedExternalTask` incidents of external tasks: `resolved` (given retries again, or
   * completed) or `deleted` (gone with their scope or instance).
   */
  endForExternalTasks(
    sql: Sql,
    externalTaskIds: readonly string[],
    state: 'resolved' | 'deleted',
    now = new Date(),
  ): Promise<void> {
    return this.endFor(sql, FAILED_EXTERNAL_TASK, externalTaskIds, state, now);
  }

  /**
   * Sets or clears (`null`) the annotation of an open incident, in its history too; false when there is
   * no such incident.
   */
  async setAnnotation(sql: Sql, incidentId: string, annotation: string | null): Promise<boolean> {
    // Locked first: `execute` counts changed rows, so an unchanged annotation would look like no incident.
    const [found] = await sql.select<{ id: string }>('SELECT id FROM ru_incident WHERE id = ? FOR UPDATE', [
      incidentId,
    ]);
    if (found === undefined) return false;
    await sql.execute('UPDATE ru_incident SET annotation = ? WHERE id = ?', [annotation, incidentId]);
    await sql.execute('UPDATE hi_incident SET annotation = ? WHERE id = ?', [annotation, incidentId]);
    return true;
  }

  /**
   * Ends the incidents of one type about `configurations` (job or external task ids): their history rows
   * get the end and state, the runtime rows go.
   */
  private async endFor(
    sql: Sql,
    type: string,
    configurations: readonly string[],
    state: 'resolved' | 'deleted',
    now: Date,
  ): Promise<void> {
    if (configurations.length === 0) return;
    const rows = await sql.select<{ id: string }>(
      `SELECT id FROM ru_incident WHERE incident_type = ? AND configuration IN (${placeholders(configurations.length)})`,
      [type, ...configurations],
    );
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.id);
    await sql.execute(
      `UPDATE hi_incident SET end_time = ?, incident_state = ? WHERE id IN (${placeholders(ids.length)})`,
      [now, INCIDENT_STATE[state], ...ids],
    );
    await sql.execute(`DELETE FROM ru_incident WHERE id IN (${placeholders(ids.length)})`, ids);
  }

  /** Deletes the incident history of the given definitions (a cascading deployment deletion). */
  async deleteHistoryOfDefinitions(sql: Sql, definitionIds: readonly string[]): Promise<void> {
    if (definitionIds.length === 0) return;
    await sql.execute(
      `DELETE FROM hi_incident WHERE process_definition_id IN (${placeholders(definitionIds.length)})`,
      definitionIds,
    );
  }

  async queryHistoric(
    sql: Sql,
    query: HistoricIncidentQuery,
    page?: Page,
    sorting: Sorting<HistoricIncidentSortKey>[] = [],
  ): Promise<HistoricIncidentRecord[]> {
    const where = historicIncidentConditions(query);
    const rows = await sql.select<Record<string, unknown>>(
      `SELECT * FROM hi_incident${where}${orderAndPage(sorting, HISTORIC_INCIDENT_SORT_COLUMNS, 'id ASC', page)}`,
      where.params,
    );
    return rows.map(historicIncidentRecord);
  }

  async countHistoric(sql: Sql, query: HistoricIncidentQuery): Promise<number> {
    const where = historicIncidentConditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM hi_incident${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }

  async query(sql: Sql, query: IncidentQuery, page?: Page): Promise<IncidentRecord[]> {
    const where = conditions(query);
    const rows = await sql.select<IncidentRow>(
      `SELECT * FROM ru_incident${where}${orderAndPage([], {}, 'id ASC', page)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  async count(sql: Sql, query: IncidentQuery): Promise<number> {
    const where = conditions(query);
    const [row] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_incident${where}`,
      where.params,
    );
    return Number(row?.n ?? 0);
  }
}

function conditions(query: IncidentQuery): Conditions {
  return new Conditions()
    .when(query.incidentId, 'id = ?')
    .when(query.incidentType, 'incident_type = ?')
    .when(query.processInstanceId, 'process_instance_id = ?')
    .when(query.processDefinitionId, 'process_definition_id = ?')
    .when(query.executionId, 'execution_id = ?')
    .when(query.activityId, 'activity_id = ?')
    .when(query.configuration, 'configuration = ?')
    .whenIn(query.jobDefinitionIdIn, 'job_definition_id');
}
