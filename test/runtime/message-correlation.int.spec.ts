import request from 'supertest';
import { restVariables, startInstance, waitingIn } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('message correlation', () => {
  let stack: TestStack;
  const message = (body: object) => request(stack.app).post('/engine-rest/message').send(body);
  const variables = async (id: string) =>
    (await request(stack.app).get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'messages.bpmn', content: fixture('messages.bpmn') }]).expect(200);
    await deploy(stack.app, [{ name: 'messages.bpmn', content: fixture('messages.bpmn') }], {
      'tenant-id': 'acme',
    }).expect(200);
  });
  afterAll(() => stack.close());

  it('continues a receive task found by business key and sets the message’s variables', async () => {
    const id = await startInstance(stack.app, 'payment', { businessKey: 'PAY-1' });
    const other = await startInstance(stack.app, 'payment', { businessKey: 'PAY-2' });
    await message({
      messageName: 'PaymentReceived',
      businessKey: 'PAY-1',
      processVariables: { amount: { value: 42, type: 'Integer' } },
    }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['ship']);
    expect(await variables(id)).toEqual({ amount: { type: 'Integer', value: 42, valueInfo: {} } });
    expect(await waitingIn(stack.app, other)).toEqual(['waitForPayment']);
  });

  it('continues an intermediate message catch event found by process instance id', async () => {
    const id = await startInstance(stack.app, 'approval');
    const twin = await startInstance(stack.app, 'approval');
    await message({ messageName: 'OrderApproved', processInstanceId: id }).expect(204);
    expect(await waitingIn(stack.app, id)).toBeNull();
    expect(await waitingIn(stack.app, twin)).toEqual(['approved']);
    const historic = await request(stack.app).get(`/engine-rest/history/process-instance/${id}`).expect(200);
    expect(historic.body.state).toBe('COMPLETED');
  });

  it('interrupts a user task through a message boundary event', async () => {
    const id = await startInstance(stack.app, 'guardedWork', { businessKey: 'GW-1' });
    await message({ messageName: 'Cancel', businessKey: 'GW-1' }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['cleanUp']);
    const left = await request(stack.app)
      .get(`/engine-rest/event-subscription/count?processInstanceId=${id}`)
      .expect(200);
    expect(left.body).toEqual({ count: 0 });
  });

  it('keeps the user task and its subscription on a non-interrupting message boundary event', async () => {
    const id = await startInstance(stack.app, 'guardedWork', { businessKey: 'GW-2' });
    await message({ messageName: 'Reminder', businessKey: 'GW-2' }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['remind', 'work']);
    await message({ messageName: 'Reminder', businessKey: 'GW-2' }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['remind', 'remind', 'work']);
  });

  it('matches correlation keys against process variables, numbers by value, text exactly', async () => {
    const first = await startInstance(stack.app, 'payment', { variables: restVariables({ orderId: 101 }) });
    const second = await startInstance(stack.app, 'payment', { variables: restVariables({ orderId: 102 }) });
    const named = await startInstance(stack.app, 'payment', { variables: restVariables({ ref: 'Order-7' }) });

    await message({
      messageName: 'PaymentReceived',
      correlationKeys: { orderId: { value: 102, type: 'Long' } },
    }).expect(204);
    expect(await waitingIn(stack.app, second)).toEqual(['ship']);
    expect(await waitingIn(stack.app, first)).toEqual(['waitForPayment']);

    const wrongType = await message({
      messageName: 'PaymentReceived',
      correlationKeys: { orderId: { value: '101', type: 'String' } },
    }).expect(400);
    expect(wrongType.body.type).toBe('MismatchingMessageCorrelationException');
    await message({
      messageName: 'PaymentReceived',
      correlationKeys: { ref: { value: 'order-7', type: 'String' } },
    }).expect(400);
    await message({
      messageName: 'PaymentReceived',
      correlationKeys: { ref: { value: 'Order-7', type: 'String' } },
    }).expect(204);
    expect(await waitingIn(stack.app, named)).toEqual(['ship']);
  });

  it('refuses several matches without `all`, and delivers to every one with it', async () => {
    const ids = [
      await startInstance(stack.app, 'payment', { businessKey: 'BULK' }),
      await startInstance(stack.app, 'payment', { businessKey: 'BULK' }),
      await startInstance(stack.app, 'payment', { businessKey: 'BULK' }),
    ];
    const refused = await message({ messageName: 'PaymentReceived', businessKey: 'BULK' }).expect(400);
    expect(refused.body).toEqual({
      type: 'MismatchingMessageCorrelationException',
      message:
        "ENGINE-13031 Cannot correlate a message with name 'PaymentReceived' to a single execution. 3 executions match the correlation keys: CorrelationSet [businessKey=BULK, processInstanceId=null, processDefinitionId=null, correlationKeys=null, localCorrelationKeys=null, tenantId=null, isTenantIdSet=false, isExecutionsOnly=false]",
      code: 0,
    });
    for (const id of ids) expect(await waitingIn(stack.app, id)).toEqual(['waitForPayment']);

    const all = await message({
      messageName: 'PaymentReceived',
      businessKey: 'BULK',
      all: true,
      resultEnabled: true,
    }).expect(200);
    expect(
      all.body.map((r: { execution: { processInstanceId: string } }) => r.execution.processInstanceId).sort(),
    ).toEqual([...ids].sort());
    for (const id of ids) expect(await waitingIn(stack.app, id)).toEqual(['ship']);
  });

  it('answers a message nobody waits for with Camunda’s MismatchingMessageCorrelationException', async () => {
    const response = await message({ messageName: 'NobodyWaits' }).expect(400);
    expect(response.body).toEqual({
      type: 'MismatchingMessageCorrelationException',
      message:
        "Cannot correlate message 'NobodyWaits': No process definition or execution matches the parameters",
      code: 0,
    });
    await message({ messageName: 'PaymentReceived', businessKey: 'NO-SUCH-KEY' }).expect(400);
    await message({ messageName: 'PaymentReceived', businessKey: 'X', all: true }).expect(400);
    await message({ messageName: 'PaymentReceived', startMessagesOnly: true }).expect(400);
  });

  it('does not correlate to a suspended instance', async () => {
    const id = await startInstance(stack.app, 'payment', { businessKey: 'SUSP-1' });
    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/suspended`)
      .send({ suspended: true })
      .expect(204);
    await message({ messageName: 'PaymentReceived', businessKey: 'SUSP-1' }).expect(400);
    await message({ messageName: 'PaymentReceived', processInstanceId: id, all: true }).expect(400);
    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/suspended`)
      .send({ suspended: false })
      .expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['waitForPayment']);
    await message({ messageName: 'PaymentReceived', businessKey: 'SUSP-1' }).expect(204);
  });

  it('returns the correlation results, with the process variables when asked to', async () => {
    const id = await startInstance(stack.app, 'approval', {
      businessKey: 'RES-1',
      variables: restVariables({ region: 'EU' }),
    });
    const response = await message({
      messageName: 'OrderApproved',
      businessKey: 'RES-1',
      processVariables: { approver: { value: 'ann' } },
      resultEnabled: true,
      variablesInResultEnabled: true,
    }).expect(200);
    expect(response.body).toEqual([
      {
        resultType: 'Execution',
        execution: { id: expect.any(String), processInstanceId: id, ended: true, tenantId: null },
        processInstance: null,
        variables: {
          region: { type: 'String', value: 'EU', valueInfo: {} },
          approver: { type: 'String', value: 'ann', valueInfo: {} },
        },
      },
    ]);

    const second = await startInstance(stack.app, 'payment', { businessKey: 'RES-2' });
    const plain = await message({
      messageName: 'PaymentReceived',
      businessKey: 'RES-2',
      resultEnabled: true,
    }).expect(200);
    expect(plain.body).toEqual([
      {
        resultType: 'Execution',
        execution: expect.objectContaining({ processInstanceId: second, tenantId: null }),
        processInstance: null,
      },
    ]);
  });

  it('narrows by tenant', async () => {
    const tenant = await startInstance(stack.app, 'payment/tenant-id/acme', { businessKey: 'TEN-1' });
    const shared = await startInstance(stack.app, 'payment', { businessKey: 'TEN-1' });
    await message({ messageName: 'PaymentReceived', businessKey: 'TEN-1', tenantId: 'other' }).expect(400);
    const result = await message({
      messageName: 'PaymentReceived',
      businessKey: 'TEN-1',
      tenantId: 'acme',
      resultEnabled: true,
    }).expect(200);
    expect(result.body[0].execution).toMatchObject({ processInstanceId: tenant, tenantId: 'acme' });
    expect(await waitingIn(stack.app, shared)).toEqual(['waitForPayment']);
    await message({ messageName: 'PaymentReceived', businessKey: 'TEN-1', withoutTenantId: true }).expect(
      204,
    );
    expect(await waitingIn(stack.app, shared)).toEqual(['ship']);
  });

  it('rejects malformed requests with Camunda’s messages, changing nothing', async () => {
    const id = await startInstance(stack.app, 'payment', { businessKey: 'BAD-1' });
    const cases: Array<[object, string]> = [
      [{ businessKey: 'BAD-1' }, 'No message name supplied'],
      [
        { messageName: 'PaymentReceived', tenantId: 'acme', withoutTenantId: true },
        "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.",
      ],
      [
        { messageName: 'PaymentReceived', variablesInResultEnabled: true },
        "Parameter 'variablesInResultEnabled' cannot be used without 'resultEnabled' set to true.",
      ],
      [
        {
          messageName: 'PaymentReceived',
          businessKey: 'BAD-1',
          processVariables: { amount: { value: 'lots', type: 'Integer' } },
        },
        "Cannot deliver message: Cannot convert value 'lots' of type 'Integer' to java type java.lang.Integer",
      ],
    ];
    for (const [body, expected] of cases) {
      const response = await message(body).expect(400);
      expect(response.body).toEqual({ type: 'InvalidRequestException', message: expected, code: null });
    }
    await message({ messageName: 42 }).expect(400);
    expect(await waitingIn(stack.app, id)).toEqual(['waitForPayment']);
    expect(await variables(id)).toEqual({});
  });

  it('words variables that do not parse as a failed delivery, and nothing else', async () => {
    const badMap = await message({ messageName: 'PaymentReceived', processVariables: 'lots' }).expect(400);
    expect(badMap.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringMatching(/^Cannot deliver message: Invalid processVariables: /),
      code: null,
    });
    const badBody = await message({ messageName: 'PaymentReceived', all: 'yes' }).expect(400);
    expect(badBody.body.message).toMatch(/^Invalid request body: /);
  });
});
