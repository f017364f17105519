import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture, withKey } from '../support/rest';
import { waitingIn } from '../support/instances';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import { startInstancesOf } from '../support/migration';

/** `/modification/execute`, `/modification/executeAsync` and `…/modification-async` on real workers. */
describe('modification of many instances', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  let v1: string;
  let v2: string;
  const api = () => request(stack.app);
  const KEY = 'repairMany';
  const batchGone = async (id: string) => (await api().get(`/engine-rest/batch/${id}`)).status === 404;
  const startMany = (definitionId: string, count: number) => startInstancesOf(stack, definitionId, count);
  const countIn = async (activityId: string) =>
    (await api().get(`/engine-rest/process-instance/count?activityIdIn=${activityId}`).expect(200)).body
      .count as number;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '10', BATCH_JOBS_PER_SEED: '5', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
    const xml = withKey(fixture('repair.bpmn'), 'repair', KEY);
    const ids: string[] = [];
    for (const name of ['r1.bpmn', 'r2.bpmn']) {
      // A changed resource so the second deployment is a new version.
      const content = name === 'r1.bpmn' ? xml : xml.replace('name="Archive"', 'name="Archive v2"');
      const response = await deploy(stack.app, [{ name, content }]).expect(200);
      ids.push(Object.keys(response.body.deployedProcessDefinitions)[0]!);
    }
    [v1, v2] = ids as [string, string];
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('validates the request in Camunda’s order with its messages', async () => {
    const cases: Array<[object, string]> = [
      [{ instructions: [{ type: 'cancel', activityId: 'review' }] }, 'processDefinitionId is null'],
      [{ processDefinitionId: v1, instructions: [] }, 'Modification instructions cannot be empty is empty'],
      [
        { processDefinitionId: v1, instructions: [{ type: 'cancel', activityId: 'review' }] },
        'Process instance ids cannot be empty: Process instance ids is empty',
      ],
      [
        { processDefinitionId: v1, instructions: [{ type: 'cancel' }], processInstanceIds: ['x'] },
        "For instruction type 'cancel': 'activityId' must be set",
      ],
      [
        {
          processDefinitionId: 'nope',
          instructions: [{ type: 'cancel', activityId: 'a' }],
          processInstanceIds: ['x'],
        },
        "no deployed process definition found with id 'nope': processDefinition is null",
      ],
    ];
    for (const [body, message] of cases) {
      for (const path of ['execute', 'executeAsync']) {
        const response = await api().post(`/engine-rest/modification/${path}`).send(body).expect(400);
        expect(response.body).toEqual({ type: 'InvalidRequestException', message, code: null });
      }
    }
  });

  it('modifies every instance in one transaction; an instance of another definition changes nothing', async () => {
    const [a, b] = await startMany(v1, 2);
    const [other] = await startMany(v2, 1);
    const body = {
      processDefinitionId: v1,
      instructions: [
        { type: 'startBeforeActivity', activityId: 'review' },
        { type: 'cancel', activityId: 'review', cancelCurrentActiveActivityInstances: true },
      ],
      annotation: 'bulk repair',
    };
    const reviewsOf = async (id: string) => {
      const state = await stack.services.runtime.load(id);
      return state!.activityInstances.filter((i) => i.activityId === 'review').map((i) => i.id);
    };
    const before = await reviewsOf(a!);
    const refused = await api()
      .post('/engine-rest/modification/execute')
      .send({ ...body, processInstanceIds: [a, other] })
      .expect(400);
    expect(refused.body).toEqual({
      type: 'ProcessEngineException',
      message: `ENGINE-13037 Process instance '${other}' cannot be modified. Its process definition '${v2}' does not match given process definition '${v1}'`,
      code: 0,
    });
    expect(await reviewsOf(a!)).toEqual(before);

    await api()
      .post('/engine-rest/modification/execute')
      .send({ ...body, processInstanceIds: [a], processInstanceQuery: { processInstanceIds: [a, b] } })
      .expect(204);
    // The review started by the first instruction survives; the one there before was cancelled.
    for (const id of [a!, b!]) expect(await reviewsOf(id)).toHaveLength(1);
    expect(await reviewsOf(a!)).not.toEqual(before);
    const log = await api()
      .get(
        `/engine-rest/history/user-operation?operationType=ModifyProcessInstance&processDefinitionId=${v1}`,
      )
      .expect(200);
    expect(log.body.map((e: { property: string; newValue: string }) => [e.property, e.newValue])).toEqual([
      ['nrOfInstances', '2'],
      ['async', 'false'],
    ]);
    expect(log.body[0].annotation).toBe('bulk repair');

    // Without cancelCurrentActiveActivityInstances the cancel also hits the freshly started review.
    await api()
      .post('/engine-rest/modification/execute')
      .send({
        processDefinitionId: v1,
        instructions: [
          { type: 'startBeforeActivity', activityId: 'review' },
          { type: 'cancel', activityId: 'review' },
        ],
        processInstanceIds: [a],
      })
      .expect(204);
    expect(await waitingIn(stack.app, a!)).toEqual(['inner']);
  });

  it('runs a modification batch over 200 instances, fails the instances of another definition, and completes after they are migrated and retried', async () => {
    const good = await startMany(v1, 200);
    const bad = await startMany(v2, 3);
    const before = await countIn('archive');
    const created = await api()
      .post('/engine-rest/modification/executeAsync')
      .send({
        processDefinitionId: v1,
        instructions: [{ type: 'startBeforeActivity', activityId: 'archive' }],
        processInstanceIds: [...good, ...bad],
        annotation: 'async repair',
      })
      .expect(200);
    expect(created.body).toMatchObject({ type: 'instance-modification', totalJobs: 21 });
    const id = created.body.id as string;
    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/${id}/items/count?state=pending`)).body.count === 0,
      60_000,
    );
    const failed = (await api().get(`/engine-rest/batch/${id}/items?state=failed`).expect(200)).body;
    expect(failed.map((item: { processInstanceId: string }) => item.processInstanceId).sort()).toEqual(
      [...bad].sort(),
    );
    expect(failed[0].error.message).toContain('ENGINE-13037');
    expect(await countIn('archive')).toBe(before + 200);
    const statistics = (await api().get(`/engine-rest/batch/statistics?batchId=${id}`).expect(200)).body[0];
    expect(statistics.failedJobs).toBeGreaterThanOrEqual(1);

    // Fix: move the bad instances to the batch's definition, then retry the failed jobs.
    await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: (
          await api()
            .post('/engine-rest/migration/generate')
            .send({ sourceProcessDefinitionId: v2, targetProcessDefinitionId: v1 })
            .expect(200)
        ).body,
        processInstanceIds: bad,
      })
      .expect(204);
    await api()
      .put(`/engine-rest/job-definition/${created.body.batchJobDefinitionId}/retries`)
      .send({ retries: 1 })
      .expect(204);
    await waitUntil(() => batchGone(id), 30_000);
    expect(await countIn('archive')).toBe(before + 203);
    expect((await api().get(`/engine-rest/batch/${id}/items/count?state=done`)).body.count).toBe(203);
    const log = await api()
      .get(
        `/engine-rest/history/user-operation?operationType=ModifyProcessInstance&processDefinitionId=${v1}`,
      )
      .expect(200);
    const entry = log.body.filter((e: { batchId: string | null }) => e.batchId === id);
    expect(entry.map((e: { property: string; newValue: string }) => [e.property, e.newValue])).toEqual([
      ['nrOfInstances', '203'],
      ['async', 'true'],
    ]);
  });

  it('modifies one instance asynchronously in a batch of one job', async () => {
    const [id] = await startMany(v1, 1);
    const empty = await api()
      .post(`/engine-rest/process-instance/${id}/modification-async`)
      .send({})
      .expect(400);
    expect(empty.body).toEqual({
      type: 'InvalidRequestException',
      message: 'The provided instuctions are invalid.',
      code: null,
    });
    const ghost = await api()
      .post('/engine-rest/process-instance/ghost/modification-async')
      .send({ instructions: [{ type: 'cancel', activityId: 'review' }] })
      .expect(400);
    expect(ghost.body.message).toContain('ENGINE-13036');

    const created = await api()
      .post(`/engine-rest/process-instance/${id}/modification-async`)
      .send({
        instructions: [
          { type: 'cancel', activityId: 'review' },
          {
            type: 'startBeforeActivity',
            activityId: 'archive',
            variables: { dropped: { value: 1, type: 'Integer' } },
          },
        ],
        annotation: 'one async',
      })
      .expect(200);
    expect(created.body).toMatchObject({ type: 'instance-modification', totalJobs: 1 });
    await waitUntil(() => batchGone(created.body.id), 30_000);
    expect(await waitingIn(stack.app, id!)).toEqual(['archive', 'inner']);
    // Camunda drops instruction variables of asynchronous single-instance modification.
    expect((await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body).toEqual({});
    const log = await api().get(`/engine-rest/history/user-operation?processInstanceId=${id}`).expect(200);
    expect(log.body).toEqual([
      expect.objectContaining({
        property: 'nrOfInstances',
        newValue: '1',
        annotation: 'one async',
        batchId: created.body.id,
      }),
      expect.objectContaining({ property: 'async', newValue: 'true' }),
    ]);
  });
});
