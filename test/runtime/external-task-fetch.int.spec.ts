import request from 'supertest';
import { externalTaskClient, parseRestDate } from '../support/external-tasks';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Every test works on a topic (and process key) of its own, so tests never fetch each other's tasks. */
describe('fetching and locking external tasks', () => {
  let stack: TestStack;
  const { deployTopic, start, fetchAndLock, locked, complete, listed } = externalTaskClient(() => stack.app);

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
    const lockEnd = parseRestDate(task!.lockExpirationTime).getTime();
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
    const instances = await Promise.all(Array.from({ length: 16 }, () => start('bulk')));
    const workers = ['w1', 'w2', 'w3', 'w4', 'w5'];
    const batches = await Promise.all(workers.map((worker) => locked(worker, 'bulk', { maxTasks: 4 })));
    // Under contention a worker may get fewer than it asked for (as in Camunda), never a task twice.
    const leftover = await locked('w6', 'bulk', { maxTasks: 16 });
    const all = [...batches.flat(), ...leftover];
    expect(batches.every((batch) => batch.length <= 4)).toBe(true);
    expect(new Set(all.map((task) => task.id)).size).toBe(all.length);
    expect(all.map((task) => task.processInstanceId).sort()).toEqual([...instances].sort());
    for (const [i, batch] of [...batches, leftover].entries()) {
      const held = await listed(`?topicName=bulk&workerId=w${i + 1}`);
      expect(held.map((task) => task.id).sort()).toEqual(batch.map((task) => task.id).sort());
    }
    expect(await locked('w7', 'bulk')).toEqual([]);
  });

  it('hands a task whose lock expired to the next worker, which a long poll waits for', async () => {
    await deployTopic('expiry');
    await start('expiry');
    const [first] = await locked('w1', 'expiry', {}, { lockDuration: 700 });
    const started = Date.now();
    const [second] = await locked('w2', 'expiry', { asyncResponseTimeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(second).toMatchObject({ id: first!.id, workerId: 'w2' });
    expect(parseRestDate(first!.lockExpirationTime).getTime()).toBeLessThanOrEqual(Date.now());

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
