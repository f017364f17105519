import request from 'supertest';
import { COLUMN_LIMITS } from '@libs/persistence';
import { restVariables, startInstance } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { tableRowCounts } from '../support/table-counts';
import { startTestStack, type TestStack } from '../support/test-stack';

const invalid = (message: string | RegExp) => ({
  type: 'InvalidRequestException',
  message: typeof message === 'string' ? message : expect.stringMatching(message),
  code: null,
});

/** The defects fault injection found (issue 9, part 5): each is a 4xx now, and changes nothing. */
describe('hostile input', () => {
  let stack: TestStack;
  let v1: string;
  let v2: string;
  let instance: string;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack();
    for (const name of ['order.bpmn', 'order-v2.bpmn']) {
      await deploy(stack.app, [{ name, content: fixture(name) }]).expect(200);
    }
    const definitions = (
      await api().get('/engine-rest/process-definition?key=order&sortBy=version&sortOrder=asc')
    ).body as Array<{ id: string }>;
    [v1, v2] = definitions.map((definition) => definition.id) as [string, string];
    // The latest version: v2.
    instance = await startInstance(stack.app, 'order', { variables: restVariables({ amount: 1 }) });
  });
  afterAll(() => stack.close());

  /** Runs `work` and expects every table to hold as many rows afterwards as before. */
  async function changesNothing(work: () => Promise<void>): Promise<void> {
    const before = await tableRowCounts(stack.infrastructure.dataSource);
    await work();
    expect(await tableRowCounts(stack.infrastructure.dataSource)).toEqual(before);
  }

  it('answers a malformed percent-escape in the URL with 400 under both mounts', async () => {
    for (const root of ['/engine-rest', '/engine-rest/engine/default']) {
      const response = await api().get(`${root}/process-instance/%E0%A4%A`).expect(400);
      expect(response.body).toEqual(invalid("Malformed URL: Failed to decode param '%E0%A4%A'"));
    }
    await api().delete('/engine-rest/process-instance/%zz/variables/%E0').expect(400);
  });

  it('answers the modification of an unknown instance with 400 and Camunda’s ENGINE-13036 body', async () => {
    const body = { instructions: [{ type: 'cancel', activityId: 'approve' }] };
    for (const path of ['modification', 'modification-async']) {
      const response = await api().post(`/engine-rest/process-instance/nope/${path}`).send(body).expect(400);
      expect(response.body).toEqual({
        type: 'ProcessEngineException',
        message:
          "ENGINE-13036 Process instance 'nope' cannot be modified. The process instance does not exist",
        code: 0,
      });
    }
  });

  it('answers /modification/execute against another definition with 400 ENGINE-13037, changing nothing', async () => {
    await changesNothing(async () => {
      const response = await api()
        .post('/engine-rest/modification/execute')
        .send({
          processDefinitionId: v1,
          instructions: [{ type: 'cancel', activityId: 'approve' }],
          processInstanceIds: [instance],
        })
        .expect(400);
      expect(response.body).toEqual({
        type: 'ProcessEngineException',
        message: `ENGINE-13037 Process instance '${instance}' cannot be modified. Its process definition '${v2}' does not match given process definition '${v1}'`,
        code: 0,
      });
    });
  });

  it('queries by 10,000 ids and refuses 100,000 with 400 instead of overflowing the stack', async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => (i === 0 ? instance : `id-${i}`));
    for (const [path, field] of [
      ['/engine-rest/process-instance', 'processInstanceIds'],
      ['/engine-rest/process-instance/count', 'processInstanceIds'],
      ['/engine-rest/task', 'processInstanceIdIn'],
      ['/engine-rest/task/count', 'processInstanceIdIn'],
    ] as const) {
      const found = await api()
        .post(path)
        .send({ [field]: ids(10_000) })
        .expect(200);
      expect(found.body).toEqual(path.endsWith('count') ? { count: 1 } : [expect.objectContaining({})]);
      const refused = await api()
        .post(path)
        .send({ [field]: ids(100_000) })
        .expect(400);
      expect(refused.body).toEqual(
        invalid(`Invalid request body: '${field}': must have at most 10000 entries`),
      );
    }
  });

  it('refuses a variable filter or value that overflows a double instead of sending Infinity to SQL', async () => {
    const filter = await api().get('/engine-rest/process-instance?variables=amount_eq_1e999').expect(400);
    expect(filter.body).toEqual(invalid("Cannot set query parameter 'variables' to value 'amount_eq_1e999'"));
    await api()
      .post('/engine-rest/process-instance')
      .set('Content-Type', 'application/json')
      .send('{"variables": [{"name": "amount", "operator": "eq", "value": 1e999}]}')
      .expect(400);
    await changesNothing(async () => {
      const start = await api()
        .post('/engine-rest/process-definition/key/order/start')
        .send({ variables: { big: { value: '1e999', type: 'Double' } } })
        .expect(400);
      expect(start.body.message).toMatch(/Cannot convert value '1e999' of type 'Double'/);
    });
  });

  it('refuses values longer than the columns they are stored in, naming the field, and stores nothing', async () => {
    const name = 'n'.repeat(COLUMN_LIMITS.name + 1);
    const id = 'i'.repeat(COLUMN_LIMITS.id + 1);
    await changesNothing(async () => {
      const start = (body: object) =>
        api().post('/engine-rest/process-definition/key/order/start').send(body);
      expect((await start({ businessKey: name }).expect(400)).body).toEqual(
        invalid("Invalid request body: 'businessKey': must be at most 255 characters long"),
      );
      // Characters as MySQL counts them: 255 emoji fit a VARCHAR(255), 256 do not.
      await start({ businessKey: '😀'.repeat(256) }).expect(400);
      expect((await start({ variables: { [name]: { value: 1 } } }).expect(400)).body.message).toMatch(
        /must be at most 255 characters long/,
      );
      await api()
        .put(`/engine-rest/process-instance/${instance}/variables/${name}`)
        .send({ value: 1 })
        .expect(400);
      const task = (await api().get(`/engine-rest/task?processInstanceId=${instance}`)).body[0].id as string;
      await api().post(`/engine-rest/task/${task}/claim`).send({ userId: name }).expect(400);
      await api()
        .post('/engine-rest/process-instance/delete')
        .send({ processInstanceIds: [id] })
        .expect(400);
      await api()
        .post('/engine-rest/job/retries')
        .send({ jobIds: [id], retries: 1 })
        .expect(400);
      await api()
        .post(`/engine-rest/process-instance/${instance}/modification`)
        .send({
          instructions: [{ type: 'startBeforeActivity', activityId: 'approve' }],
          annotation: 'é'.repeat(32_768),
        })
        .expect(400);
      for (const [fields, file] of [
        [{ 'deployment-name': name }, 'a.bpmn'],
        [{ 'deployment-source': name }, 'a.bpmn'],
        [{ 'tenant-id': 't'.repeat(COLUMN_LIMITS.tenantId + 1) }, 'a.bpmn'],
        [{}, `${name}.bpmn`],
      ] as const) {
        const response = await deploy(stack.app, [{ name: file, content: fixture('order.bpmn') }], fields);
        expect(response.status).toBe(400);
        expect(response.body).toEqual(invalid(/must be at most (255|64) characters long$/));
      }
    });
    await api()
      .post('/engine-rest/process-definition/key/order/start')
      .send({ businessKey: '😀'.repeat(255) })
      .expect(200);
  });

  it('answers a truncated or malformed multipart deployment with 400', async () => {
    const boundary = 'xyz';
    const form = `--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="a.bpmn"\r\n\r\n${fixture('order.bpmn')}\r\n--${boundary}--\r\n`;
    await changesNothing(async () => {
      for (const [contentType, body] of [
        [`multipart/form-data; boundary=${boundary}`, form.slice(0, 300)],
        [
          `multipart/form-data; boundary=${boundary}`,
          `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx`,
        ],
        ['multipart/form-data', form],
      ]) {
        const response = await api()
          .post('/engine-rest/deployment/create')
          .set('Content-Type', contentType!)
          .send(body)
          .expect(400);
        expect(response.body).toEqual(invalid(/^Invalid multipart upload: /));
      }
    });
  });

  it('refuses numbers and dates the database cannot store, and JSON nested deeper than 1,000 levels', async () => {
    await changesNothing(async () => {
      await api()
        .put('/engine-rest/job-definition/any/retries')
        .send({ retries: 2 ** 31 })
        .expect(400);
      await api()
        .post('/engine-rest/job/retries')
        .send({ jobIds: ['job-1'], retries: 2 ** 31 })
        .expect(400);
      const date = await api()
        .post('/engine-rest/job/retries')
        .send({ jobIds: ['job-1'], retries: 1, dueDate: '9999-12-31T23:59:59.999-1400' })
        .expect(400);
      expect(date.body.message).toMatch(/Cannot convert value "9999-12-31T23:59:59.999-1400"/);
      await api()
        .get('/engine-rest/history/process-instance?startedAfter=0999-12-31T00:00:00.000%2B0000')
        .expect(400);
      await api()
        .post('/engine-rest/external-task/fetchAndLock')
        .send({ workerId: 'w', maxTasks: 1, topics: [{ topicName: 'charge', lockDuration: 2 ** 52 }] })
        .expect(400);
      const deep = await api()
        .post('/engine-rest/process-instance')
        .set('Content-Type', 'application/json')
        .send(`{"variables": ${'['.repeat(1_001)}${']'.repeat(1_001)}}`)
        .expect(400);
      expect(deep.body).toEqual(invalid('The request body nests deeper than 1000 levels'));
    });
  });

  it('lists every item of a 160,000-item batch unpaged', async () => {
    const ids = Array.from({ length: 160_000 }, (_, i) => `item-${i}`);
    const batch = await stack.services.batches.create({
      type: 'instance-deletion',
      configuration: { deleteReason: null },
      processInstanceIds: ids,
      tenantId: null,
      userId: null,
      emptyMessage: 'processInstanceIds is empty',
    });
    const items = await api().get(`/engine-rest/batch/${batch.id}/items`).expect(200);
    expect(items.body).toHaveLength(160_000);
    expect(items.body[159_999]).toMatchObject({ processInstanceId: 'item-159999', state: 'pending' });
  }, 120_000);
});
