import { variablesOf } from '@libs/engine';
import { fixture } from '../support/rest';
import { deployXml, seedInstances } from './bench-kit';
import { migrationBatchBench, type MigrationBatchBenchOptions } from './migration-batch-bench';

/** Ten reviewers: every instance waits in a 10-way parallel multi-instance user task. */
const REVIEWERS = variablesOf({
  reviewers: Array.from({ length: 10 }, (_, index) => `reviewer${index}`),
});

/**
 * Migration batch over instances waiting in a multi-instance body: `count` instances of the `reviews`
 * fixture (a parallel multi-instance user task over 10 reviewers, so each instance has a body, 10 inner
 * instances, 10 tasks and 23 variables) migrate v1 → v2 with the generated plan (body, inner activity,
 * next task).
 */
export function multiInstanceBench(options: MigrationBatchBenchOptions): Promise<void> {
  return migrationBatchBench(
    {
      name: 'multi-instance (10-way) migration',
      key: 'reviews',
      seeded: 'instances in a 10-way multi-instance body',
      async deploy(baseUrl) {
        for (const version of ['v1', 'v2'])
          await deployXml(baseUrl, { 'reviews.bpmn': fixture(`migration/reviews-${version}.bpmn`) });
      },
      seed: ({ runtime }, v1, count) => seedInstances(runtime, v1, count, { variables: REVIEWERS }),
      async plan(baseUrl, v1, v2) {
        const plan = await fetch(`${baseUrl}/engine-rest/migration/generate`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ sourceProcessDefinitionId: v1.id, targetProcessDefinitionId: v2.id }),
        });
        if (!plan.ok) throw new Error(`migration/generate: ${plan.status} ${await plan.text()}`);
        return plan.json() as Promise<unknown>;
      },
    },
    options,
  );
}
