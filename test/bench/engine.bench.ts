import { loadConfig } from '@libs/config';
import { createLogger } from '@libs/logging';
import { openInfrastructure } from '../../apps/common/infrastructure';
import { buildServices } from '../../apps/common/services';
import { fixture } from '../support/rest';
import { concurrently, deployXml, percentile, report, startServer, timed } from './bench-kit';

/**
 * Engine throughput: instances started per second through `POST /process-definition/key/{key}/start`
 * against the API process, and the time to seed 100,000 waiting instances by the fastest supported path
 * (the runtime service starting 1,000 instances per transaction, as a seeding tool would).
 */
export async function engineBench(options: { starts: number; seed: number }): Promise<void> {
  const server = await startServer('api');
  try {
    await deployXml(server.baseUrl, { 'order.bpmn': fixture('order.bpmn') });
    const start = async () => {
      const response = await fetch(`${server.baseUrl}/engine-rest/process-definition/key/order/start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ variables: { amount: { value: 100, type: 'Integer' } } }),
      });
      if (response.status !== 200)
        throw new Error(`start failed: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    await concurrently(200, 16, start);
    const { result: latencies, seconds } = await timed(() => concurrently(options.starts, 32, start));
    report(
      'REST start: instances/s',
      options.starts / seconds,
      '/s',
      `${options.starts} starts, 32 in flight`,
    );
    report('REST start: latency p50', percentile(latencies, 50), 'ms');
    report('REST start: latency p99', percentile(latencies, 99), 'ms');

    const seeded = await seed(server.env, options.seed);
    report(`seed ${options.seed} waiting instances: time`, seeded.seconds, 's');
    report(`seed ${options.seed} waiting instances: rate`, options.seed / seeded.seconds, '/s');
  } finally {
    await server.stop();
  }
}

/** Starts `count` waiting instances in-process, 1,000 per transaction, two transactions at a time. */
async function seed(env: Record<string, string>, count: number): Promise<{ seconds: number }> {
  const config = loadConfig(env);
  const logger = createLogger({ level: 'warn', format: 'json' });
  const infrastructure = await openInfrastructure(config, logger, 'bench');
  const services = buildServices(infrastructure);
  try {
    const definition = (await services.repository.latestDefinition('order', null))!;
    const chunk = 1_000;
    const { seconds } = await timed(() =>
      concurrently(Math.ceil(count / chunk), 2, async (i) => {
        const size = Math.min(chunk, count - i * chunk);
        await services.runtime.start(
          definition,
          Array.from({ length: size }, (_, j) => ({
            businessKey: `seed-${i * chunk + j}`,
            variables: { amount: { type: 'Integer', value: j } },
          })),
        );
      }),
    );
    const running = await services.runtime.countInstances({ processDefinitionKey: 'order' });
    if (running < count) throw new Error(`seeding left ${running} instances, expected at least ${count}`);
    return { seconds };
  } finally {
    await services.close();
    await infrastructure.close();
  }
}
