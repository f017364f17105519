import type { DataSource } from 'typeorm';
import { parseBpmn, type ProcessModel } from '@libs/bpmn';
import {
  DeploymentRepository,
  ProcessDefinitionRepository,
  sqlOf,
  type ProcessDefinitionRecord,
} from '@libs/persistence';
import { NotFoundException, ProcessEngineException } from '@libs/engine';

/**
 * Parsed process models by definition id. A definition never changes once deployed, so each is parsed
 * at most once per process while it stays among the `capacity` most recently used.
 */
export class ProcessModels {
  private readonly cache = new Map<string, Promise<ProcessModel>>();
  private readonly definitions = new ProcessDefinitionRepository();
  private readonly deployments = new DeploymentRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly capacity = 1_000,
  ) {}

  /** The model of a definition; NotFoundException when no such definition exists. */
  async get(definitionId: string): Promise<ProcessModel> {
    const cached = this.cache.get(definitionId);
    if (cached) {
      this.cache.delete(definitionId);
      this.cache.set(definitionId, cached);
      return cached;
    }
    const loading = this.load(definitionId);
    this.cache.set(definitionId, loading);
    loading.catch(() => this.cache.delete(definitionId));
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return loading;
  }

  /** Puts a model parsed during deployment into the cache, so the first start need not parse again. */
  remember(definitionId: string, model: ProcessModel): void {
    this.cache.set(definitionId, Promise.resolve(model));
  }

  forget(definitionIds: readonly string[]): void {
    for (const id of definitionIds) this.cache.delete(id);
  }

  private async load(definitionId: string): Promise<ProcessModel> {
    const sql = sqlOf(this.dataSource);
    const definition = await this.definitions.find(sql, definitionId);
    if (!definition) throw new NotFoundException(`No process definition found with id '${definitionId}'`);
    const xml = await this.deployments.resourceContent(sql, definition.resourceId);
    return modelOf(definition, xml === undefined ? undefined : await parseBpmn(xml));
  }
}

function modelOf(
  definition: ProcessDefinitionRecord,
  parsed: Awaited<ReturnType<typeof parseBpmn>> | undefined,
): ProcessModel {
  const model = parsed?.ok ? parsed.processes.find((process) => process.id === definition.key) : undefined;
  if (!model)
    throw new ProcessEngineException(
      `The resource of process definition '${definition.id}' no longer parses`,
    );
  return model;
}
