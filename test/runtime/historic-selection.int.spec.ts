import request from 'supertest';
import { startInstance } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/**
 * `historicProcessInstanceQuery` wherever Camunda takes one (modification, deletion, suspension; its
 * instances are added to the explicit ids when the operation is created, ended ones included), and
 * the POST twin of `GET /history/process-instance`.
 */
describe('selecting instances by their history', () => {
  let stack: TestStack;
  let definitionId: string;
  /** `hist-1` … `hist-5` wait in `approve`; `hist-0` has ended. */
  let running: string[];
  let ended: string;
  const api = () => request(stack.app);
  const byKeys = { processInstanceBusinessKeyLike: 'hist-%' };
  const activeIn = async (activityId: string) =>
    (
      await api()
        .post('/engine-rest/process-instance/count')
        .send({ processDefinitionId: definitionId, activityIdIn: [activityId] })
        .expect(200)
    ).body.count as number;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_POLL_TIME_MS: '200' } });
    const deployed = await deploy(stack.app, [
      { name: 'hist.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'hist') },
    ]).expect(200);
    definitionId = Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!;
    const ids = [];
    for (let index = 0; index <= 5; index++) {
      ids.push(await startInstance(stack.app, 'hist', { businessKey: `hist-${index}` }));
    }
    [ended, ...running] = ids as [string, ...string[]];
    await api().delete(`/engine-rest/process-instance/${ended}`).expect(204);
  });
  afterAll(() => stack.close());

  it('answers POST /history/process-instance and /count with the GET filters as a JSON body', async () => {
    const listed = await api()
      .post('/engine-rest/history/process-instance?maxResults=3')
      .send({ ...byKeys, unfinished: true, sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] })
      .expect(200);
    const counted = await api()
      .post('/engine-rest/history/process-instance/count')
      .send({ ...byKeys, processInstanceIds: [ended, running[0]] })
      .expect(200);
    const finished = await api()
      .post('/engine-rest/history/process-instance')
      .send({ ...byKeys, finished: true })
      .expect(200);

    expect(listed.body.map((instance: { businessKey: string }) => instance.businessKey)).toEqual([
      'hist-5',
      'hist-4',
      'hist-3',
    ]);
    expect(counted.body).toEqual({ count: 2 });
    expect(finished.body).toEqual([expect.objectContaining({ id: ended, state: 'EXTERNALLY_TERMINATED' })]);
  });

  it('answers a 400 for a query body of the wrong shape', async () => {
    const notObject = await api().post('/engine-rest/history/process-instance').send([1]).expect(400);
    const wrongType = await api()
      .post('/engine-rest/history/process-instance/count')
      .send({ processInstanceIds: [{ id: 'x' }] })
      .expect(400);
    const badDate = await api()
      .post('/engine-rest/history/process-instance')
      .send({ startedAfter: 'yesterday' })
      .expect(400);
    const badSorting = await api()
      .post('/engine-rest/history/process-instance')
      .send({ sorting: [{ sortBy: 'nope', sortOrder: 'asc' }] })
      .expect(400);

    expect(notObject.body).toEqual({
      type: 'InvalidRequestException',
      message: 'request body must be a JSON object',
      code: null,
    });
    expect(wrongType.body.message).toBe("request body: 'processInstanceIds' has a value of the wrong type");
    expect(badDate.body.message).toBe("Cannot set query parameter 'startedAfter' to value 'yesterday'");
    expect(badSorting.body.type).toBe('InvalidRequestException');
  });

  it('suspends and activates the running instances a historic query selects', async () => {
    const historicProcessInstanceQuery = { ...byKeys, unfinished: true };
    await api()
      .put('/engine-rest/process-instance/suspended')
      .send({ suspended: true, historicProcessInstanceQuery })
      .expect(204);
    const suspended = await api()
      .post('/engine-rest/process-instance/count')
      .send({ processDefinitionId: definitionId, suspended: true })
      .expect(200);
    await api()
      .put('/engine-rest/process-instance/suspended')
      .send({ suspended: false, historicProcessInstanceQuery })
      .expect(204);

    expect(suspended.body).toEqual({ count: running.length });
    const active = await api()
      .post('/engine-rest/process-instance/count')
      .send({ processDefinitionId: definitionId, active: true })
      .expect(200);
    expect(active.body).toEqual({ count: running.length });
  });

  it('modifies synchronously all or nothing: an ended instance in the selection fails the whole request', async () => {
    const modification = (historicProcessInstanceQuery: object) =>
      api()
        .post('/engine-rest/modification/execute')
        .send({
          processDefinitionId: definitionId,
          instructions: [{ type: 'startBeforeActivity', activityId: 'approve' }],
          historicProcessInstanceQuery,
        });

    const refused = await modification(byKeys).expect(400);
    expect(refused.body.message).toContain(ended);
    expect(await activeIn('approve')).toBe(running.length);

    await modification({ ...byKeys, unfinished: true }).expect(204);
    const tasks = await api().get(`/engine-rest/task/count?processDefinitionId=${definitionId}`).expect(200);
    expect(tasks.body).toEqual({ count: 2 * running.length });
  });

  it('creates modification and deletion batches over the explicit ids plus the historic query, the ended instance failing', async () => {
    const modification = await api()
      .post('/engine-rest/modification/executeAsync')
      .send({
        processDefinitionId: definitionId,
        instructions: [{ type: 'cancel', activityId: 'approve' }],
        processInstanceIds: [running[0]],
        historicProcessInstanceQuery: { processInstanceIds: [running[0], running[1], ended] },
      })
      .expect(200);
    expect(modification.body).toMatchObject({ type: 'instance-modification', totalJobs: 2 });

    const stopWorker = await startTestWorker(stack);
    try {
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${modification.body.id}/progress`).expect(200);
        return progress.body.pending === 0 && progress.body.total === 3;
      }, 30_000);
      const progress = await api().get(`/engine-rest/batch/${modification.body.id}/progress`).expect(200);
      expect(progress.body).toMatchObject({ total: 3, done: 2, failed: 1 });
      const stillRunning = await api()
        .post('/engine-rest/history/process-instance/count')
        .send({ ...byKeys, unfinished: true })
        .expect(200);
      expect(stillRunning.body).toEqual({ count: running.length - 2 });

      const deletion = await api()
        .post('/engine-rest/process-instance/delete')
        .send({ historicProcessInstanceQuery: { ...byKeys, unfinished: true }, deleteReason: 'cleanup' })
        .expect(200);
      expect(deletion.body).toMatchObject({ type: 'instance-deletion', totalJobs: 2 });
      await waitUntil(async () => {
        const count = await api().get(
          `/engine-rest/process-instance/count?processDefinitionId=${definitionId}`,
        );
        return count.body.count === 0;
      }, 30_000);
      const deleted = await api()
        .post('/engine-rest/history/process-instance')
        .send({ ...byKeys, finished: true, sorting: [{ sortBy: 'businessKey', sortOrder: 'asc' }] })
        .expect(200);
      expect(deleted.body).toHaveLength(6);
      const cleanedUp = (deleted.body as Array<{ id: string; deleteReason: string | null }>)
        .filter((instance) => instance.deleteReason === 'cleanup')
        .map((instance) => instance.id);
      expect(new Set(cleanedUp)).toEqual(new Set(running.slice(2)));
    } finally {
      await stopWorker();
    }
  }, 90_000);

  it('still refuses a historicProcessInstanceQuery on migration, which Camunda does not take', async () => {
    const answer = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: definitionId,
          targetProcessDefinitionId: definitionId,
          instructions: [],
        },
        historicProcessInstanceQuery: byKeys,
      })
      .expect(400);

    expect(answer.body.message).toBe(
      'historicProcessInstanceQuery is not accepted here (as in Camunda); select instances with processInstanceIds or processInstanceQuery',
    );
  });
});
