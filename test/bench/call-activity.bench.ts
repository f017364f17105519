import { calleeProcess, callingProcess } from '../support/call-activities';
import { deployXml, seedInstances } from './bench-kit';
import { migrationBatchBench, sameIdPlan, type MigrationBatchBenchOptions } from './migration-batch-bench';

/** The caller, v1 and v2 (which continues elsewhere): `call` waits for an instance of `benchCallee`. */
const callerVersion = (afterCall: string) =>
  callingProcess('benchCaller', '<callActivity id="call" calledElement="benchCallee" />').replaceAll(
    'afterCall',
    afterCall,
  );

/**
 * A migration batch over instances that wait in a call activity (each with its called instance, which
 * the migration leaves alone). Checks afterwards that every caller runs on v2 and every called instance
 * still runs on its definition.
 */
export function callActivityBench(options: MigrationBatchBenchOptions): Promise<void> {
  return migrationBatchBench(
    {
      name: 'call-activity migration',
      key: 'benchCaller',
      seeded: 'callers (+ called instances)',
      async deploy(baseUrl) {
        await deployXml(baseUrl, { 'callee.bpmn': calleeProcess('benchCallee') });
        await deployXml(baseUrl, { 'caller.bpmn': callerVersion('afterCall') });
        await deployXml(baseUrl, { 'caller.bpmn': callerVersion('afterCallV2') });
      },
      seed: (services, v1, count) => seedInstances(services.runtime, v1, count),
      plan: sameIdPlan(['call']),
      async check({ repository, runtime }, v2, count) {
        const callee = (await repository.latestDefinition('benchCallee', null))!;
        const callers = await runtime.countInstances({ processDefinitionId: v2.id });
        const called = await runtime.countInstances({ processDefinitionId: callee.id });
        if (callers !== count || called !== count) {
          throw new Error(`${callers} callers on v2 and ${called} called instances, expected ${count} each`);
        }
      },
    },
    options,
  );
}
