import request from 'supertest';
import { startInstance } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/**
 * Deleting the history of ended instances: `DELETE /history/process-instance/{id}` and the
 * `historic-process-instance-deletion` batch of `POST /history/process-instance/delete`, with Camunda's
 * answers for running and unknown instances and its `DeleteHistory` operation-log entries.
 */
describe('deleting process-instance history', () => {
  let stack: TestStack;
  let ended: string[];
  let running: string;
  const api = () => request(stack.app);
  const historyOf = (id: string) => api().get(`/engine-rest/history/process-instance/${id}`);

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_POLL_TIME_MS: '200' } });
    await deploy(stack.app, [
      { name: 'gone.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'gone') },
    ]).expect(200);
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push(await startInstance(stack.app, 'gone', { businessKey: `gone-${index}` }));
    }
    running = ids.pop()!;
    for (const id of ids) await api().delete(`/engine-rest/process-instance/${id}`).expect(204);
    ended = ids;
  });
  afterAll(() => stack.close());

  it('deletes one ended instance with its activity history, and logs the operation', async () => {
    await api().delete(`/engine-rest/history/process-instance/${ended[0]}`).expect(204);

    await historyOf(ended[0]!).expect(404);
    const activities = await api()
      .get(`/engine-rest/history/activity-instance?processInstanceId=${ended[0]}`)
      .expect(200);
    expect(activities.body).toEqual([]);
    const logged = await api()
      .get('/engine-rest/history/user-operation?operationType=DeleteHistory')
      .expect(200);
    expect(
      (logged.body as Array<{ property: string; newValue: string }>).map((entry) => [
        entry.property,
        entry.newValue,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['nrOfInstances', '1'],
        ['async', 'false'],
      ]),
    );
    await historyOf(ended[1]!).expect(200);
  });

  it("answers Camunda's 404 for an unknown instance (204 with failIfNotExists=false) and refuses a running one", async () => {
    const unknown = await api().delete('/engine-rest/history/process-instance/nope').expect(404);
    await api().delete('/engine-rest/history/process-instance/nope?failIfNotExists=false').expect(204);
    const stillRunning = await api().delete(`/engine-rest/history/process-instance/${running}`).expect(400);

    expect(unknown.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Historic process instance with id nope does not exist',
      code: null,
    });
    expect(stillRunning.body.message).toBe(
      `Process instance is still running, cannot delete historic process instance: ${running}`,
    );
    await historyOf(running).expect(200);
  });

  it('deletes history as a batch over ids and a historic query; running and unknown instances fail their items', async () => {
    const empty = await api().post('/engine-rest/history/process-instance/delete').send({}).expect(400);
    expect(empty.body.message).toBe('historicProcessInstanceIds is empty');

    const created = await api()
      .post('/engine-rest/history/process-instance/delete')
      .send({
        historicProcessInstanceIds: [ended[1], 'nope'],
        historicProcessInstanceQuery: { processInstanceIds: [ended[2], running] },
        deleteReason: 'retention',
      })
      .expect(200);
    expect(created.body).toMatchObject({ type: 'historic-process-instance-deletion', totalJobs: 2 });

    const stopWorker = await startTestWorker(stack);
    try {
      const progressOf = async () =>
        (await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200)).body;
      await waitUntil(async () => {
        const progress = await progressOf();
        return progress.total === 4 && progress.pending === 0;
      }, 30_000);
      expect(await progressOf()).toMatchObject({ total: 4, done: 2, failed: 2 });
      const failures = await api().get(`/engine-rest/batch/${created.body.id}/failures`).expect(200);
      expect((failures.body as Array<{ reason: string }>).map((group) => group.reason).sort()).toEqual([
        'BadUserRequestException: No historic process instance found with id: nope',
        'BadUserRequestException: Process instance is still running, cannot delete historic process instance: <id>',
      ]);
      await historyOf(ended[1]!).expect(404);
      await historyOf(ended[2]!).expect(404);
      await historyOf(running).expect(200);
      await historyOf(ended[3]!).expect(200);

      const lenient = await api()
        .post('/engine-rest/history/process-instance/delete')
        .send({ historicProcessInstanceIds: [ended[3], 'nope'], failIfNotExists: false })
        .expect(200);
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${lenient.body.id}/progress`).expect(200);
        return progress.body.endTime !== null;
      }, 30_000);
      const progress = await api().get(`/engine-rest/batch/${lenient.body.id}/progress`).expect(200);
      expect(progress.body).toMatchObject({ total: 2, done: 2, failed: 0 });
      await historyOf(ended[3]!).expect(404);
    } finally {
      await stopWorker();
    }
  }, 90_000);
});
