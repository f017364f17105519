import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

const INSTANCES = 1000;

/** A migration batch over instances waiting in a non-interrupting event sub-process (issue #13). */
describe('migrating instances with event sub-processes in a batch', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '50', BATCH_JOBS_PER_SEED: '10', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it(`migrates ${INSTANCES} instances with every subscription and timer migrated once`, async () => {
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const xml = withKey(fixture('events/event-sub-processes.bpmn'), 'eventSubProcesses', 'espBatch');
      const deployed = await deploy(stack.app, [{ name: `esp-${version}.bpmn`, content: xml }]).expect(200);
      ids.push(Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!);
    }
    const [v1, v2] = ids as [string, string];
    const definition = (await stack.services.repository.getDefinition(v1))!;
    // Waiting in the non-interrupting event sub-process and in the sub-process with its own one.
    await stack.services.runtime.start(
      definition,
      Array.from({ length: INSTANCES }, () => ({
        businessKey: null,
        variables: {},
        startInstructions: [
          { type: 'startBeforeActivity', activityId: 'answer' } as const,
          { type: 'startBeforeActivity', activityId: 'pack' } as const,
        ],
      })),
    );
    const subscriptions = async () =>
      (await api().get(`/engine-rest/event-subscription?maxResults=10000`).expect(200)).body as Array<{
        id: string;
        activityId: string;
        processInstanceId: string;
      }>;
    const jobs = async () =>
      (await api().get(`/engine-rest/job?maxResults=10000`).expect(200)).body as Array<{
        id: string;
        processDefinitionId: string;
        jobDefinitionId: string;
      }>;
    const subscriptionsBefore = await subscriptions();
    const jobsBefore = await jobs();
    expect(subscriptionsBefore).toHaveLength(3 * INSTANCES);
    expect(jobsBefore).toHaveLength(INSTANCES);

    const plan = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
        .expect(200)
    ).body;
    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({ migrationPlan: plan, processInstanceQuery: { processDefinitionId: v1 } })
      .expect(200);
    const batchId = created.body.id as string;
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404, 240_000);

    const count = async (definitionId: string) =>
      (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${definitionId}`)).body.count;
    expect(await count(v1)).toBe(0);
    expect(await count(v2)).toBe(INSTANCES);
    const subscriptionsAfter = await subscriptions();
    expect(subscriptionsAfter.map((s) => s.id).sort()).toEqual(subscriptionsBefore.map((s) => s.id).sort());
    const jobsAfter = await jobs();
    expect(jobsAfter.map((job) => job.id).sort()).toEqual(jobsBefore.map((job) => job.id).sort());
    expect(new Set(jobsAfter.map((job) => job.processDefinitionId))).toEqual(new Set([v2]));
    expect(new Set(jobsAfter.map((job) => job.jobDefinitionId)).size).toBe(1);
    expect(jobsAfter[0]!.jobDefinitionId).not.toBe(jobsBefore[0]!.jobDefinitionId);

    const tree = (
      await api().get(
        `/engine-rest/process-instance/${subscriptionsAfter[0]!.processInstanceId}/activity-instances`,
      )
    ).body;
    expect(tree.processDefinitionId).toBe(v2);
    expect(tree.childActivityInstances.map((c: { activityId: string }) => c.activityId).sort()).toEqual([
      'orderInfo',
      'shipping',
    ]);
  });
});
