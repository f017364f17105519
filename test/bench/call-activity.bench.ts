import { calleeProcess, callingProcess } from '../support/call-activities';
import {
  benchProcesses,
  deployXml,
  measureCpu,
  report,
  seedInstances,
  startBenchWorker,
  startServer,
} from './bench-kit';
import { connect, reportBatch, runBatch } from './batch.bench';

/** The caller, v1 and v2 (which continues elsewhere): `call` waits for an instance of `benchCallee`. */
const callerVersion = (afterCall: string) =>
  callingProcess('benchCaller', '<callActivity id="call" calledElement="benchCallee" />').replaceAll(
    'afterCall',
    afterCall,
  );

/**
 * A migration batch over `count` instances that wait in a call activity (each with its called instance,
 * which the migration leaves alone) on one worker process: instances/s request → `endTime` and CPU per
 * instance of each process, printed like the batch bench's single-task migration. Checks afterwards that
 * every caller runs on v2 and every called instance still runs on its definition.
 */
export async function callActivityBench(options: {
  count: number;
  settings: Record<string, string>;
  workerNodeArgs: readonly string[];
  apiNodeArgs: readonly string[];
}): Promise<void> {
  const server = await startServer('api', options.settings, options.apiNodeArgs);
  const connected = await connect(server.env);
  const worker = startBenchWorker(server, options.workerNodeArgs);
  const { repository, runtime } = connected.services;
  try {
    await deployXml(server.baseUrl, { 'callee.bpmn': calleeProcess('benchCallee') });
    await deployXml(server.baseUrl, { 'caller.bpmn': callerVersion('afterCall') });
    await deployXml(server.baseUrl, { 'caller.bpmn': callerVersion('afterCallV2') });
    const [v1, v2] = await repository.queryDefinitions({ key: 'benchCaller' }, undefined, [
      { by: 'version', order: 'asc' },
    ]);
    const callee = (await repository.latestDefinition('benchCallee', null))!;
    const seeded = await seedInstances(runtime, v1!, options.count);
    report(
      `seed ${options.count} callers (+ called instances)`,
      seeded,
      's',
      `${(options.count / seeded).toFixed(0)}/s`,
    );

    const pids = benchProcesses(server, worker);
    const migration = await measureCpu(pids, () =>
      runBatch(server, connected, '/migration/executeAsync', {
        migrationPlan: {
          sourceProcessDefinitionId: v1!.id,
          targetProcessDefinitionId: v2!.id,
          instructions: [{ sourceActivityIds: ['call'], targetActivityIds: ['call'] }],
        },
        processInstanceQuery: { processDefinitionId: v1!.id },
      }),
    );
    const settings = `invocationsPerBatchJob=${server.env.BATCH_INVOCATIONS_PER_JOB ?? 'default'}, batchJobsPerSeed=${server.env.BATCH_JOBS_PER_SEED ?? 'default'}`;
    reportBatch('call-activity migration', options.count, migration.result.seconds, migration.cpu, settings);

    const callers = await runtime.countInstances({ processDefinitionId: v2!.id });
    const called = await runtime.countInstances({ processDefinitionId: callee.id });
    if (callers !== options.count || called !== options.count) {
      throw new Error(
        `${callers} callers on v2 and ${called} called instances, expected ${options.count} each`,
      );
    }
  } finally {
    await worker.stop();
    await connected.close();
    await server.stop();
  }
}
