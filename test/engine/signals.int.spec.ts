import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Signals over REST: `POST /signal`, signal throw events, signal start events. */
describe('signals through the HTTP API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'waiting.bpmn', content: fixture('signals/waiting.bpmn') }]).expect(200);
  });
  afterAll(() => stack.close());

  const signal = (body: object) => request(stack.app).post('/engine-rest/signal').send(body);
  const subscriptions = async (processInstanceId: string) =>
    (
      await request(stack.app)
        .get(`/engine-rest/event-subscription?processInstanceId=${processInstanceId}`)
        .expect(200)
    ).body
      .map(
        (s: { eventType: string; eventName: string; activityId: string }) =>
          `${s.eventType}:${s.eventName}@${s.activityId}`,
      )
      .sort();
  const count = async (key: string) =>
    (
      await request(stack.app)
        .get(`/engine-rest/process-instance/count?processDefinitionKey=${key}`)
        .expect(200)
    ).body.count as number;
  const cleanUp = async () => {
    const left = await request(stack.app).get('/engine-rest/process-instance').expect(200);
    for (const instance of left.body as Array<{ id: string }>) {
      await request(stack.app).delete(`/engine-rest/process-instance/${instance.id}`).expect(204);
    }
  };
  beforeEach(cleanUp);

  it('waits with its signal subscriptions listed', async () => {
    const waiter = await Scenario.start(stack.app, 'sigWaiter');
    expect(await waiter.tree()).toEqual(['catchAlert', 'work']);
    expect(await subscriptions(waiter.id)).toEqual([
      'signal:alert@catchAlert',
      'signal:alert@noted',
      'signal:stop@stopped',
    ]);
  });

  it('delivers a signal to every waiting subscription of every instance and starts the signal start definitions', async () => {
    const first = await Scenario.start(stack.app, 'sigWaiter');
    const second = await Scenario.start(stack.app, 'sigWaiter');

    await signal({ name: 'alert', variables: { level: { value: 3, type: 'Integer' } } }).expect(204);

    for (const waiter of [first, second]) {
      expect(await waiter.tree()).toEqual(['afterAlert', 'note', 'work']);
      // The non-interrupting boundary event keeps its subscription; the caught one is gone.
      expect(await subscriptions(waiter.id)).toEqual(['signal:alert@noted', 'signal:stop@stopped']);
      const level = await request(stack.app)
        .get(`/engine-rest/process-instance/${waiter.id}/variables/level`)
        .expect(200);
      expect(level.body).toMatchObject({ value: 3, type: 'Integer' });
    }
    const started = await request(stack.app)
      .get('/engine-rest/process-instance?processDefinitionKey=sigStarted')
      .expect(200);
    expect(started.body).toHaveLength(1);
    const path = await request(stack.app)
      .get(
        `/engine-rest/history/activity-instance?processInstanceId=${started.body[0].id}&sortBy=occurrence&sortOrder=asc`,
      )
      .expect(200);
    expect(path.body.map((entry: { activityId: string }) => entry.activityId)).toEqual(['onAlert', 'handle']);
  });

  it('interrupts through a signal boundary event and ends the instance', async () => {
    const waiter = await Scenario.start(stack.app, 'sigWaiter');
    await signal({ name: 'stop' }).expect(204);
    expect(await waiter.tree()).toEqual(['catchAlert']);
    expect(await subscriptions(waiter.id)).toEqual(['signal:alert@catchAlert']);
    await signal({ name: 'alert' }).expect(204);
    expect(await waiter.tree()).toEqual(['afterAlert']);
  });

  it('delivers to one execution only when it is named, and answers Camunda errors otherwise', async () => {
    const first = await Scenario.start(stack.app, 'sigWaiter');
    const second = await Scenario.start(stack.app, 'sigWaiter');
    const [catching] = (
      await request(stack.app)
        .get(`/engine-rest/event-subscription?processInstanceId=${first.id}&activityId=catchAlert`)
        .expect(200)
    ).body;

    await signal({ name: 'alert', executionId: catching.executionId }).expect(204);
    expect(await first.tree()).toEqual(['afterAlert', 'work']);
    expect(await second.tree()).toEqual(['catchAlert', 'work']);
    expect(await count('sigStarted')).toBe(0);

    const unknown = await signal({ name: 'alert', executionId: 'nope' }).expect(500);
    expect(unknown.body).toEqual({
      type: 'RestException',
      message: "Cannot find execution with id 'nope': execution is null",
      code: null,
    });
    const [stillWaiting] = (
      await request(stack.app)
        .get(`/engine-rest/event-subscription?processInstanceId=${second.id}&activityId=catchAlert`)
        .expect(200)
    ).body;
    const notSubscribed = await signal({ name: 'other', executionId: stillWaiting.executionId }).expect(500);
    expect(notSubscribed.body.message).toBe(
      `Execution '${stillWaiting.executionId}' has not subscribed to a signal event with name 'other'.`,
    );
    const withTenant = await signal({
      name: 'alert',
      executionId: catching.executionId,
      tenantId: 't1',
    }).expect(400);
    expect(withTenant.body.message).toBe(
      'ENGINE-13027 Cannot specify a tenant-id when deliver a signal to a single execution.',
    );
    const nameless = await signal({}).expect(400);
    expect(nameless.body).toMatchObject({ type: 'InvalidRequestException', message: 'No signal name given' });
  });

  it('reaches nothing in another tenant and is fine without receivers', async () => {
    const waiter = await Scenario.start(stack.app, 'sigWaiter');
    await signal({ name: 'alert', tenantId: 'elsewhere' }).expect(204);
    expect(await waiter.tree()).toEqual(['catchAlert', 'work']);
    await signal({ name: 'nobody-listens' }).expect(204);
    await signal({ name: 'alert', withoutTenantId: true }).expect(204);
    expect(await waiter.tree()).toEqual(['afterAlert', 'note', 'work']);
  });

  it('does not deliver to suspended instances', async () => {
    const waiter = await Scenario.start(stack.app, 'sigWaiter');
    await request(stack.app)
      .put(`/engine-rest/process-instance/${waiter.id}/suspended`)
      .send({ suspended: true })
      .expect(204);
    await signal({ name: 'alert' }).expect(204);
    expect(await waiter.tree()).toEqual(['catchAlert', 'work']);
  });

  it('broadcasts from throw events in the same transaction: other instances, then the end event', async () => {
    const waiter = await Scenario.start(stack.app, 'sigWaiter');
    const thrower = await Scenario.start(stack.app, 'sigThrower');
    expect((await thrower.complete('ready')).status).toBe(204);
    expect(await thrower.tree()).toBeNull();
    expect(await thrower.path()).toEqual(['tStart', 'ready', 'throwAlert', 'throwStop']);
    // `alert` caught and noted, then `stop` interrupted the task with its boundary events.
    expect(await waiter.tree()).toEqual(['afterAlert', 'note']);
    expect(await count('sigStarted')).toBe(1);
  });

  it('delivers an asynchronous signal after the thrower committed', async () => {
    const waiter = await Scenario.start(stack.app, 'sigWaiter');
    const thrower = await Scenario.start(stack.app, 'sigAsyncThrower');
    expect((await thrower.complete('aReady')).status).toBe(204);
    expect(await thrower.tree()).toBeNull();
    expect(await waiter.tree()).toEqual(['afterAlert', 'note', 'work']);
  });

  it('delivers to many instances at once', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 30; index++) ids.push((await Scenario.start(stack.app, 'sigWaiter')).id);
    await signal({ name: 'stop' }).expect(204);
    const waitingStop = await request(stack.app)
      .get('/engine-rest/event-subscription/count?eventName=stop')
      .expect(200);
    expect(waitingStop.body.count).toBe(0);
    const waitingAlert = await request(stack.app)
      .get('/engine-rest/event-subscription/count?eventName=alert')
      .expect(200);
    // The 30 waiting instances, and the subscription of `sigStarted`'s signal start event.
    expect(waitingAlert.body.count).toBe(31);
  });

  it('keeps to tenants: a REST tenant reaches that tenant, a thrower without tenant those without one', async () => {
    await deploy(stack.app, [{ name: 'waiting.bpmn', content: fixture('signals/waiting.bpmn') }], {
      'tenant-id': 't1',
    }).expect(200);
    const startIn = async (tenant: string | null) =>
      (
        await request(stack.app)
          .post(
            `/engine-rest/process-definition/key/sigWaiter${tenant === null ? '' : `/tenant-id/${tenant}`}/start`,
          )
          .send({})
          .expect(200)
      ).body.id as string;
    const tree = async (id: string) =>
      (
        await request(stack.app).get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)
      ).body.childActivityInstances
        .map((child: { activityId: string }) => child.activityId)
        .sort();
    const shared = await startIn(null);
    const tenant = await startIn('t1');

    await signal({ name: 'alert', tenantId: 't1' }).expect(204);
    expect(await tree(tenant)).toEqual(['afterAlert', 'note', 'work']);
    expect(await tree(shared)).toEqual(['catchAlert', 'work']);

    const thrower = await Scenario.start(stack.app, 'sigThrower');
    expect((await thrower.complete('ready')).status).toBe(204);
    expect(await tree(shared)).toEqual(['afterAlert', 'note']);
    // The tenant's task was not interrupted by the thrower without tenant.
    expect(await tree(tenant)).toEqual(['afterAlert', 'note', 'work']);
  });
});
