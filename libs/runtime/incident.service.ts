import type { DataSource } from 'typeorm';
import { BadUserRequestException, type TreeIncident } from '@libs/engine';
import {
  IncidentRepository,
  sqlOf,
  transaction,
  type IncidentQuery,
  type IncidentRecord,
  type Page,
} from '@libs/persistence';
import { change, OPERATION_TYPES, type OperationLogService } from './operation-log.service';

/**
 * Open incidents (`GET /incident`, and the incidents the activity-instance tree shows) and their
 * annotations. Incidents are raised and resolved with their jobs' retries by the jobs' repository,
 * never here.
 */
export class IncidentService {
  private readonly repository = new IncidentRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly operationLog: OperationLogService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Sets (or clears, with `null`) the annotation of an open incident, in its history too, and logs
   * Camunda's `SetAnnotation`/`ClearAnnotation` operation on the incident.
   * @throws BadUserRequestException `incident is null` when there is no open incident with that id.
   */
  async setAnnotation(incidentId: string, annotation: string | null, userId: string | null): Promise<void> {
    await transaction(this.dataSource, async (sql) => {
      if (!(await this.repository.setAnnotation(sql, incidentId, annotation))) {
        throw new BadUserRequestException('incident is null');
      }
      await this.operationLog.write(sql, [
        {
          operationType:
            annotation === null ? OPERATION_TYPES.clearAnnotation : OPERATION_TYPES.setAnnotation,
          entityType: 'Incident',
          category: 'Operator',
          userId,
          timestamp: this.clock(),
          // As Camunda's: the entry names the incident only (no instance or definition).
          changes: [change('incidentId', incidentId)],
        },
      ]);
    });
  }

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
