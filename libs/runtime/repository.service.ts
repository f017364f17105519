import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  isWaitTrigger,
  parseBpmn,
  processStartEvents,
  type ParseProblem,
  type ProcessModel,
} from '@libs/bpmn';
import {
  BadUserRequestException,
  cancelInstance,
  jobDefinitionsOf,
  ParseException,
  ProcessEngineException,
  startTimerJob,
  type StartTimerJob,
} from '@libs/engine';
import {
  DeploymentRepository,
  HistoryRepository,
  JobDefinitionRepository,
  ProcessDefinitionRepository,
  sqlOf,
  StartEventRepository,
  StartTimerRepository,
  type StartEventRow,
  transaction,
  type DeploymentQuery,
  type DeploymentRecord,
  type DeploymentSortKey,
  type Page,
  type ProcessDefinitionQuery,
  type ProcessDefinitionRecord,
  type ProcessDefinitionSortKey,
  type Sorting,
  type ResourceRecord,
  type Sql,
} from '@libs/persistence';
import type { ProcessModels } from './process-models';
import type { RuntimeService } from './runtime.service';
import { retriedTransaction } from './retry';
import type { TimerScheduler } from './timer-scheduler';

export interface DeployCommand {
  readonly name: string | null;
  readonly source: string | null;
  readonly tenantId: string | null;
  /** Skip the deployment when no resource changed since the latest deployment of the same name. */
  readonly enableDuplicateFiltering: boolean;
  /** Deploy only the resources that changed (implies duplicate filtering). */
  readonly deployChangedOnly: boolean;
  readonly resources: ReadonlyArray<{ readonly name: string; readonly content: string }>;
}

export interface DeploymentResult {
  readonly deployment: DeploymentRecord;
  /** Definitions this call deployed; `null` when duplicate filtering found nothing new. */
  readonly definitions: readonly ProcessDefinitionRecord[] | null;
  /**
   * The parse warnings of each BPMN resource of the request (e.g. extensions accepted but not acted
   * upon), shaped like a ParseException's `details`.
   */
  readonly details: ParseDetails;
}

/** Problems per resource, as Camunda's ParseException reports them. */
export type ParseDetails = Readonly<Record<string, { errors: ParseProblem[]; warnings: ParseProblem[] }>>;

const BPMN_RESOURCE = /\.(bpmn|bpmn20\.xml)$/i;

/**
 * Deployments and process definitions (Camunda's RepositoryService). Deploying: every BPMN resource
 * must parse (otherwise one ParseException lists every problem per resource, and nothing is stored);
 * each executable process becomes a definition with the next version of its key within the tenant.
 */
export class RepositoryService {
  private readonly deployments = new DeploymentRepository();
  private readonly definitions = new ProcessDefinitionRepository();
  private readonly history = new HistoryRepository();
  private readonly jobDefinitions = new JobDefinitionRepository();
  private readonly startEvents = new StartEventRepository();
  private readonly startTimers = new StartTimerRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ProcessModels,
    /** Where timer start jobs are scheduled once their deployment committed. */
    private readonly timers: TimerScheduler = {
      schedule: async () => undefined,
      cancel: async () => undefined,
    },
    private readonly now: () => Date = () => new Date(),
  ) {}

  async deploy(command: DeployCommand): Promise<DeploymentResult> {
    const names = command.resources.map((resource) => resource.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated)
      throw new BadUserRequestException(`The deployment contains the resource '${repeated}' more than once`);
    const { parsed, details } = await parseResources(command.resources);
    let timerChanges: { removed: string[]; added: StartTimerJob[] } = { removed: [], added: [] };
    const result = await retriedTransaction(this.dataSource, async (sql) => {
      const resources = await this.changedResources(sql, command);
      if (resources === null) return this.unchanged(sql, command);
      const deployment: DeploymentRecord = {
        id: randomUUID(),
        name: command.name,
        source: command.source,
        tenantId: command.tenantId,
        deploymentTime: this.now(),
      };
      const records = resources.map((resource) => resourceRecord(deployment.id, resource));
      await this.deployments.insert(sql, deployment, records);
      const definitions = await this.newDefinitions(sql, deployment, records, parsed);
      await this.definitions.insert(sql, definitions);
      await this.jobDefinitions.insert(
        sql,
        definitions.map((definition) => ({
          definition,
          declarations: jobDefinitionsOf(
            parsed.get(definition.resourceName)!.get(definition.key)!,
            definition.id,
          ),
        })),
      );
      await this.startEvents.insert(
        sql,
        definitions.flatMap((definition) =>
          startEventRows(definition.id, parsed.get(definition.resourceName)!.get(definition.key)!),
        ),
        deployment.deploymentTime,
      );
      timerChanges = await this.replaceStartTimers(sql, definitions, parsed, deployment.deploymentTime);
      return { deployment, definitions };
    });
    await this.timers.cancel(timerChanges.removed);
    await this.timers.schedule(timerChanges.added.map((job) => ({ jobId: job.id, dueDate: job.dueDate })));
    for (const definition of result.definitions ?? []) {
      this.models.remember(definition.id, parsed.get(definition.resourceName)!.get(definition.key)!);
    }
    return { ...result, details };
  }

  getDeployment(id: string): Promise<DeploymentRecord | undefined> {
    return this.deployments.find(sqlOf(this.dataSource), id);
  }

  queryDeployments(
    query: DeploymentQuery,
    page?: Page,
    sorting?: Sorting<DeploymentSortKey>[],
  ): Promise<DeploymentRecord[]> {
    return this.deployments.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countDeployments(query: DeploymentQuery): Promise<number> {
    return this.deployments.count(sqlOf(this.dataSource), query);
  }

  getDefinition(id: string): Promise<ProcessDefinitionRecord | undefined> {
    return this.definitions.find(sqlOf(this.dataSource), id);
  }

  /** The latest version of a key, for a tenant or (with `null`) among definitions without tenant. */
  latestDefinition(key: string, tenantId: string | null): Promise<ProcessDefinitionRecord | undefined> {
    return this.definitions.findLatest(sqlOf(this.dataSource), key, tenantId);
  }

  queryDefinitions(
    query: ProcessDefinitionQuery,
    page?: Page,
    sorting?: Sorting<ProcessDefinitionSortKey>[],
  ): Promise<ProcessDefinitionRecord[]> {
    return this.definitions.query(sqlOf(this.dataSource), query, page, sorting);
  }

  countDefinitions(query: ProcessDefinitionQuery): Promise<number> {
    return this.definitions.count(sqlOf(this.dataSource), query);
  }

  /** The BPMN XML a definition was deployed from. */
  async definitionXml(definition: ProcessDefinitionRecord): Promise<string> {
    return (await this.deployments.resourceContent(sqlOf(this.dataSource), definition.resourceId)) ?? '';
  }

  /**
   * Deletes a deployment with its resources and definitions; `false` when there is no such deployment.
   * Running instances of its definitions block the deletion, unless `cascade`: then they are deleted
   * first (as `DELETE /process-instance` would), and the history of all its instances goes too.
   */
  async deleteDeployment(
    deploymentId: string,
    options: { cascade: boolean; runtime: RuntimeService },
  ): Promise<boolean> {
    const sql = sqlOf(this.dataSource);
    const deleting = await this.definitions.byDeployment(sql, deploymentId);
    const definitionIds = deleting.map((definition) => definition.id);
    await this.cancelInstancesOf(definitionIds, options, 'deployment deleted', (running) => {
      throw new BadUserRequestException(
        `Deletion of deployment '${deploymentId}' without cascading failed: process instances are still running on its process definitions (e.g. '${running.id}'). Delete them first, or pass cascade=true.`,
      );
    });
    return this.removeDefinitions(deleting, options.cascade, (tx) =>
      this.deployments.delete(tx, deploymentId),
    );
  }

  /**
   * Deletes definitions whose instances are gone, in one transaction with `remove` (which deletes
   * their rows): with `cascade` their instances' history, always their timer start jobs; the version
   * that is the latest afterwards gets its timer start jobs back (Camunda's deployment deletion).
   */
  private async removeDefinitions<T>(
    deleting: readonly ProcessDefinitionRecord[],
    cascade: boolean,
    remove: (tx: Sql) => Promise<T>,
  ): Promise<T> {
    const definitionIds = deleting.map((definition) => definition.id);
    let timerChanges: { removed: string[]; added: StartTimerJob[] } = { removed: [], added: [] };
    const result = await transaction(this.dataSource, async (tx) => {
      if (cascade) await this.history.deleteOfDefinitions(tx, definitionIds);
      const removed = await this.startTimers.deleteOfDefinitions(tx, definitionIds);
      const outcome = await remove(tx);
      timerChanges = { removed, added: await this.restoreStartTimers(tx, deleting) };
      return outcome;
    });
    this.models.forget(definitionIds);
    await this.timers.cancel(timerChanges.removed);
    await this.timers.schedule(timerChanges.added.map((job) => ({ jobId: job.id, dueDate: job.dueDate })));
    return result;
  }

  /**
   * Camunda's `BpmnDeployer`: a new version retires the timer start jobs of every earlier version of
   * its key (even when it has no timer start event itself) and brings its own.
   */
  private async replaceStartTimers(
    sql: Sql,
    definitions: readonly ProcessDefinitionRecord[],
    parsed: ParsedResources,
    now: Date,
  ): Promise<{ removed: string[]; added: StartTimerJob[] }> {
    const removed: string[] = [];
    const added: StartTimerJob[] = [];
    for (const definition of definitions) {
      removed.push(...(await this.startTimers.deleteOfKey(sql, definition.key, definition.tenantId)));
      const model = parsed.get(definition.resourceName)!.get(definition.key)!;
      const job = startTimerOf(model, definition.id, now);
      if (job !== null) added.push(job);
    }
    await this.startTimers.insert(
      sql,
      added,
      now,
      (job) => definitions.find((definition) => definition.id === job.definitionId)!.key,
    );
    return { removed, added };
  }

  /**
   * After definitions went, the version now latest of each of their keys gets its timer start job back
   * (Camunda's `DeleteProcessDefinitionsByIdsCmd`), unless it has one.
   */
  private async restoreStartTimers(
    sql: Sql,
    deleted: readonly ProcessDefinitionRecord[],
  ): Promise<StartTimerJob[]> {
    const added: StartTimerJob[] = [];
    const keys = new Map(
      deleted.map((definition) => [`${definition.key}\u0000${definition.tenantId ?? ''}`, definition]),
    );
    for (const { key, tenantId } of keys.values()) {
      const latest = await this.definitions.findLatest(sql, key, tenantId);
      if (latest === undefined) continue;
      if ((await this.startTimers.idsOfKey(sql, key, tenantId)).length > 0) continue;
      const job = startTimerJob(await this.models.get(latest.id), latest.id, this.now(), randomUUID);
      if (job === null) continue;
      await this.startTimers.insert(sql, [job], this.now(), () => key);
      added.push(job);
    }
    return added;
  }

  /**
   * Deletes process definitions (Camunda's `deleteProcessDefinition(s)`): their deployment and resources
   * stay, an earlier version becomes the latest again. Running instances block the deletion, unless
   * `cascade`: then they are deleted first (as `DELETE /process-instance` deletes them: no listeners
   * or output mappings run, so the skip options change nothing), and the history of all the
   * definitions' instances goes too.
   * @throws BadUserRequestException ENGINE-03076 when instances run and `cascade` is false.
   */
  async deleteDefinitions(
    definitions: readonly ProcessDefinitionRecord[],
    options: { cascade: boolean; runtime: RuntimeService },
  ): Promise<void> {
    for (const { id: definitionId } of definitions) {
      await this.cancelInstancesOf([definitionId], options, null, async () => {
        const count = await options.runtime.countInstances({ processDefinitionId: definitionId });
        throw new BadUserRequestException(
          `ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ${definitionId} can't be deleted, because there are ${count} dependent process instances.`,
        );
      });
    }
    await this.removeDefinitions(definitions, options.cascade, (tx) =>
      this.definitions.delete(
        tx,
        definitions.map((definition) => definition.id),
      ),
    );
  }

  /**
   * Deletes the running instances of `definitionIds` when `cascade` (reason `deleteReason`), a page at a
   * time; without `cascade`, calls `refuse` with the first one found.
   */
  private async cancelInstancesOf(
    definitionIds: readonly string[],
    options: { cascade: boolean; runtime: RuntimeService },
    deleteReason: string | null,
    refuse: (running: { id: string }) => Promise<never> | never,
  ): Promise<void> {
    for (;;) {
      const running = await options.runtime.queryInstances(
        { processDefinitionIdIn: [...definitionIds] },
        { offset: 0, limit: 500 },
      );
      if (running.length === 0) return;
      if (!options.cascade) await refuse(running[0]!);
      await options.runtime.updateMany(
        running.map((instance) => instance.id),
        (model, state, ctx) => cancelInstance(model, state, { deleteReason }, ctx),
      );
    }
  }

  /** The resources to deploy, or `null` when duplicate filtering finds none changed. */
  private async changedResources(
    sql: Sql,
    command: DeployCommand,
  ): Promise<DeployCommand['resources'] | null> {
    const filtering =
      (command.enableDuplicateFiltering || command.deployChangedOnly) && command.name !== null;
    if (!filtering) return command.resources;
    const latest = await this.deployments.latestResourceHashes(
      sql,
      command.name!,
      command.tenantId,
      command.resources.map((r) => r.name),
    );
    const changed = command.resources.filter(
      (resource) => latest.get(resource.name)?.hash !== hash(resource.content),
    );
    if (changed.length === 0) return null;
    return command.deployChangedOnly ? changed : command.resources;
  }

  private async unchanged(sql: Sql, command: DeployCommand): Promise<Omit<DeploymentResult, 'details'>> {
    const sameName: DeploymentQuery = command.tenantId
      ? { name: command.name!, tenantIdIn: [command.tenantId] }
      : { name: command.name!, withoutTenantId: true };
    const [latest] = await this.deployments.query(sql, sameName, { offset: 0, limit: 1 }, [
      { by: 'deploymentTime', order: 'desc' },
    ]);
    return { deployment: latest!, definitions: null };
  }

  private async newDefinitions(
    sql: Sql,
    deployment: DeploymentRecord,
    resources: readonly ResourceRecord[],
    parsed: ParsedResources,
  ): Promise<ProcessDefinitionRecord[]> {
    const deployed = resources.flatMap((resource) =>
      [...(parsed.get(resource.name)?.values() ?? [])].map((model) => ({ model, resource })),
    );
    const keys = deployed.map(({ model }) => model.id);
    const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
    if (duplicate) {
      throw new BadUserRequestException(
        `The deployment contains definitions with the same key '${duplicate}' (id attribute), this is not allowed`,
      );
    }
    const latest = await this.definitions.lockLatestVersions(sql, keys, deployment.tenantId);
    return deployed.map(({ model, resource }) => {
      const version = (latest.get(model.id) ?? 0) + 1;
      return {
        id: `${model.id}:${version}:${randomUUID()}`,
        key: model.id,
        version,
        name: model.name,
        category: targetNamespace(resource.content),
        deploymentId: deployment.id,
        resourceId: resource.id,
        resourceName: resource.name,
        tenantId: deployment.tenantId,
        versionTag: model.versionTag,
        historyTimeToLive: model.historyTimeToLive,
        startableInTasklist: model.startableInTasklist,
        suspended: false,
      };
    });
  }
}

type ParsedResources = Map<string, Map<string, ProcessModel>>;

/**
 * The timer start job of a deployed definition; a timer text that cannot be read (or an expression)
 * refuses the deployment with a 400 naming it.
 */
function startTimerOf(model: ProcessModel, definitionId: string, now: Date): StartTimerJob | null {
  try {
    return startTimerJob(model, definitionId, now, randomUUID);
  } catch (error) {
    if (!(error instanceof ProcessEngineException)) throw error;
    throw new BadUserRequestException(`Cannot deploy process '${model.id}': ${error.message}`);
  }
}

/** The message, signal and timer start events of a process, as `re_start_event` rows. */
function startEventRows(definitionId: string, model: ProcessModel): StartEventRow[] {
  return processStartEvents(model).flatMap((event): StartEventRow[] => {
    const { trigger } = event;
    if (trigger === null || !isWaitTrigger(trigger)) return [];
    const eventName =
      trigger.type === 'message'
        ? trigger.messageName
        : trigger.type === 'signal'
          ? trigger.signalName
          : null;
    return [{ definitionId, activityId: event.id, type: trigger.type, eventName }];
  });
}

/** Parses every BPMN resource; throws one ParseException with the problems of all of them. */
async function parseResources(
  resources: DeployCommand['resources'],
): Promise<{ parsed: ParsedResources; details: ParseDetails }> {
  const parsed: ParsedResources = new Map();
  const details: Record<string, { errors: ParseProblem[]; warnings: ParseProblem[] }> = {};
  let failed = false;
  for (const resource of resources.filter((r) => BPMN_RESOURCE.test(r.name))) {
    const result = await parseBpmn(resource.content);
    details[resource.name] = { errors: result.ok ? [] : result.errors, warnings: result.warnings };
    if (result.ok)
      parsed.set(resource.name, new Map(result.processes.map((process) => [process.id, process])));
    else failed = true;
  }
  if (failed) {
    const lines = Object.entries(details).flatMap(([name, { errors }]) =>
      errors.map(
        (error) =>
          `* ${error.message} | resource ${name} | line ${error.line ?? 0} | column ${error.column ?? 0}`,
      ),
    );
    throw new ParseException(`ENGINE-09005 Could not parse BPMN process. Errors: \n${lines.join('\n')}`, {
      extensions: { details },
    });
  }
  return { parsed, details };
}

function resourceRecord(deploymentId: string, resource: { name: string; content: string }): ResourceRecord {
  return {
    id: randomUUID(),
    deploymentId,
    name: resource.name,
    content: resource.content,
    contentHash: hash(resource.content),
  };
}

function hash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** The `targetNamespace` of `<definitions>`, which Camunda reports as the definition's category. */
function targetNamespace(xml: string): string | null {
  return /<(?:[\w-]+:)?definitions\b[^>]*\btargetNamespace\s*=\s*"([^"]*)"/.exec(xml)?.[1] ?? null;
}
