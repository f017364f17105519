import request from 'supertest';
import { externalTaskClient, type ExternalTaskJson } from '../support/external-tasks';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** External task retries: one task, many at once, or a `set-external-task-retries` batch; incidents follow. */
describe('external task retries', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const client = externalTaskClient(() => stack.app);
  const taskOf = async (processInstanceId: string) =>
    (await api().get('/engine-rest/external-task').query({ processInstanceId }).expect(200))
      .body[0] as ExternalTaskJson;
  const incidentsOf = async (processInstanceId: string) =>
    (await api().get('/engine-rest/incident').query({ processInstanceId }).expect(200)).body as Array<
      Record<string, unknown>
    >;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_POLL_TIME_MS: '200' } });
    await client.deployTopic('retries');
  });
  afterAll(() => stack.close());

  it('sets one task’s retries: 0 raises its failedExternalTask incident, more resolve it, and logs it', async () => {
    const instance = await client.start('retries', { businessKey: 'one' });
    const task = await taskOf(instance);

    await api().put(`/engine-rest/external-task/${task.id}/retries`).send({ retries: 0 }).expect(204);

    expect((await taskOf(instance)).retries).toBe(0);
    const [incident] = await incidentsOf(instance);
    expect(incident).toMatchObject({
      incidentType: 'failedExternalTask',
      configuration: task.id,
      activityId: task.activityId,
    });
    const fetched = await api()
      .post('/engine-rest/external-task/fetchAndLock')
      .send({ workerId: 'w', maxTasks: 10, topics: [{ topicName: 'retries', lockDuration: 1000 }] })
      .expect(200);
    expect(fetched.body.map((locked: { id: string }) => locked.id)).not.toContain(task.id);

    await api().put(`/engine-rest/external-task/${task.id}/retries`).send({ retries: 3 }).expect(204);

    expect((await taskOf(instance)).retries).toBe(3);
    expect(await incidentsOf(instance)).toEqual([]);
    const history = await api()
      .get('/engine-rest/history/incident')
      .query({ processInstanceId: instance })
      .expect(200);
    expect(history.body).toEqual([
      expect.objectContaining({ incidentType: 'failedExternalTask', resolved: true }),
    ]);
    const logged = await api()
      .get('/engine-rest/history/user-operation')
      .query({
        operationType: 'SetExternalTaskRetries',
        processInstanceId: instance,
        sortBy: 'timestamp',
        sortOrder: 'asc',
      })
      .expect(200);
    expect(
      logged.body.map((entry: Record<string, unknown>) => [
        entry.entityType,
        entry.property,
        entry.orgValue,
        entry.newValue,
      ]),
    ).toEqual([
      ['ExternalTask', 'retries', null, '0'],
      ['ExternalTask', 'retries', '0', '3'],
    ]);
  });

  it('raises the incident when a worker reports a failure with no retries left, and deletes it with the instance', async () => {
    const instance = await client.start('retries', { businessKey: 'failure' });
    const [locked] = (
      await api()
        .post('/engine-rest/external-task/fetchAndLock')
        .send({
          workerId: 'w',
          maxTasks: 1,
          topics: [{ topicName: 'retries', lockDuration: 60000, businessKey: 'failure' }],
        })
        .expect(200)
    ).body as ExternalTaskJson[];
    await api()
      .post(`/engine-rest/external-task/${locked!.id}/failure`)
      .send({ workerId: 'w', errorMessage: 'card declined', retries: 0 })
      .expect(204);

    expect(await incidentsOf(instance)).toEqual([
      expect.objectContaining({ incidentType: 'failedExternalTask', incidentMessage: 'card declined' }),
    ]);

    await api().delete(`/engine-rest/process-instance/${instance}`).expect(204);
    const history = await api()
      .get('/engine-rest/history/incident')
      .query({ processInstanceId: instance })
      .expect(200);
    expect(history.body).toEqual([expect.objectContaining({ deleted: true, open: false })]);
  });

  it('keeps the incident of a task out of retries through a migration, pointing at its new definition and activity', async () => {
    const source = (await api().get('/engine-rest/process-definition/key/retries').expect(200)).body
      .id as string;
    const instance = await client.start('retries', { businessKey: 'migrated' });
    const task = await taskOf(instance);
    await api().put(`/engine-rest/external-task/${task.id}/retries`).send({ retries: 0 }).expect(204);
    const xml = withKey(fixture('payment.bpmn'), 'payment', 'retries')
      .replace('camunda:topic="charge"', 'camunda:topic="retries"')
      .replaceAll('"charge"', '"chargeAgain"');
    const target = (
      Object.values(
        (await deploy(stack.app, [{ name: 'retries-v2.bpmn', content: xml }]).expect(200)).body
          .deployedProcessDefinitions,
      )[0] as { id: string }
    ).id;

    await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: source,
          targetProcessDefinitionId: target,
          instructions: [{ sourceActivityIds: ['charge'], targetActivityIds: ['chargeAgain'] }],
        },
        processInstanceIds: [instance],
      })
      .expect(204);

    expect(await incidentsOf(instance)).toEqual([
      expect.objectContaining({
        incidentType: 'failedExternalTask',
        configuration: task.id,
        activityId: 'chargeAgain',
        processDefinitionId: target,
      }),
    ]);
  });

  it.each([
    [{ retries: null }, 400, 'The number of retries cannot be null.'],
    [
      { retries: -1 },
      400,
      'The number of retries cannot be negative: retries is not greater than or equal to 0',
    ],
  ])('refuses %j for one task', async (body, status, message) => {
    const task = await taskOf(await client.start('retries'));
    const response = await api()
      .put(`/engine-rest/external-task/${task.id}/retries`)
      .send(body)
      .expect(status);
    expect(response.body.message).toBe(message);
  });

  it('answers 404 for an unknown task', async () => {
    const response = await api()
      .put('/engine-rest/external-task/nope/retries')
      .send({ retries: 1 })
      .expect(404);
    expect(response.body).toEqual({
      type: 'RestException',
      message: 'External task with id nope does not exist',
      code: null,
    });
  });

  it('sets the retries of tasks by ids, task query and instance selections at once, all or nothing', async () => {
    const instances = [
      await client.start('retries', { businessKey: 'many-1' }),
      await client.start('retries', { businessKey: 'many-2' }),
      await client.start('retries', { businessKey: 'many-3' }),
    ];
    const tasks = await Promise.all(instances.map(taskOf));

    await api()
      .put('/engine-rest/external-task/retries')
      .send({
        retries: 5,
        externalTaskIds: [tasks[0]!.id],
        externalTaskQuery: { processInstanceId: instances[1] },
        historicProcessInstanceQuery: { processInstanceBusinessKey: 'many-3' },
      })
      .expect(204);
    for (const instance of instances) expect((await taskOf(instance)).retries).toBe(5);

    const unknown = await api()
      .put('/engine-rest/external-task/retries')
      .send({ retries: 7, externalTaskIds: [tasks[0]!.id, 'unknown-task'] })
      .expect(404);
    expect(unknown.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Cannot find external task with id unknown-task: externalTask is null',
      code: null,
    });
    expect((await taskOf(instances[0]!)).retries).toBe(5);
  });

  it.each([
    [{ retries: 1 }, 'externalTaskIds is empty'],
    [
      { retries: 1, externalTaskIds: [null] },
      'External task id cannot be null: externalTaskIds contains null value',
    ],
    [{ externalTaskIds: ['a'] }, 'The number of retries cannot be null.'],
    [{ retries: 1, processInstanceQuery: { businessKey: 'nobody' } }, 'externalTaskIds is empty'],
  ])('refuses %j at once and as a batch (400), creating nothing', async (body, message) => {
    const batches = (await api().get('/engine-rest/batch/count').expect(200)).body.count;
    for (const [method, path] of [
      ['put', '/engine-rest/external-task/retries'],
      ['post', '/engine-rest/external-task/retries-async'],
    ] as const) {
      const response = await api()[method](path).send(body).expect(400);
      expect(response.body).toEqual({ type: 'InvalidRequestException', message, code: null });
    }
    expect((await api().get('/engine-rest/batch/count').expect(200)).body.count).toBe(batches);
  });

  it('runs a set-external-task-retries batch through a worker; a task that is gone fails its item', async () => {
    const instances = await Promise.all(
      Array.from({ length: 6 }, (_, index) => client.start('retries', { businessKey: `batch-${index}` })),
    );
    const created = await api()
      .post('/engine-rest/external-task/retries-async')
      .send({ retries: 0, processInstanceIds: instances, externalTaskIds: ['gone-task'] })
      .expect(200);
    expect(created.body).toMatchObject({ type: 'set-external-task-retries' });

    const stopWorker = await startTestWorker(stack);
    try {
      await waitUntil(async () => {
        const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
        return progress.body.done + progress.body.failed === 7;
      }, 30_000);
    } finally {
      await stopWorker();
    }

    const progress = await api().get(`/engine-rest/batch/${created.body.id}/progress`).expect(200);
    expect(progress.body).toMatchObject({ total: 7, done: 6, failed: 1 });
    const failed = await api()
      .get(`/engine-rest/batch/${created.body.id}/items`)
      .query({ state: 'failed' })
      .expect(200);
    expect(failed.body).toEqual([
      expect.objectContaining({
        externalTaskId: 'gone-task',
        error: expect.objectContaining({
          message: 'Cannot find external task with id gone-task: externalTask is null',
        }),
      }),
    ]);
    for (const instance of instances) {
      expect((await taskOf(instance)).retries).toBe(0);
      expect(await incidentsOf(instance)).toEqual([
        expect.objectContaining({ incidentType: 'failedExternalTask' }),
      ]);
    }
    const logged = await api()
      .get('/engine-rest/history/user-operation')
      .query({ operationType: 'SetExternalTaskRetries', batchId: created.body.id })
      .expect(200);
    expect(
      logged.body.map((entry: { property: string; newValue: string }) => [entry.property, entry.newValue]),
    ).toEqual(
      expect.arrayContaining([
        ['nrOfInstances', '7'],
        ['async', 'true'],
        ['retries', '0'],
      ]),
    );
  }, 60_000);
});
