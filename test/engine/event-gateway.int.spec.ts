import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

/** The event-based gateway over REST: it waits in the tree, owns its events' triggers, the first wins. */
describe('event-based gateway through the HTTP API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'event-gateway.bpmn', content: fixture('signals/event-gateway.bpmn') },
    ]).expect(200);
  });
  afterAll(() => stack.close());

  const get = async (path: string) => (await request(stack.app).get(`/engine-rest${path}`).expect(200)).body;
  const triggers = async (instanceId: string) => ({
    subscriptions: (await get(`/event-subscription?processInstanceId=${instanceId}`))
      .map((s: { eventType: string; activityId: string }) => `${s.eventType}@${s.activityId}`)
      .sort(),
    jobs: await Promise.all(
      (await get(`/job?processInstanceId=${instanceId}`)).map(
        async (job: { jobDefinitionId: string }) =>
          (await get(`/job-definition/${job.jobDefinitionId}`)).activityId as string,
      ),
    ),
  });

  it('waits in the gateway, which owns the subscriptions and the timer of its events', async () => {
    const instance = await Scenario.start(stack.app, 'gwRace');
    expect(await instance.tree()).toEqual(['gw']);
    const tree = await get(`/process-instance/${instance.id}/activity-instances`);
    const [gateway] = tree.childActivityInstances;
    expect(gateway).toMatchObject({ activityId: 'gw', activityType: 'eventBasedGateway' });
    expect(await triggers(instance.id)).toEqual({
      subscriptions: ['message@payment', 'signal@recalled'],
      jobs: ['dayLater'],
    });
    const executions = [
      ...(await get(`/event-subscription?processInstanceId=${instance.id}`)),
      ...(await get(`/job?processInstanceId=${instance.id}`)),
    ].map((record: { executionId: string }) => record.executionId);
    expect(new Set(executions)).toEqual(new Set([gateway.executionIds[0]]));
  });

  it('continues with the message when it comes first and removes the signal subscription and the timer', async () => {
    const instance = await Scenario.start(stack.app, 'gwRace');
    await request(stack.app)
      .post('/engine-rest/message')
      .send({ messageName: 'paymentReceived', processInstanceId: instance.id })
      .expect(204);
    expect(await instance.tree()).toEqual(['ship']);
    expect(await triggers(instance.id)).toEqual({ subscriptions: [], jobs: [] });
    expect(await instance.path()).toEqual(['start', 'gw', 'payment', 'ship']);
  });

  it('continues with the timer when its job is executed first', async () => {
    const instance = await Scenario.start(stack.app, 'gwRace');
    const [job] = await get(`/job?processInstanceId=${instance.id}`);
    await request(stack.app).post(`/engine-rest/job/${job.id}/execute`).expect(204);
    expect(await instance.tree()).toEqual(['remind']);
    expect(await triggers(instance.id)).toEqual({ subscriptions: [], jobs: [] });
  });

  it('continues with a broadcast signal, which reaches every waiting gateway', async () => {
    const first = await Scenario.start(stack.app, 'gwRace');
    const second = await Scenario.start(stack.app, 'gwRace');
    await request(stack.app).post('/engine-rest/signal').send({ name: 'recall' }).expect(204);
    expect(await first.tree()).toBeNull();
    expect(await second.tree()).toBeNull();
    expect(await first.path()).toEqual(['start', 'gw', 'recalled', 'stopped']);
  });

  it('starts before a following event through modification: the gateway is cancelled and the event passes', async () => {
    const instance = await Scenario.start(stack.app, 'gwRace');
    await request(stack.app)
      .post(`/engine-rest/process-instance/${instance.id}/modification`)
      .send({ instructions: [{ type: 'startBeforeActivity', activityId: 'dayLater' }] })
      .expect(204);
    expect(await instance.tree()).toEqual(['remind']);
    expect(await triggers(instance.id)).toEqual({ subscriptions: [], jobs: [] });
  });

  it('migrates the waiting gateway with its triggers to a new version', async () => {
    const instance = await Scenario.start(stack.app, 'gwRace');
    const before = await triggers(instance.id);
    const [job] = await get(`/job?processInstanceId=${instance.id}`);
    const v2 = await deploy(stack.app, [
      {
        name: 'event-gateway-v2.bpmn',
        content: fixture('signals/event-gateway.bpmn').replace(
          '<userTask id="ship" />',
          '<userTask id="ship" name="Ship it" />',
        ),
      },
    ]).expect(200);
    const target = Object.values(v2.body.deployedProcessDefinitions)[0] as { id: string };
    const source = (await get(`/process-instance/${instance.id}`)).definitionId;
    await request(stack.app)
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: source,
          targetProcessDefinitionId: target.id,
          instructions: ['gw', 'payment', 'recalled', 'dayLater'].map((id) => ({
            sourceActivityIds: [id],
            targetActivityIds: [id],
          })),
        },
        processInstanceIds: [instance.id],
      })
      .expect(204);
    expect((await get(`/process-instance/${instance.id}`)).definitionId).toBe(target.id);
    expect(await triggers(instance.id)).toEqual(before);
    const [migratedJob] = await get(`/job?processInstanceId=${instance.id}`);
    expect(migratedJob).toMatchObject({ id: job.id, dueDate: job.dueDate, processDefinitionId: target.id });

    const refused = await request(stack.app)
      .post('/engine-rest/migration/validate')
      .send({
        sourceProcessDefinitionId: source,
        targetProcessDefinitionId: target.id,
        instructions: [{ sourceActivityIds: ['gw'], targetActivityIds: ['ship'] }],
      })
      .expect(200);
    expect(refused.body.instructionReports[0].failures).toEqual([
      'Activities have incompatible types (EventBasedGatewayActivityBehavior is not compatible with UserTaskActivityBehavior)',
    ]);
  });
});
