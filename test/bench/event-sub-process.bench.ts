import { deployXml, seedInstances } from './bench-kit';
import { migrationBatchBench, sameIdPlan, type MigrationBatchBenchOptions } from './migration-batch-bench';

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
 * A migration batch over instances waiting in `work` and inside a non-interrupting event sub-process
 * (its `handle` task), each with the sub-process's message subscription. Checks afterwards that every
 * instance runs on v2 with its subscription and both tasks.
 */
export function eventSubProcessBench(options: MigrationBatchBenchOptions): Promise<void> {
  return migrationBatchBench(
    {
      name: 'event sub-process migration',
      key: 'benchEventSub',
      seeded: 'instances in an event sub-process',
      async deploy(baseUrl) {
        await deployXml(baseUrl, { 'event-sub.bpmn': version('done') });
        await deployXml(baseUrl, { 'event-sub.bpmn': version('doneV2') });
      },
      seed: (services, v1, count) =>
        seedInstances(services.runtime, v1, count, {
          startInstructions: [
            { type: 'startBeforeActivity', activityId: 'work' },
            { type: 'startBeforeActivity', activityId: 'handle' },
          ],
        }),
      plan: sameIdPlan(['work', 'onEscalation', 'escalated', 'handle']),
      async check({ runtime, messages }, v2, count) {
        const migrated = await runtime.countInstances({
          processDefinitionId: v2.id,
          activityIdIn: ['handle'],
        });
        const subscriptions = await messages.countSubscriptions({ eventName: 'escalate' });
        if (migrated !== count || subscriptions !== count) {
          throw new Error(
            `${migrated} instances on v2 in 'handle' and ${subscriptions} subscriptions, expected ${count} each`,
          );
        }
      },
    },
    options,
  );
}
