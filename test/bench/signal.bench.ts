import { connect } from './batch.bench';
import { deployXml, localDatabasePid, measureCpu, report, seedInstances, startServer } from './bench-kit';

/** Each instance waits in a signal intermediate catch event, then in a user task. */
const waitingProcess = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="bench">
  <signal id="wake" name="benchWake" />
  <process id="benchSignal" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="waitForSignal" />
    <intermediateCatchEvent id="waitForSignal"><signalEventDefinition signalRef="wake" /></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="waitForSignal" targetRef="afterSignal" />
    <userTask id="afterSignal" />
  </process>
</definitions>`;

/**
 * `POST /signal` to `count` instances waiting for it, against the built API process: the request's
 * time and the CPU per instance of the API, the database and this process. Checks afterwards that no
 * subscription is left and every instance waits in the task after the signal.
 */
export async function signalBench(options: { count: number; apiNodeArgs: readonly string[] }): Promise<void> {
  const server = await startServer('api', {}, options.apiNodeArgs);
  const connected = await connect(server.env);
  const { repository, runtime, messages } = connected.services;
  try {
    await deployXml(server.baseUrl, { 'signal.bpmn': waitingProcess });
    const definition = (await repository.latestDefinition('benchSignal', null))!;
    const seeded = await seedInstances(runtime, definition, options.count);
    report(
      `seed ${options.count} waiting instances`,
      seeded,
      's',
      `${(options.count / seeded).toFixed(0)}/s`,
    );

    const pids = { api: server.pid, database: localDatabasePid(server.database.url), bench: process.pid };
    const started = Date.now();
    const broadcast = await measureCpu(pids, async () => {
      const response = await fetch(`${server.baseUrl}/engine-rest/signal`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'benchWake' }),
      });
      if (response.status !== 204)
        throw new Error(`signal failed: ${response.status} ${await response.text()}`);
    });
    const seconds = (Date.now() - started) / 1000;
    report('signal broadcast: instances/s', options.count / seconds, '/s');
    report('signal broadcast: request → 204', seconds, 's');
    report('signal broadcast: time per instance', (seconds / options.count) * 1e6, 'µs');
    for (const [name, used] of Object.entries(broadcast.cpu.seconds))
      report(`signal broadcast: ${name} CPU per instance`, (used / options.count) * 1e6, 'µs');
    report('signal broadcast: CPU stolen by the host', broadcast.cpu.stolen * 100, '%');

    const left = await messages.countSubscriptions({ eventName: 'benchWake' });
    const tasks = await connected.services.tasks.count({ taskDefinitionKey: 'afterSignal' });
    if (left !== 0 || tasks !== options.count) {
      throw new Error(
        `${left} subscriptions left and ${tasks} tasks after the signal, expected 0 and ${options.count}`,
      );
    }
  } finally {
    await connected.close();
    await server.stop();
  }
}
