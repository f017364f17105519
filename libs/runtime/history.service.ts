import type { DataSource } from 'typeorm';
import {
  HistoricActivityInstanceRepository,
  HistoricProcessInstanceRepository,
  sqlOf,
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
 * running and ended. History is written by the runtime in the same transaction as the state it
 * describes, so it never lags behind.
 */
export class HistoryService {
  private readonly processInstances = new HistoricProcessInstanceRepository();
  private readonly activityInstances = new HistoricActivityInstanceRepository();

  constructor(private readonly dataSource: DataSource) {}

  queryProcessInstances(
    query: HistoricProcessInstanceQuery,
    page?: Page,
    sorting?: Sorting<HistoricProcessInstanceSortKey>[],
  ): Promise<HistoricProcessInstanceRecord[]> {
    return this.processInstances.query(sqlOf(this.dataSource), query, page, sorting);
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
}
