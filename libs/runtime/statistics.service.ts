import type { DataSource } from 'typeorm';
import {
  sqlOf,
  StatisticsRepository,
  type ProcessDefinitionRecord,
  type StatisticsOptions,
  type StatisticsRecord,
} from '@libs/persistence';
import type { RepositoryService } from './repository.service';

/** A process definition with its statistics. */
export interface DefinitionStatistics extends StatisticsRecord {
  readonly definition: ProcessDefinitionRecord;
}

/**
 * Camunda's management statistics: where the running instances of a definition wait (per activity),
 * and the running instances, failed jobs and incidents of every definition.
 */
export class StatisticsService {
  private readonly statistics = new StatisticsRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RepositoryService,
  ) {}

  activityStatistics(definitionId: string, options: StatisticsOptions): Promise<StatisticsRecord[]> {
    return this.statistics.activityStatistics(sqlOf(this.dataSource), definitionId, options);
  }

  async definitionStatistics(options: StatisticsOptions): Promise<DefinitionStatistics[]> {
    const definitions = await this.repository.queryDefinitions({});
    const byId = new Map(definitions.map((definition) => [definition.id, definition]));
    const records = await this.statistics.definitionStatistics(
      sqlOf(this.dataSource),
      [...byId.keys()],
      options,
    );
    return records.map((record) => ({ ...record, definition: byId.get(record.id)! }));
  }
}
