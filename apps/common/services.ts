import { ProcessModels, RepositoryService } from '@libs/runtime';
import type { Infrastructure } from './infrastructure';

/** The services of the imperative shell, built once per process on its connections. */
export interface Services {
  readonly models: ProcessModels;
  readonly repository: RepositoryService;
}

export function buildServices(infrastructure: Infrastructure): Services {
  const models = new ProcessModels(infrastructure.dataSource);
  return { models, repository: new RepositoryService(infrastructure.dataSource, models) };
}
