import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from '@libs/metrics';
import { PROJECT_ROOT } from '../support/project-root';

/** The provisioned Grafana dashboard only queries metrics the service exports (names drift otherwise). */
describe('docker/grafana/dashboards/batch-ops.json', () => {
  it('queries only metric names the service exposes, one panel per query', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'docker/grafana/dashboards/batch-ops.json'), 'utf8'),
    ) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const metrics = new Metrics({
      batches: async () => [],
      queueDepths: async () => [],
      databasePool: () => ({ used: 0, free: 0 }),
    });
    const exposed = new Set(
      (await metrics.registry.getMetricsAsJSON()).flatMap((metric) =>
        String(metric.type) === 'histogram'
          ? [`${metric.name}_bucket`, `${metric.name}_count`, `${metric.name}_sum`]
          : [metric.name],
      ),
    );

    const queried = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => target.expr.match(/batch_ops_[a-z_]+/g) ?? []),
    );
    expect(queried.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    expect(queried.filter((name) => !exposed.has(name))).toEqual([]);
  });
});
