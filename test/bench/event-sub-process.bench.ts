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

/**
 * `work` waits beside a non-interrupting message event sub-process whose `handle` waits too; v2 is the
 * same process under another name (`afterWork` says which version an instance runs).
 */
const version = (afterWork: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="bench">
  <message id="escalate" name="escalate" />
  <process id="benchEventSub" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <userTask id="work" />
    <sequenceFlow id="f2" sourceRef="work" targetRef="${afterWork}" />
    <endEvent id="${afterWork}" />
    <subProcess id="onEscalation" triggeredByEvent="true">
      <startEvent id="escalated" isInterrupting="false"><messageEventDefinition messageRef="escalate" /></startEvent>
      <sequenceFlow id="f3" sourceRef="escalated" targetRef="handle" />
      <userTask id="handle" />
      <sequenceFlow id="f4" sourceRef="handle" targetRef="handled" />
      <endEvent id="handled" />
    </subProcess>
  </process>
</definitions>`;

/**
 * A migration batch over `count` instances waiting in `work` and inside a non-interrupting event
 * sub-process (its `handle` task), each with the sub-process's message subscription, on one worker
 * process: instances/s and CPU per instance of each process, as the batch bench prints them. Checks
 * afterwards that every instance runs on v2 with its subscription and both tasks.
 */
export async function eventSubProcessBench(options: {
  count: number;
  settings: Record<string, string>;
  workerNodeArgs: readonly string[];
  apiNodeArgs: readonly string[];
}): Promise<void> {
  const server = await startServer('api', options.settings, options.apiNodeArgs);
  const connected = await connect(server.env);
  const worker = startBenchWorker(server, options.workerNodeArgs);
  const { repository, runtime, messages } = connected.services;
  try {
    await deployXml(server.baseUrl, { 'event-sub.bpmn': version('done') });
    await deployXml(server.baseUrl, { 'event-sub.bpmn': version('doneV2') });
    const [v1, v2] = await repository.queryDefinitions({ key: 'benchEventSub' }, undefined, [
      { by: 'version', order: 'asc' },
    ]);
    const seeded = await seedInstances(runtime, v1!, options.count, [
      { type: 'startBeforeActivity', activityId: 'work' },
      { type: 'startBeforeActivity', activityId: 'handle' },
    ]);
    report(
      `seed ${options.count} instances in an event sub-process`,
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
          instructions: ['work', 'onEscalation', 'escalated', 'handle'].map((id) => ({
            sourceActivityIds: [id],
            targetActivityIds: [id],
          })),
        },
        processInstanceQuery: { processDefinitionId: v1!.id },
      }),
    );
    const settings = `invocationsPerBatchJob=${server.env.BATCH_INVOCATIONS_PER_JOB ?? 'default'}, batchJobsPerSeed=${server.env.BATCH_JOBS_PER_SEED ?? 'default'}`;
    reportBatch(
      'event sub-process migration',
      options.count,
      migration.result.seconds,
      migration.cpu,
      settings,
    );

    const migrated = await runtime.countInstances({ processDefinitionId: v2!.id, activityIdIn: ['handle'] });
    const subscriptions = await messages.countSubscriptions({ eventName: 'escalate' });
    if (migrated !== options.count || subscriptions !== options.count) {
      throw new Error(
        `${migrated} instances on v2 in 'handle' and ${subscriptions} subscriptions, expected ${options.count} each`,
      );
    }
  } finally {
    await worker.stop();
    await connected.close();
    await server.stop();
  }
}
