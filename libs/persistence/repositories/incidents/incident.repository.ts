import { Conditions, orderAndPage, placeholders, type Page, type Sql } from '../../sql';

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
}

const FAILED_JOB = 'failedJob';

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
});

/**
 * The one owner of `ru_incident`. A job gets a `failedJob` incident when its retries reach 0 and
 * loses it when its retries are set again or the job is deleted (with its instance, or by the engine).
 */
/** Where a failed job stands after its instance was migrated. */
export interface MovedJob {
  readonly jobId: string;
  readonly activityId: string;
  readonly jobDefinitionId: string;
  readonly processDefinitionId: string;
}

export class IncidentRepository {
  /**
   * Raises the `failedJob` incident of a job of a process instance, unless it has one (at most one per
   * job). Must run in the transaction that set the job's retries to 0.
   */
  async raiseForJob(sql: Sql, incident: NewJobIncident): Promise<void> {
    await sql.execute(
      `INSERT IGNORE INTO ru_incident (id, incident_type, incident_message, incident_timestamp, configuration,
         process_instance_id, process_definition_id, execution_id, activity_id, job_definition_id)
       VALUES (?, '${FAILED_JOB}', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        incident.id,
        incident.message?.slice(0, 4000) ?? null,
        incident.timestamp,
        incident.jobId,
        incident.processInstanceId,
        incident.processDefinitionId,
        incident.executionId,
        incident.activityId,
        incident.jobDefinitionId,
      ],
    );
  }

  /**
   * Re-points the `failedJob` incidents of jobs that moved to another activity, job definition or
   * process definition (a migrated transition instance keeps its incident, as in Camunda).
   */
  async followJobs(sql: Sql, moved: readonly MovedJob[]): Promise<void> {
    for (const job of moved) {
      await sql.execute(
        `UPDATE ru_incident SET activity_id = ?, job_definition_id = ?, process_definition_id = ?
          WHERE incident_type = '${FAILED_JOB}' AND configuration = ?`,
        [job.activityId, job.jobDefinitionId, job.processDefinitionId, job.jobId],
      );
    }
  }

  /** Resolves (deletes) the `failedJob` incidents of jobs: their retries were set, or they are gone. */
  async resolveForJobs(sql: Sql, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await sql.execute(
      `DELETE FROM ru_incident WHERE incident_type = '${FAILED_JOB}' AND configuration IN (${placeholders(jobIds.length)})`,
      jobIds,
    );
  }

  /** Deletes the incidents of ended process instances. */
  async deleteOfInstances(sql: Sql, instanceIds: readonly string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    await sql.execute(
      `DELETE FROM ru_incident WHERE process_instance_id IN (${placeholders(instanceIds.length)})`,
      instanceIds,
    );
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
