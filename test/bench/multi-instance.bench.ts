import { variablesOf } from '@libs/engine';
import { startApp } from '../support/processes';
import { fixture } from '../support/rest';
import {
  concurrently,
  deployXml,
  localDatabasePid,
  measureCpu,
  report,
  startServer,
  timed,
} from './bench-kit';
import { connect, reportBatch, runBatch } from './batch.bench';

/** Ten reviewers: every instance waits in a 10-way parallel multi-instance user task. */
const REVIEWERS = variablesOf({
  reviewers: Array.from({ length: 10 }, (_, index) => `reviewer${index}`),
});

/**
 * Migration batch over instances waiting in a multi-instance body, on one worker process: seeds
 * `count` instances of the `reviews` fixture (a parallel multi-instance user task over 10 reviewers,
 * so each instance has a body, 10 inner instances, 10 tasks and 23 variables) in-process, 1,000 per
 * transaction, then migrates them v1 → v2 with the generated plan (body, inner activity, next task)
 * and prints instances/s, request → `endTime` and the CPU each process spent per instance, as the
 * `batch` bench prints them for single-task instances.
 */
export async function multiInstanceBench(options: {
  count: number;
  settings: Record<string, string>;
  workerNodeArgs: readonly string[];
  apiNodeArgs: readonly string[];
}): Promise<void> {
  const server = await startServer('api', options.settings, options.apiNodeArgs);
  let stopping = false;
  const connected = await connect(server.env);
  const worker = startApp('worker', server.env, options.workerNodeArgs);
  void worker.finished.then((exit) => {
    if (!stopping) process.stderr.write(`worker exited (${exit.code ?? exit.signal}): ${exit.stderr}\n`);
    if (!stopping) process.exit(1);
  });
  try {
    for (const version of ['v1', 'v2'])
      await deployXml(server.baseUrl, { 'reviews.bpmn': fixture(`migration/reviews-${version}.bpmn`) });
    const [v1, v2] = (
      await connected.services.repository.queryDefinitions({ key: 'reviews' }, undefined, [
        { by: 'version', order: 'asc' },
      ])
    ).map((d) => d.id);
    const definition = (await connected.services.repository.getDefinition(v1!))!;
    const chunk = 1_000;
    const seeded = await timed(() =>
      concurrently(Math.ceil(options.count / chunk), 2, async (i) => {
        const size = Math.min(chunk, options.count - i * chunk);
        await connected.services.runtime.start(
          definition,
          Array.from({ length: size }, () => ({ businessKey: null, variables: REVIEWERS })),
        );
      }),
    );
    report(
      `seed ${options.count} instances in a 10-way multi-instance body`,
      seeded.seconds,
      's',
      `${(options.count / seeded.seconds).toFixed(0)}/s`,
    );

    const plan = await fetch(`${server.baseUrl}/engine-rest/migration/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 }),
    });
    if (!plan.ok) throw new Error(`migration/generate: ${plan.status} ${await plan.text()}`);
    const migrationPlan: unknown = await plan.json();
    const pids = {
      worker: worker.child.pid,
      api: server.pid,
      database: localDatabasePid(server.database.url),
      bench: process.pid,
    };
    const migration = await measureCpu(pids, () =>
      runBatch(server, connected, '/migration/executeAsync', {
        migrationPlan,
        processInstanceQuery: { processDefinitionId: v1 },
      }),
    );
    const settings = `invocationsPerBatchJob=${server.env.BATCH_INVOCATIONS_PER_JOB ?? 'default'}, batchJobsPerSeed=${server.env.BATCH_JOBS_PER_SEED ?? 'default'}`;
    reportBatch(
      'multi-instance (10-way) migration',
      options.count,
      migration.result.seconds,
      migration.cpu,
      settings,
    );
  } finally {
    stopping = true;
    worker.child.kill('SIGTERM');
    await worker.finished;
    await connected.close();
    await server.stop();
  }
}
