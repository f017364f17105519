import type { ProcessDefinitionRecord } from '@libs/persistence';
import type { Services } from '../../apps/common/services';
import { benchProcesses, measureCpu, report, startBenchWorker, startServer } from './bench-kit';
import { connect, reportBatch, runBatch } from './batch.bench';

/** The options every migration-batch bench takes from `run.ts`. */
export interface MigrationBatchBenchOptions {
  readonly count: number;
  readonly settings: Record<string, string>;
  readonly workerNodeArgs: readonly string[];
  readonly apiNodeArgs: readonly string[];
}

/** What one migration-batch bench measures: its processes, how instances wait, and the plan. */
export interface MigrationBatchScenario {
  /** The name its figures are printed under, e.g. `call-activity migration`. */
  readonly name: string;
  /** The definition key whose version 1 the instances run and whose version 2 they migrate to. */
  readonly key: string;
  /** What the seed line says the instances are, e.g. `instances in an event sub-process`. */
  readonly seeded: string;
  /** Deploys whatever the scenario needs, version 1 of `key` before version 2. */
  deploy(baseUrl: string): Promise<void>;
  /** Starts `count` waiting instances of `v1`; resolves to the seconds it took. */
  seed(services: Services, v1: ProcessDefinitionRecord, count: number): Promise<number>;
  /** The migration plan v1 → v2 (the generated one, or explicit instructions). */
  plan(baseUrl: string, v1: ProcessDefinitionRecord, v2: ProcessDefinitionRecord): Promise<unknown>;
  /** Throws when the instances are not where the migration should have left them. */
  check?(services: Services, v2: ProcessDefinitionRecord, count: number): Promise<void>;
}

/**
 * A migration batch over `count` waiting instances on one worker process, as the batch bench measures
 * its single-task migration: the API and the worker are the built processes, the instances are seeded
 * in-process, and the figures are instances/s request → `endTime` and the CPU each process spent per
 * instance.
 */
export async function migrationBatchBench(
  scenario: MigrationBatchScenario,
  options: MigrationBatchBenchOptions,
): Promise<void> {
  const server = await startServer('api', options.settings, options.apiNodeArgs);
  const connected = await connect(server.env);
  const worker = startBenchWorker(server, options.workerNodeArgs);
  const { services } = connected;
  try {
    await scenario.deploy(server.baseUrl);
    const [v1, v2] = await services.repository.queryDefinitions({ key: scenario.key }, undefined, [
      { by: 'version', order: 'asc' },
    ]);
    if (v1 === undefined || v2 === undefined) throw new Error(`${scenario.key} needs two versions`);
    const seeded = await scenario.seed(services, v1, options.count);
    report(
      `seed ${options.count} ${scenario.seeded}`,
      seeded,
      's',
      `${(options.count / seeded).toFixed(0)}/s`,
    );

    const migrationPlan = await scenario.plan(server.baseUrl, v1, v2);
    const migration = await measureCpu(benchProcesses(server, worker), () =>
      runBatch(server, connected, '/migration/executeAsync', {
        migrationPlan,
        processInstanceQuery: { processDefinitionId: v1.id },
      }),
    );
    const settings = `invocationsPerBatchJob=${server.env.BATCH_INVOCATIONS_PER_JOB ?? 'default'}, batchJobsPerSeed=${server.env.BATCH_JOBS_PER_SEED ?? 'default'}`;
    reportBatch(scenario.name, options.count, migration.result.seconds, migration.cpu, settings);
    await scenario.check?.(services, v2, options.count);
  } finally {
    await worker.stop();
    await connected.close();
    await server.stop();
  }
}

/** A plan of explicit instructions mapping each of `activityIds` to the same id. */
export function sameIdPlan(activityIds: readonly string[]) {
  return (_baseUrl: string, v1: ProcessDefinitionRecord, v2: ProcessDefinitionRecord) =>
    Promise.resolve({
      sourceProcessDefinitionId: v1.id,
      targetProcessDefinitionId: v2.id,
      instructions: activityIds.map((id) => ({ sourceActivityIds: [id], targetActivityIds: [id] })),
    });
}
