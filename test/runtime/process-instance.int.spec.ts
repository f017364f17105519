import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('process instances', () => {
  let stack: TestStack;
  const start = (key: string, body: object = {}) =>
    request(stack.app).post(`/engine-rest/process-definition/key/${key}/start`).send(body);

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'order.bpmn', content: fixture('order.bpmn') }]).expect(200);
  });
  afterAll(() => stack.close());

  it('starts an instance that waits in its user task, with Camunda’s instance and tree shapes', async () => {
    const started = await start('order', {
      businessKey: 'B-1',
      variables: { amount: { value: 120, type: 'Integer' } },
      unknownField: true,
    }).expect(200);
    const id = started.body.id as string;
    expect(started.body).toEqual({
      links: [
        {
          method: 'GET',
          rel: 'self',
          href: expect.stringMatching(new RegExp(`/engine-rest/process-instance/${id}$`)),
        },
      ],
      id,
      definitionId: expect.stringMatching(/^order:1:/),
      definitionKey: 'order',
      businessKey: 'B-1',
      caseInstanceId: null,
      ended: false,
      suspended: false,
      tenantId: null,
    });

    const tree = await request(stack.app)
      .get(`/engine-rest/process-instance/${id}/activity-instances`)
      .expect(200);
    expect(tree.body).toMatchObject({
      id,
      parentActivityInstanceId: null,
      activityId: started.body.definitionId,
      activityType: 'processDefinition',
      processInstanceId: id,
      childTransitionInstances: [],
      childActivityInstances: [
        expect.objectContaining({
          activityId: 'approve',
          activityType: 'userTask',
          parentActivityInstanceId: id,
          id: expect.stringMatching(/^approve:/),
        }),
      ],
    });
    const variables = await request(stack.app)
      .get(`/engine-rest/process-instance/${id}/variables`)
      .expect(200);
    expect(variables.body).toEqual({ amount: { type: 'Integer', value: 120, valueInfo: {} } });
  });

  it('returns the variables with the new instance when asked to', async () => {
    const started = await start('order', {
      variables: { when: { value: '2024-05-02T10:00:00.000+0200', type: 'Date' } },
      withVariablesInReturn: true,
    }).expect(200);
    expect(started.body.variables).toEqual({
      when: { type: 'Date', value: '2024-05-02T08:00:00.000+0000', valueInfo: {} },
    });
  });

  it('refuses a variable that does not fit its type, starting nothing', async () => {
    const before = (await request(stack.app).get('/engine-rest/process-instance/count').expect(200)).body
      .count;
    const response = await start('order', {
      variables: { amount: { value: 'lots', type: 'Integer' } },
    }).expect(400);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringMatching(
        /^Cannot instantiate process definition order:1:.*Cannot convert value 'lots' of type 'Integer' to java type java\.lang\.Integer/,
      ),
      code: 0,
    });
    expect((await request(stack.app).get('/engine-rest/process-instance/count').expect(200)).body.count).toBe(
      before,
    );
  });

  it('words a variable map that does not parse as an instantiation failure, the body’s own errors as they are', async () => {
    const badMap = await start('order', { variables: { amount: 'lots' } }).expect(400);
    expect(badMap.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringMatching(
        /^Cannot instantiate process definition order:1:\S+: Invalid variables: /,
      ),
      code: null,
    });
    const badBody = await start('order', { businessKey: 42 }).expect(400);
    expect(badBody.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringMatching(/^Invalid request body: /),
      code: null,
    });
  });

  it('answers 404 for an unknown key and for an unknown instance', async () => {
    const unknownKey = await start('nope').expect(404);
    expect(unknownKey.body.message).toBe('No matching process definition with key: nope and no tenant-id');
    const unknown = await request(stack.app).get('/engine-rest/process-instance/does-not-exist').expect(404);
    expect(unknown.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Process instance with id does-not-exist does not exist',
      code: null,
    });
  });

  it('finds instances by business key, activity and variable value, by GET and by POST', async () => {
    const xml = withKey(fixture('order.bpmn'), 'order', 'queried');
    await deploy(stack.app, [{ name: 'q.bpmn', content: xml }]).expect(200);
    for (const amount of [10, 50, 90])
      await start('queried', {
        businessKey: `Q-${amount}`,
        variables: { amount: { value: amount, type: 'Integer' } },
      }).expect(200);

    const big = await request(stack.app)
      .get(
        '/engine-rest/process-instance?processDefinitionKey=queried&variables=amount_gt_40&sortBy=businessKey&sortOrder=asc',
      )
      .expect(200);
    expect(big.body.map((i: { businessKey: string }) => i.businessKey)).toEqual(['Q-50', 'Q-90']);

    const posted = await request(stack.app)
      .post('/engine-rest/process-instance?maxResults=1')
      .send({
        processDefinitionKey: 'queried',
        activityIdIn: ['approve'],
        variables: [{ name: 'amount', operator: 'lteq', value: 50 }],
        sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }],
      })
      .expect(200);
    expect(posted.body.map((i: { businessKey: string }) => i.businessKey)).toEqual(['Q-50']);
    const counted = await request(stack.app)
      .post('/engine-rest/process-instance/count')
      .send({ businessKeyLike: 'Q-%' })
      .expect(200);
    expect(counted.body).toEqual({ count: 3 });
    await request(stack.app)
      .post('/engine-rest/process-instance')
      .send({ variables: [{ name: 'amount', operator: 'bigger', value: 1 }] })
      .expect(400);
  });

  it('suspends and activates an instance', async () => {
    const { id } = (await start('order').expect(200)).body;
    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/suspended`)
      .send({ suspended: true })
      .expect(204);
    expect((await request(stack.app).get(`/engine-rest/process-instance/${id}`)).body.suspended).toBe(true);
    const suspended = await request(stack.app)
      .get(`/engine-rest/process-instance?suspended=true&processInstanceIds=${id}`)
      .expect(200);
    expect(suspended.body).toHaveLength(1);
    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/suspended`)
      .send({ suspended: false })
      .expect(204);
    expect((await request(stack.app).get(`/engine-rest/process-instance/${id}`)).body.suspended).toBe(false);
  });

  it('sets, reads and deletes variables', async () => {
    const { id } = (await start('order').expect(200)).body;
    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/variables/customer`)
      .send({ value: '{"tier":"gold"}', type: 'Json' })
      .expect(204);
    const one = await request(stack.app)
      .get(`/engine-rest/process-instance/${id}/variables/customer`)
      .expect(200);
    expect(one.body).toMatchObject({ type: 'Json', value: '{"tier":"gold"}' });
    await request(stack.app)
      .post(`/engine-rest/process-instance/${id}/variables`)
      .send({ modifications: { a: { value: 1 }, b: { value: true } }, deletions: ['customer'] })
      .expect(204);
    const all = await request(stack.app).get(`/engine-rest/process-instance/${id}/variables`).expect(200);
    expect(all.body).toEqual({
      a: { type: 'Integer', value: 1, valueInfo: {} },
      b: { type: 'Boolean', value: true, valueInfo: {} },
    });
    await request(stack.app).get(`/engine-rest/process-instance/${id}/variables/customer`).expect(404);
  });

  it('deletes an instance, which then no longer runs', async () => {
    const { id } = (await start('order').expect(200)).body;
    await request(stack.app).delete(`/engine-rest/process-instance/${id}`).expect(204);
    await request(stack.app).get(`/engine-rest/process-instance/${id}`).expect(404);
    await request(stack.app).delete(`/engine-rest/process-instance/${id}`).expect(404);
    await request(stack.app).delete(`/engine-rest/process-instance/${id}?failIfNotExists=false`).expect(204);
  });

  it('serialises concurrent updates of one instance without losing any', async () => {
    const { id } = (await start('order').expect(200)).body;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request(stack.app)
          .put(`/engine-rest/process-instance/${id}/variables/v${i}`)
          .send({ value: i, type: 'Integer' })
          .expect(204),
      ),
    );
    const all = await request(stack.app).get(`/engine-rest/process-instance/${id}/variables`).expect(200);
    expect(Object.keys(all.body).sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
  });
});
