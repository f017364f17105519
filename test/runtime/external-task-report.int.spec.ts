import request from 'supertest';
import { externalTaskClient, type ExternalTaskJson } from '../support/external-tasks';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Every test works on a topic (and process key) of its own, so tests never fetch each other's tasks. */
describe('reporting on external tasks and listing them', () => {
  let stack: TestStack;
  const { deployTopic, start, locked, complete, failure, listed, waitingIn } = externalTaskClient(
    () => stack.app,
  );

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('lets the locking worker complete the task, and the flow continues', async () => {
    await deployTopic('done');
    const instanceId = await start('done');
    const [task] = await locked('w1', 'done');
    await complete(task!.id, {
      workerId: 'w1',
      variables: { charged: { value: true } },
      localVariables: { receipt: { value: 'R-9' } },
    }).expect(204);

    expect(await waitingIn(instanceId)).toEqual(['confirm']);
    await request(stack.app).get(`/engine-rest/external-task/${task!.id}`).expect(404);
    const variables = await request(stack.app)
      .get(`/engine-rest/process-instance/${instanceId}/variables`)
      .expect(200);
    expect(variables.body).toEqual({
      charged: { type: 'Boolean', value: true, valueInfo: {} },
      receipt: { type: 'String', value: 'R-9', valueInfo: {} },
    });
    const again = await complete(task!.id, { workerId: 'w1' }).expect(404);
    expect(again.body).toEqual({
      type: 'RestException',
      message: `External task with id ${task!.id} does not exist`,
      code: 0,
    });
  });

  it('refuses other workers, unlocked tasks and malformed reports, changing nothing', async () => {
    await deployTopic('guard');
    const instanceId = await start('guard');
    const [task] = await locked('w1', 'guard');
    const id = task!.id;

    const wrongWorker = await complete(id, { workerId: 'w2' }).expect(400);
    expect(wrongWorker.body).toEqual({
      type: 'RestException',
      message: `External Task ${id} cannot be completed by worker 'w2'. It is locked by worker 'w1'.`,
      code: 0,
    });
    const noWorker = await complete(id, {}).expect(400);
    expect(noWorker.body).toEqual({
      type: 'InvalidRequestException',
      message: 'workerId is null',
      code: null,
    });
    const badVariable = await complete(id, {
      workerId: 'w1',
      variables: { amount: { value: 'ten', type: 'Integer' } },
    }).expect(400);
    expect(badVariable.body).toMatchObject({
      type: 'InvalidRequestException',
      message: "Cannot convert value 'ten' of type 'Integer' to java type java.lang.Integer",
    });
    expect(await waitingIn(instanceId)).toEqual(['charge']);
    expect((await listed(`?processInstanceId=${instanceId}`))[0]).toMatchObject({ workerId: 'w1' });

    await request(stack.app).post(`/engine-rest/external-task/${id}/unlock`).expect(204);
    const unlocked = await complete(id, { workerId: 'w1' }).expect(400);
    expect(unlocked.body.message).toBe(
      `External Task ${id} cannot be completed by worker 'w1'. It is locked by worker 'null'.`,
    );
    await request(stack.app).post('/engine-rest/external-task/nope/unlock').expect(404);
    await complete('nope', { workerId: 'w1' }).expect(404);
    await failure('nope', { workerId: 'w1' }).expect(404);
  });

  it('records failures: retries left make the task fetchable again, none left keeps it back', async () => {
    await deployTopic('flaky');
    await start('flaky');
    const [task] = await locked('w1', 'flaky');
    const id = task!.id;

    await failure(id, { workerId: 'w1', errorMessage: 'card declined', retries: 2, retryTimeout: 0 }).expect(
      204,
    );
    const [retried] = await locked('w2', 'flaky');
    expect(retried).toMatchObject({ id, workerId: 'w2', retries: 2, errorMessage: 'card declined' });

    const wrongWorker = await failure(id, { workerId: 'w1', retries: 1 }).expect(400);
    expect(wrongWorker.body.message).toBe(
      `Failure of External Task ${id} cannot be reported by worker 'w1'. It is locked by worker 'w2'.`,
    );
    const negative = await failure(id, { workerId: 'w2', retries: -1 }).expect(400);
    expect(negative.body.message).toBe('retries is not greater than or equal to 0');

    await failure(id, {
      workerId: 'w2',
      errorMessage: 'gateway down',
      retries: 1,
      retryTimeout: 60_000,
    }).expect(204);
    expect(await locked('w3', 'flaky')).toEqual([]);
    expect((await listed('?topicName=flaky&locked=true')).map((t) => t.id)).toEqual([id]);

    await request(stack.app).post(`/engine-rest/external-task/${id}/unlock`).expect(204);
    expect((await locked('w3', 'flaky')).map((t) => t.id)).toEqual([id]);
    await failure(id, { workerId: 'w3', errorMessage: 'gave up', retries: 0 }).expect(204);
    expect(await locked('w4', 'flaky')).toEqual([]);
    expect((await listed('?topicName=flaky&noRetriesLeft=true')).map((t) => t.id)).toEqual([id]);
    expect(await listed('?topicName=flaky&withRetriesLeft=true')).toEqual([]);
    expect((await listed('?topicName=flaky&notLocked=true')).map((t) => t.id)).toEqual([id]);
  });

  it('lists and counts external tasks with Camunda’s filters and sorting', async () => {
    await deployTopic('listed');
    const ids = await Promise.all([start('listed'), start('listed'), start('listed')]);
    await locked('w9', 'listed', { maxTasks: 1 });
    const all = await listed('?topicName=listed&sortBy=processInstanceId&sortOrder=desc');
    expect(all.map((task) => task.processInstanceId)).toEqual([...ids].sort().reverse());
    expect(await listed('?topicName=listed&workerId=w9')).toHaveLength(1);
    expect(await listed('?topicName=listed&notLocked=true')).toHaveLength(2);
    expect(await listed(`?processInstanceId=${ids[0]}&activityId=charge`)).toHaveLength(1);
    expect(await listed(`?processInstanceId=${ids[0]}&activityId=confirm`)).toHaveLength(0);
    const counted = await request(stack.app).get(
      '/engine-rest/external-task/count?topicName=listed&locked=true',
    );
    expect(counted.body).toEqual({ count: 1 });
    const posted = await request(stack.app)
      .post('/engine-rest/external-task?maxResults=2')
      .send({ topicName: 'listed', sorting: [{ sortBy: 'processInstanceId', sortOrder: 'asc' }] })
      .expect(200);
    expect(posted.body.map((task: ExternalTaskJson) => task.processInstanceId)).toEqual(
      [...ids].sort().slice(0, 2),
    );
    const postedCount = await request(stack.app)
      .post('/engine-rest/external-task/count')
      .send({ topicName: 'listed', withRetriesLeft: true })
      .expect(200);
    expect(postedCount.body).toEqual({ count: 3 });

    const unknown = await request(stack.app).get('/engine-rest/external-task/nope').expect(404);
    expect(unknown.body).toEqual({
      type: 'RestException',
      message: 'External task with id nope does not exist',
      code: null,
    });
    await request(stack.app).get('/engine-rest/external-task?sortBy=worker&sortOrder=asc').expect(400);
    await request(stack.app).get('/engine-rest/external-task?locked=yes').expect(400);
  });

  it('answers a variable that does not fit its type with the engine’s code', async () => {
    await deployTopic('typed');
    await start('typed');
    const [task] = await locked('w1', 'typed');
    const response = await complete(task!.id, {
      workerId: 'w1',
      localVariables: { amount: { value: 'ten', type: 'Integer' } },
    }).expect(400);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: "Cannot convert value 'ten' of type 'Integer' to java type java.lang.Integer",
      code: 0,
    });
  });
});
