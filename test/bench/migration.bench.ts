import { loadConfig } from '@libs/config';
import { createLogger } from '@libs/logging';
import { openInfrastructure } from '../../apps/common/infrastructure';
import { buildServices } from '../../apps/common/services';
import { fixture } from '../support/rest';
import { deployXml, report, startServer, timed } from './bench-kit';

/**
 * Synchronous migration: `POST /migration/execute` moving `count` instances (selected by a query) from
 * v1 to v2 in one transaction, through the API process.
 */
export async function migrationBench(options: { count: number }): Promise<void> {
  const server = await startServer('api');
  const infrastructure = await openInfrastructure(
    loadConfig(server.env),
    createLogger({ level: 'warn', format: 'json' }),
    'bench',
  );
  const services = buildServices(infrastructure);
  try {
    await deployXml(server.baseUrl, { 'order.bpmn': fixture('order.bpmn') });
    await deployXml(server.baseUrl, { 'order.bpmn': fixture('order-v2.bpmn') });
    const [v1, v2] = await services.repository.queryDefinitions({ key: 'order' }, undefined, [
      { by: 'version', order: 'asc' },
    ]);
    await services.runtime.start(
      v1!,
      Array.from({ length: options.count }, () => ({ businessKey: null, variables: {} })),
    );
    const { result: response, seconds } = await timed(() =>
      fetch(`${server.baseUrl}/engine-rest/migration/execute`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          migrationPlan: {
            sourceProcessDefinitionId: v1!.id,
            targetProcessDefinitionId: v2!.id,
            instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
          },
          processInstanceQuery: { processDefinitionId: v1!.id },
        }),
      }),
    );
    if (response.status !== 204)
      throw new Error(`migration failed: ${response.status} ${await response.text()}`);
    const migrated = await services.runtime.countInstances({ processDefinitionId: v2!.id });
    if (migrated !== options.count) throw new Error(`${migrated} of ${options.count} instances migrated`);
    report(
      `/migration/execute, ${options.count} instances`,
      options.count / seconds,
      '/s',
      `${(seconds * 1000).toFixed(0)} ms`,
    );
  } finally {
    await services.close();
    await infrastructure.close();
    await server.stop();
  }
}
