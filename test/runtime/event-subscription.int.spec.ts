import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('event subscriptions', () => {
  let stack: TestStack;
  let guarded: string;
  let payment: string;
  let tenantPayment: string;
  const get = (query: string) => request(stack.app).get(`/engine-rest/event-subscription${query}`);

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'messages.bpmn', content: fixture('messages.bpmn') }]).expect(200);
    await deploy(stack.app, [{ name: 'messages.bpmn', content: fixture('messages.bpmn') }], {
      'tenant-id': 'acme',
    }).expect(200);
    payment = await startInstance(stack.app, 'payment');
    guarded = await startInstance(stack.app, 'guardedWork');
    tenantPayment = await startInstance(stack.app, 'payment/tenant-id/acme');
  });
  afterAll(() => stack.close());

  it('lists the subscriptions an instance waits on, in Camunda’s shape', async () => {
    const response = await get(`?processInstanceId=${payment}`).expect(200);
    expect(response.body).toEqual([
      {
        id: expect.any(String),
        eventType: 'message',
        eventName: 'PaymentReceived',
        executionId: expect.any(String),
        processInstanceId: payment,
        activityId: 'waitForPayment',
        createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
        tenantId: null,
      },
    ]);
    const [subscription] = response.body;
    const byId = await get(`?eventSubscriptionId=${subscription.id}`).expect(200);
    expect(byId.body).toEqual([subscription]);
    const byExecution = await get(`?executionId=${subscription.executionId}`).expect(200);
    expect(byExecution.body).toEqual([subscription]);
  });

  it('filters by event name, type, activity and tenant, and counts', async () => {
    const boundary = await get(`?processInstanceId=${guarded}&sortBy=created&sortOrder=asc`).expect(200);
    expect(boundary.body.map((s: { activityId: string }) => s.activityId).sort()).toEqual([
      'cancelled',
      'reminder',
    ]);
    expect((await get('?eventName=Reminder').expect(200)).body).toHaveLength(1);
    expect((await get('?activityId=cancelled&eventType=message').expect(200)).body).toHaveLength(1);
    expect((await get('?eventType=signal').expect(200)).body).toEqual([]);
    const tenant = await get('?tenantIdIn=acme').expect(200);
    expect(tenant.body.map((s: { processInstanceId: string }) => s.processInstanceId)).toEqual([
      tenantPayment,
    ]);
    expect((await get('/count?withoutTenantId=true').expect(200)).body).toEqual({ count: 3 });
    expect((await get('/count').expect(200)).body).toEqual({ count: 4 });
  });

  it('sorts and pages', async () => {
    const all = await get('?sortBy=tenantId&sortOrder=desc').expect(200);
    expect(all.body[0].tenantId).toBe('acme');
    const page = await get('?sortBy=created&sortOrder=asc&firstResult=1&maxResults=2').expect(200);
    const ordered = await get('?sortBy=created&sortOrder=asc').expect(200);
    expect(page.body).toEqual(ordered.body.slice(1, 3));
  });

  it('rejects bad parameters with Camunda’s messages', async () => {
    const sort = await get('?sortBy=name&sortOrder=asc').expect(400);
    expect(sort.body).toEqual({
      type: 'InvalidRequestException',
      message: "Cannot set query parameter 'sortBy' to value 'name'",
      code: null,
    });
    await get('?sortBy=created').expect(400);
    await get('?withoutTenantId=maybe').expect(400);
    await get('?maxResults=-1').expect(400);
  });
  it("lists the start subscriptions of the latest version's message, signal and conditional start events", async () => {
    const startable = (version: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
  <message id="m" name="StartOrder" />
  <signal id="s" name="StartAll" />
  <process id="startable" isExecutable="true" name="${version}">
    <startEvent id="byMessage"><messageEventDefinition messageRef="m" /></startEvent>
    <startEvent id="bySignal"><signalEventDefinition signalRef="s" /></startEvent>
    <startEvent id="byCondition"><conditionalEventDefinition><condition>\${go}</condition></conditionalEventDefinition></startEvent>
    <startEvent id="byTimer"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></startEvent>
    <sequenceFlow id="f1" sourceRef="byMessage" targetRef="end" />
    <sequenceFlow id="f2" sourceRef="bySignal" targetRef="end" />
    <sequenceFlow id="f3" sourceRef="byCondition" targetRef="end" />
    <sequenceFlow id="f4" sourceRef="byTimer" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;
    const starts = async () =>
      (await get('?activityId=byMessage').expect(200)).body.concat(
        (await get('?activityId=bySignal').expect(200)).body,
        (await get('?activityId=byCondition').expect(200)).body,
        (await get('?activityId=byTimer').expect(200)).body,
      ) as Array<Record<string, unknown>>;
    await deploy(stack.app, [{ name: 'startable.bpmn', content: startable('v1') }]).expect(200);
    const first = await starts();
    expect(first).toEqual([
      expect.objectContaining({ eventType: 'message', eventName: 'StartOrder', activityId: 'byMessage' }),
      expect.objectContaining({ eventType: 'signal', eventName: 'StartAll', activityId: 'bySignal' }),
      expect.objectContaining({ eventType: 'conditional', eventName: null, activityId: 'byCondition' }),
    ]);
    for (const subscription of first) {
      expect(subscription).toMatchObject({ executionId: null, processInstanceId: null, tenantId: null });
    }
    expect((await get(`?eventSubscriptionId=${String(first[0]!.id)}`).expect(200)).body).toHaveLength(1);
    expect((await get('/count?eventType=signal').expect(200)).body).toEqual({ count: 1 });

    // A new version takes over: only its start events are listed, under new ids.
    await deploy(stack.app, [{ name: 'startable.bpmn', content: startable('v2') }]).expect(200);
    const second = await starts();
    expect(second.map((subscription) => subscription.activityId)).toEqual([
      'byMessage',
      'bySignal',
      'byCondition',
    ]);
    expect(second.map((subscription) => subscription.id)).not.toContain(first[0]!.id);
  });
});
