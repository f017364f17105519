/** The imperative shell around the pure engine: loads state, runs engine operations, saves the result. */
export { ProcessModels } from './process-models';
export { RepositoryService, type DeployCommand, type DeploymentResult } from './repository.service';
export { withRetry, isTransientSqlError } from './retry';
