import type { DataSource } from 'typeorm';
import type { TreeIncident } from '@libs/engine';
import {
  IncidentRepository,
  sqlOf,
  type IncidentQuery,
  type IncidentRecord,
  type Page,
} from '@libs/persistence';

/**
 * Open incidents (`GET /incident`, and the incidents the activity-instance tree shows). Incidents are
 * raised and resolved with their jobs' retries by the jobs' repository, never here.
 */
export class IncidentService {
  private readonly repository = new IncidentRepository();

  constructor(private readonly dataSource: DataSource) {}

  query(query: IncidentQuery, page?: Page): Promise<IncidentRecord[]> {
    return this.repository.query(sqlOf(this.dataSource), query, page);
  }

  count(query: IncidentQuery): Promise<number> {
    return this.repository.count(sqlOf(this.dataSource), query);
  }

  async get(incidentId: string): Promise<IncidentRecord | undefined> {
    const [incident] = await this.query({ incidentId });
    return incident;
  }

  /** The open incidents of a process instance, as the activity-instance tree places them. */
  async ofInstance(processInstanceId: string): Promise<TreeIncident[]> {
    const incidents = await this.query({ processInstanceId });
    return incidents.map((incident) => ({
      id: incident.id,
      activityId: incident.activityId ?? '',
      executionId: incident.executionId ?? '',
    }));
  }
}
