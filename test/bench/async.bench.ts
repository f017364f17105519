import { loadConfig } from '@libs/config';
import { createLogger } from '@libs/logging';
import { openInfrastructure } from '../../apps/common/infrastructure';
import { buildServices } from '../../apps/common/services';
import { waitUntil } from '../support/redis-server';
import {
  benchProcesses,
  deployXml,
  measureCpu,
  report,
  seedInstances,
  startBenchWorker,
  startServer,
  timed,
  type BenchServer,
} from './bench-kit';

/** `start → serviceTask (asyncBefore, pass-through) → userTask`: one asynchronous continuation per instance. */
const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                  id="benchAsyncDefinitions" targetNamespace="http://example.com/bench">
  <bpmn:process id="benchAsync" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toCharge" sourceRef="start" targetRef="charge" />
    <bpmn:serviceTask id="charge" camunda:asyncBefore="true" />
    <bpmn:sequenceFlow id="toApprove" sourceRef="charge" targetRef="approve" />
    <bpmn:userTask id="approve" />
    <bpmn:sequenceFlow id="toEnd" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>
`;

async function getJson(server: BenchServer, path: string): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}/engine-rest${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function count(server: BenchServer, path: string): Promise<number> {
  return ((await getJson(server, path)) as { count: number }).count;
}

/** The start or end time of the first or last run of the asynchronous service task, from history. */
async function historyTime(
  server: BenchServer,
  definitionId: string,
  sortBy: 'startTime' | 'endTime',
  order: 'asc' | 'desc',
): Promise<number> {
  const [row] = (await getJson(
    server,
    `/history/activity-instance?processDefinitionId=${encodeURIComponent(definitionId)}&activityId=charge&sortBy=${sortBy}&sortOrder=${order}&maxResults=1`,
  )) as Array<Record<string, string | null>>;
  const value = row?.[sortBy];
  if (!value) throw new Error(`no ${sortBy} in the history of 'charge'`);
  return new Date(value).getTime();
}

/**
 * Job executor throughput on one worker process: starts `count` instances of `start → serviceTask
 * (asyncBefore) → userTask` in-process (the runtime service, 1,000 per transaction, as the other
 * benchmarks seed) while the `async-continuation` queue is paused, so each instance waits in its
 * transition instance with one job row dispatched; then resumes the queue and measures until no job
 * row is left (every instance waiting in its user task): async jobs/s, wall time, the time from the
 * first job's start to the last job's end (from history), and CPU per job of each process.
 */
export async function asyncBench(options: {
  count: number;
  settings: Record<string, string>;
  workerNodeArgs: readonly string[];
  apiNodeArgs: readonly string[];
}): Promise<void> {
  const server = await startServer('api', options.settings, options.apiNodeArgs);
  const infrastructure = await openInfrastructure(
    loadConfig(server.env),
    createLogger({ level: 'warn', format: 'json' }),
    'bench',
  );
  const services = buildServices(infrastructure);
  const queue = services.asyncContinuationQueue.queue;
  // Paused before the worker starts: no job runs while the instances are started.
  await queue.pause();
  const worker = startBenchWorker(server, options.workerNodeArgs);
  try {
    await deployXml(server.baseUrl, { 'bench-async.bpmn': PROCESS });
    const definition = (await services.repository.latestDefinition('benchAsync', null))!;
    const seeded = await seedInstances(services.runtime, definition, options.count);
    report(
      `start ${options.count} instances (in-process)`,
      seeded,
      's',
      `${(options.count / seeded).toFixed(0)}/s`,
    );
    const jobs = await count(server, '/job/count?processDefinitionKey=benchAsync');
    if (jobs !== options.count)
      throw new Error(`${jobs} async jobs after starting, expected ${options.count}`);
    // The worker is up (its BullMQ workers registered, its first reconciliation done) before the clock starts.
    await waitUntil(async () => (await queue.getWorkersCount()) > 0, 30_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const pids = benchProcesses(server, worker);
    const run = await measureCpu(pids, () =>
      timed(async () => {
        await queue.resume();
        await waitUntil(
          async () => (await count(server, '/job/count?processDefinitionKey=benchAsync')) === 0,
          3_600_000,
          100,
        );
      }),
    );
    const waiting = await count(
      server,
      '/task/count?processDefinitionKey=benchAsync&taskDefinitionKey=approve',
    );
    if (waiting !== options.count)
      throw new Error(`${waiting} instances wait in the user task, expected ${options.count}`);
    const firstToLast =
      ((await historyTime(server, definition.id, 'endTime', 'desc')) -
        (await historyTime(server, definition.id, 'startTime', 'asc'))) /
      1000;

    const settings = `WORKER_CONCURRENCY=${server.env.WORKER_CONCURRENCY ?? 'default'}`;
    report('async jobs/s (first job → last job)', options.count / firstToLast, '/s', settings);
    report('async jobs: first job start → last job end', firstToLast, 's');
    report('async jobs: resume → no job row left', run.result.seconds, 's', 'polled every 100 ms');
    for (const [name, used] of Object.entries(run.cpu.seconds))
      report(`async jobs: ${name} CPU per job`, (used / options.count) * 1e6, 'µs');
    report('async jobs: CPU stolen by the host', run.cpu.stolen * 100, '%');
  } finally {
    await worker.stop();
    await services.close();
    await infrastructure.close();
    await server.stop();
  }
}
