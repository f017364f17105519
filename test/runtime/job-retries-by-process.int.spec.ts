import request from 'supertest';
import { startInstance } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/**
 * `POST /process-instance/job-retries` and `/job-retries-historic-query-based`: Camunda's
 * `set-job-retries` batch over the jobs of the selected instances, the jobs chosen when it is created.
 */
describe('setting the retries of the jobs of process instances', () => {
  let stack: TestStack;
  let ids: string[];
  const api = () => request(stack.app);
  const retriesOf = async (instanceId: string) =>
    (await api().get(`/engine-rest/job?processInstanceId=${instanceId}`).expect(200)).body.map(
      (job: { retries: number; dueDate: string }) => job.retries,
    );
  const finish = async (batchId: string) => {
    const stopWorker = await startTestWorker(stack);
    try {
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${batchId}/progress`).expect(200);
        return progress.body.endTime !== null;
      }, 30_000);
    } finally {
      await stopWorker();
    }
  };

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '2', BATCH_POLL_TIME_MS: '200' } });
    await deploy(stack.app, [{ name: 'timers.bpmn', content: fixture('timers.bpmn') }]).expect(200);
    ids = [];
    const variables = { wait: { value: 'PT1H', type: 'String' } };
    for (let index = 0; index < 3; index++) {
      ids.push(await startInstance(stack.app, 'timerWait', { businessKey: `retry-${index}`, variables }));
    }
  });
  afterAll(() => stack.close());

  it('gives the jobs of the ids and of the runtime query new retries', async () => {
    const created = await api()
      .post('/engine-rest/process-instance/job-retries')
      .send({ processInstances: [ids[0]], processInstanceQuery: { businessKey: 'retry-1' }, retries: 7 })
      .expect(200);
    expect(created.body).toMatchObject({ type: 'set-job-retries', totalJobs: 1 });

    await finish(created.body.id);

    expect(await retriesOf(ids[0]!)).toEqual([7]);
    expect(await retriesOf(ids[1]!)).toEqual([7]);
    expect(await retriesOf(ids[2]!)).toEqual([3]);
  });

  it('selects by a historic query on its own route, with a due date', async () => {
    const created = await api()
      .post('/engine-rest/process-instance/job-retries-historic-query-based')
      .send({
        historicProcessInstanceQuery: { processInstanceBusinessKey: 'retry-2' },
        retries: 4,
        dueDate: '2030-01-01T00:00:00.000+0000',
      })
      .expect(200);

    await finish(created.body.id);

    const [job] = (await api().get(`/engine-rest/job?processInstanceId=${ids[2]}`).expect(200)).body;
    expect(job).toMatchObject({ retries: 4, dueDate: '2030-01-01T00:00:00.000+0000' });
  });

  it.each([
    [{ processInstances: ['x'] }, 'retries is null'],
    [{ processInstances: ['x'], retries: -1 }, 'Retries count is not greater than or equal to 0'],
    [{ processInstances: ['no-such-instance'], retries: 1 }, 'jobIds is empty'],
    [
      { processInstances: ['x'], retries: 1, dueDate: 'soon' },
      'Invalid request body: \'dueDate\': Cannot convert value "soon" to java type java.util.Date',
    ],
  ])('answers %j with a 400', async (body, message) => {
    const response = await api().post('/engine-rest/process-instance/job-retries').send(body).expect(400);

    expect(response.body.message).toBe(message);
  });
});
