import type { DataSource } from 'typeorm';
import {
  HistoricTaskRepository,
  type HistoricTaskQuery,
  type HistoricTaskRecord,
  type HistoricTaskSortKey,
  HistoricActivityInstanceRepository,
  HistoricProcessInstanceRepository,
  IncidentRepository,
  JobLogRepository,
  sqlOf,
  VariableHistoryQueries,
  type HistoricDetailQuery,
  type HistoricDetailRecord,
  type HistoricDetailSortKey,
  type HistoricVariableInstanceQuery,
  type HistoricVariableInstanceRecord,
  type HistoricVariableInstanceSortKey,
  type HistoricIncidentQuery,
  type HistoricIncidentRecord,
  type HistoricIncidentSortKey,
  type JobLogQuery,
  type JobLogRecord,
  type JobLogSortKey,
  type HistoricActivityInstanceQuery,
  type HistoricActivityInstanceRecord,
  type HistoricActivityInstanceSortKey,
  type HistoricProcessInstanceQuery,
  type HistoricProcessInstanceRecord,
  type HistoricProcessInstanceSortKey,
  type Page,
  type Sorting,
} from '@libs/persistence';

/**
 * Read access to history (Camunda's HistoryService): process instances and activity instances,
 * running and ended, variables and their updates, the job log and incidents. History is written by the runtime in the same transaction as the state it
 * describes, so it never lags behind.
 */
export class HistoryService {
  private readonly processInstances = new HistoricProcessInstanceRepository();
  private readonly activityInstances = new HistoricActivityInstanceRepository();
  private readonly jobLog = new JobLogRepository();
  private readonly incidents = new IncidentRepository();
  private readonly variables = new VariableHistoryQueries();
  private readonly tasks = new HistoricTaskRepository();

  constructor(private readonly dataSource: DataSource) {}

  queryProcessInstances(
    query: HistoricProcessInstanceQuery,
    page?: Page,
    sorting?: Sorting<HistoricProcessInstanceSortKey>[],
  ): Promise<HistoricProcessInstanceRecord[]> {
    return this.processInstances.query(sqlOf(this.dataSource), query, page, sorting);
  }

  /** The ids of the (running and ended) instances a historic query selects. */
  processInstanceIds(query: HistoricProcessInstanceQuery): Promise<string[]> {
    return this.processInstances.ids(sqlOf(this.dataSource), query);
  }

  /** Task history (`GET|POST /history/task`). */
  queryTasks(
    query: HistoricTaskQuery,
    page?: Page,
    sorting?: Sorting<HistoricTaskSortKey>[],
  ): Promise<HistoricTaskRecord[]> {
    return this.tasks.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countTasks(query: HistoricTaskQuery): Promise<number> {
    return this.tasks.count(sqlOf(this.dataSource), query);
  }

  countProcessInstances(query: HistoricProcessInstanceQuery): Promise<number> {
    return this.processInstances.count(sqlOf(this.dataSource), query);
  }

  getProcessInstance(id: string): Promise<HistoricProcessInstanceRecord | undefined> {
    return this.processInstances.find(sqlOf(this.dataSource), id);
  }

  queryActivityInstances(
    query: HistoricActivityInstanceQuery,
    page?: Page,
    sorting?: Sorting<HistoricActivityInstanceSortKey>[],
  ): Promise<HistoricActivityInstanceRecord[]> {
    return this.activityInstances.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countActivityInstances(query: HistoricActivityInstanceQuery): Promise<number> {
    return this.activityInstances.count(sqlOf(this.dataSource), query);
  }

  queryJobLog(query: JobLogQuery, page?: Page, sorting?: Sorting<JobLogSortKey>[]): Promise<JobLogRecord[]> {
    return this.jobLog.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countJobLog(query: JobLogQuery): Promise<number> {
    return this.jobLog.count(sqlOf(this.dataSource), query);
  }

  async getJobLog(logId: string): Promise<JobLogRecord | undefined> {
    const [entry] = await this.queryJobLog({ logId });
    return entry;
  }

  /** The stack trace of a failure entry: `null` for another entry, undefined when there is no entry. */
  jobLogStackTrace(logId: string): Promise<string | null | undefined> {
    return this.jobLog.stackTrace(sqlOf(this.dataSource), logId);
  }

  queryIncidents(
    query: HistoricIncidentQuery,
    page?: Page,
    sorting?: Sorting<HistoricIncidentSortKey>[],
  ): Promise<HistoricIncidentRecord[]> {
    return this.incidents.queryHistoric(sqlOf(this.dataSource), query, page, sorting);
  }

  countIncidents(query: HistoricIncidentQuery): Promise<number> {
    return this.incidents.countHistoric(sqlOf(this.dataSource), query);
  }

  queryVariableInstances(
    query: HistoricVariableInstanceQuery,
    page?: Page,
    sorting?: Sorting<HistoricVariableInstanceSortKey>[],
  ): Promise<HistoricVariableInstanceRecord[]> {
    return this.variables.variables(sqlOf(this.dataSource), query, page, sorting);
  }

  countVariableInstances(query: HistoricVariableInstanceQuery): Promise<number> {
    return this.variables.countVariables(sqlOf(this.dataSource), query);
  }

  /** A variable instance by id; as in Camunda (a query by id without `includeDeleted`), not a deleted one. */
  async getVariableInstance(id: string): Promise<HistoricVariableInstanceRecord | undefined> {
    const [variable] = await this.queryVariableInstances({ variableId: id });
    return variable;
  }

  queryDetails(
    query: HistoricDetailQuery,
    page?: Page,
    sorting?: Sorting<HistoricDetailSortKey>[],
  ): Promise<HistoricDetailRecord[]> {
    return this.variables.details(sqlOf(this.dataSource), query, page, sorting);
  }

  countDetails(query: HistoricDetailQuery): Promise<number> {
    return this.variables.countDetails(sqlOf(this.dataSource), query);
  }

  async getDetail(id: string): Promise<HistoricDetailRecord | undefined> {
    const [detail] = await this.queryDetails({ detailId: id });
    return detail;
  }
}
