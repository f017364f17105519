import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface LockedJson {
  id: string;
  processInstanceId: string;
  workerId: string;
  lockExpirationTime: string;
  variables: Record<string, unknown>;
  [field: string]: unknown;
}

const parseDate = (text: string) => new Date(text.replace(/\+0000$/, 'Z'));

/**
 * Every test deploys the payment process under a key of its own whose external task has a topic of
 * the same name, so tests never fetch each other's tasks.
 */
describe('external tasks', () => {
  let stack: TestStack;

  /** The payment process as `<topic>`, its external task on topic `<topic>` with `priority` (may be an expression). */
  const deployTopic = async (topic: string, priority = '10') => {
    const xml = withKey(fixture('payment.bpmn'), 'payment', topic)
      .replace('camunda:topic="charge"', `camunda:topic="${topic}"`)
      .replace('camunda:taskPriority="10"', `camunda:taskPriority="${priority}"`);
    await deploy(stack.app, [{ name: `${topic}.bpmn`, content: xml }]).expect(200);
  };
  const start = async (key: string, body: object = {}): Promise<string> =>
    (await request(stack.app).post(`/engine-rest/process-definition/key/${key}/start`).send(body).expect(200))
      .body.id;
  const fetchAndLock = (workerId: string, topicName: string, extra: object = {}, topic: object = {}) =>
    request(stack.app)
      .post('/engine-rest/external-task/fetchAndLock')
      .send({ workerId, maxTasks: 10, topics: [{ topicName, lockDuration: 60_000, ...topic }], ...extra });
  const locked = async (workerId: string, topicName: string, extra: object = {}, topic: object = {}) =>
    (await fetchAndLock(workerId, topicName, extra, topic).expect(200)).body as LockedJson[];
  const complete = (id: string, body: object) =>
    request(stack.app).post(`/engine-rest/external-task/${id}/complete`).send(body);
  const failure = (id: string, body: object) =>
    request(stack.app).post(`/engine-rest/external-task/${id}/failure`).send(body);
  const listed = async (query: string) =>
    (await request(stack.app).get(`/engine-rest/external-task${query}`).expect(200)).body as LockedJson[];
  const waitingIn = async (instanceId: string): Promise<string[]> => {
    const tree = await request(stack.app)
      .get(`/engine-rest/process-instance/${instanceId}/activity-instances`)
      .expect(200);
    return tree.body.childActivityInstances.map((child: { activityId: string }) => child.activityId);
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('locks a task for a worker and returns Camunda’s LockedExternalTaskDto with its variables', async () => {
    await deployTopic('pay');
    const instanceId = await start('pay', {
      businessKey: 'P-1',
      variables: { amount: { value: 42, type: 'Integer' }, note: { value: 'gift' } },
    });
    const before = Date.now();
    const [task, ...others] = await locked('w1', 'pay');
    expect(others).toEqual([]);
    expect(task).toEqual({
      activityId: 'charge',
      activityInstanceId: expect.stringMatching(/^charge:/),
      errorMessage: null,
      errorDetails: null,
      executionId: expect.any(String),
      id: expect.any(String),
      lockExpirationTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/),
      createTime: expect.stringMatching(/\+0000$/),
      processDefinitionId: expect.stringMatching(/^pay:1:/),
      processDefinitionKey: 'pay',
      processDefinitionVersionTag: 'v3',
      processInstanceId: instanceId,
      retries: null,
      suspended: false,
      workerId: 'w1',
      topicName: 'pay',
      tenantId: null,
      variables: {
        amount: { type: 'Integer', value: 42, valueInfo: {} },
        note: { type: 'String', value: 'gift', valueInfo: {} },
      },
      priority: 10,
      businessKey: 'P-1',
      extensionProperties: {},
    });
    const lockEnd = parseDate(task!.lockExpirationTime).getTime();
    expect(lockEnd).toBeGreaterThanOrEqual(before + 60_000 - 1_000);
    expect(lockEnd).toBeLessThanOrEqual(Date.now() + 60_000 + 1_000);

    expect(await locked('w2', 'pay')).toEqual([]);
    const one = await request(stack.app).get(`/engine-rest/external-task/${task!.id}`).expect(200);
    const {
      variables: _variables,
      errorDetails: _details,
      extensionProperties: _properties,
      ...common
    } = task!;
    expect(one.body).toEqual(common);

    await start('pay', { variables: { amount: { value: 7, type: 'Integer' }, note: { value: 'x' } } });
    const [filtered] = await locked('w1', 'pay', {}, { variables: ['amount', 'missing'] });
    expect(filtered!.variables).toEqual({ amount: { type: 'Integer', value: 7, valueInfo: {} } });
    await start('pay', { variables: { amount: { value: 8, type: 'Integer' } } });
    const [local] = await locked('w1', 'pay', {}, { localVariables: true });
    expect(local!.variables).toEqual({});
  });

  it('never gives the same task to two workers fetching at once', async () => {
    await deployTopic('bulk');
    const instances = await Promise.all(Array.from({ length: 12 }, () => start('bulk')));
    const batches = await Promise.all(
      ['w1', 'w2', 'w3'].map((worker) => locked(worker, 'bulk', { maxTasks: 4 })),
    );
    // Each worker gets a full batch: rows another worker is locking are skipped, not waited for.
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 4]);
    const all = batches.flat();
    expect(new Set(all.map((task) => task.id)).size).toBe(12);
    expect(all.map((task) => task.processInstanceId).sort()).toEqual([...instances].sort());
    for (const [i, batch] of batches.entries()) {
      const held = await listed(`?topicName=bulk&workerId=w${i + 1}`);
      expect(held.map((task) => task.id).sort()).toEqual(batch.map((task) => task.id).sort());
    }
    expect(await locked('w4', 'bulk')).toEqual([]);
  });

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

  it('hands a task whose lock expired to the next worker, which a long poll waits for', async () => {
    await deployTopic('expiry');
    await start('expiry');
    const [first] = await locked('w1', 'expiry', {}, { lockDuration: 700 });
    const started = Date.now();
    const [second] = await locked('w2', 'expiry', { asyncResponseTimeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(second).toMatchObject({ id: first!.id, workerId: 'w2' });
    expect(parseDate(first!.lockExpirationTime).getTime()).toBeLessThanOrEqual(Date.now());

    const stale = await complete(first!.id, { workerId: 'w1' }).expect(400);
    expect(stale.body.message).toContain("It is locked by worker 'w2'.");

    const idleStart = Date.now();
    expect(await locked('w3', 'idle', { asyncResponseTimeout: 300 })).toEqual([]);
    expect(Date.now() - idleStart).toBeGreaterThanOrEqual(250);
  });

  it('fetches by priority, skips suspended instances and honours topic filters', async () => {
    await deployTopic('mixed', '${priority}');
    const lowId = await start('mixed', { businessKey: 'LOW', variables: { priority: { value: 5 } } });
    const highId = await start('mixed', { businessKey: 'HIGH', variables: { priority: { value: 90 } } });

    await request(stack.app)
      .put(`/engine-rest/process-instance/${highId}/suspended`)
      .send({ suspended: true })
      .expect(204);
    expect((await listed('?topicName=mixed&suspended=true')).map((t) => t.processInstanceId)).toEqual([
      highId,
    ]);
    expect(await locked('w1', 'mixed', { maxTasks: 1, usePriority: true }, { businessKey: 'HIGH' })).toEqual(
      [],
    );
    await request(stack.app)
      .put(`/engine-rest/process-instance/${highId}/suspended`)
      .send({ suspended: false })
      .expect(204);

    const [first] = await locked('w1', 'mixed', { maxTasks: 1, usePriority: true });
    expect(first).toMatchObject({ processInstanceId: highId, priority: 90 });
    const [second] = await locked('w1', 'mixed', {}, { businessKey: 'LOW', processDefinitionKey: 'mixed' });
    expect(second).toMatchObject({ processInstanceId: lowId, priority: 5 });

    const refused = await fetchAndLock('w1', 'mixed', {}, { processVariables: { a: 1 } }).expect(400);
    expect(refused.body.message).toContain('not supported');
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
    expect(posted.body.map((task: LockedJson) => task.processInstanceId)).toEqual(
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

  it('validates fetch-and-lock requests with Camunda’s messages', async () => {
    const fetch = (body: object) =>
      request(stack.app).post('/engine-rest/external-task/fetchAndLock').send(body).expect(400);
    const topic = { topicName: 'any', lockDuration: 1000 };
    expect((await fetch({ maxTasks: 1, topics: [topic] })).body).toEqual({
      type: 'InvalidRequestException',
      message: 'workerId is null',
      code: null,
    });
    expect((await fetch({ workerId: 'w', maxTasks: -1, topics: [topic] })).body.message).toBe(
      'maxResults is not greater than or equal to 0',
    );
    expect((await fetch({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'any' }] })).body.message).toBe(
      'lockTime is not greater than 0',
    );
    expect((await fetch({ workerId: 'w', maxTasks: 1, topics: [{ lockDuration: 5 }] })).body.message).toBe(
      'topicName is null',
    );
    expect(
      (await fetch({ workerId: 'w', maxTasks: 1, topics: [topic], asyncResponseTimeout: 1_800_001 })).body
        .message,
    ).toBe('The asynchronous response timeout cannot be set to a value greater than 1800000 milliseconds');
    expect(
      (await fetch({ workerId: 'w', maxTasks: 1, topics: [topic], sorting: [{ sortBy: 'priority' }] })).body
        .message,
    ).toBe('Cannot set query sortBy parameter to value priority');
    await fetch({ workerId: 'w', maxTasks: 'many', topics: [topic] });
    const none = await request(stack.app)
      .post('/engine-rest/external-task/fetchAndLock')
      .send({ workerId: 'w', maxTasks: 0, topics: [topic] })
      .expect(200);
    expect(none.body).toEqual([]);
  });
});
