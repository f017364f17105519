import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Message start events over REST: `POST /message` starts instances when no execution waits. */
describe('message start events through the HTTP API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'message-starts.bpmn', content: fixture('signals/message-starts.bpmn') },
    ]).expect(200);
  });
  afterAll(() => stack.close());

  const message = (body: object) => request(stack.app).post('/engine-rest/message').send(body);
  const instancesOf = async (key: string) =>
    (await request(stack.app).get(`/engine-rest/process-instance?processDefinitionKey=${key}`).expect(200))
      .body as Array<{ id: string; businessKey: string | null }>;
  const pathOf = async (id: string) =>
    (
      await request(stack.app)
        .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&sortBy=occurrence&sortOrder=asc`)
        .expect(200)
    ).body.map((entry: { activityId: string }) => entry.activityId);

  beforeEach(async () => {
    const left = await request(stack.app).get('/engine-rest/process-instance').expect(200);
    for (const instance of left.body as Array<{ id: string }>) {
      await request(stack.app).delete(`/engine-rest/process-instance/${instance.id}`).expect(204);
    }
  });

  it('starts through the none start event by key', async () => {
    const instance = await Scenario.start(stack.app, 'msgOrder');
    expect(await instance.tree()).toEqual(['handle']);
    expect(await pathOf(instance.id)).toEqual(['manual', 'handle']);
  });

  it('starts an instance through the message start event, with business key, variables and the result', async () => {
    const response = await message({
      messageName: 'orderPlaced',
      businessKey: 'order-7',
      processVariables: { amount: { value: 12, type: 'Integer' } },
      resultEnabled: true,
      variablesInResultEnabled: true,
    }).expect(200);

    const [started] = await instancesOf('msgOrder');
    expect(response.body).toEqual([
      {
        resultType: 'ProcessDefinition',
        execution: null,
        processInstance: expect.objectContaining({
          id: started!.id,
          businessKey: 'order-7',
          ended: false,
          suspended: false,
          tenantId: null,
          links: [],
        }),
        variables: { amount: { value: 12, type: 'Integer', valueInfo: {} } },
      },
    ]);
    expect(await pathOf(started!.id)).toEqual(['byMessage', 'handle']);
  });

  it('correlates to a waiting execution before any start event', async () => {
    const instance = await Scenario.start(stack.app, 'msgOrder');
    await instance.complete('handle');
    const response = await message({ messageName: 'orderCancelled', resultEnabled: true }).expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({ resultType: 'Execution', processInstance: null }),
    ]);
    expect(await instance.tree()).toBeNull();
    expect(await instancesOf('msgOnly')).toEqual([]);

    // Nothing waits now: the message starts `msgOnly` instead.
    await message({ messageName: 'orderCancelled' }).expect(204);
    const [archived] = await instancesOf('msgOnly');
    expect(await pathOf(archived!.id)).toEqual(['onCancel', 'archive']);
  });

  it('refuses a start message two definitions match, unless all; all also starts them beside the executions', async () => {
    const ambiguous = await message({ messageName: 'phoneOrder' }).expect(400);
    expect(ambiguous.body.type).toBe('MismatchingMessageCorrelationException');
    expect(ambiguous.body.message).toContain(
      "ENGINE-13030 Cannot correlate a message with name 'phoneOrder' to a single process definition. 2 process definitions match",
    );
    const all = await message({ messageName: 'phoneOrder', all: true, resultEnabled: true }).expect(200);
    expect(all.body.map((result: { resultType: string }) => result.resultType)).toEqual([
      'ProcessDefinition',
      'ProcessDefinition',
    ]);
    expect(await instancesOf('msgOrder')).toHaveLength(1);
    expect(await instancesOf('msgOnly')).toHaveLength(1);
  });

  it('answers startMessagesOnly with a start only, and a mismatch for an unknown message', async () => {
    const instance = await Scenario.start(stack.app, 'msgOrder');
    await instance.complete('handle');
    await message({ messageName: 'orderCancelled', startMessagesOnly: true }).expect(204);
    expect(await instance.tree()).toEqual(['waitCancel']);
    expect(await instancesOf('msgOnly')).toHaveLength(1);

    const unknown = await message({ messageName: 'nobody', startMessagesOnly: true }).expect(400);
    expect(unknown.body.message).toBe(
      "Cannot correlate message 'nobody': No process definition matches the parameters",
    );
    const none = await message({ messageName: 'nobody' }).expect(400);
    expect(none.body.message).toBe(
      "Cannot correlate message 'nobody': No process definition or execution matches the parameters",
    );
  });

  it('cannot start a process without an initial start event by id, as Camunda', async () => {
    const response = await request(stack.app)
      .post('/engine-rest/process-definition/key/msgOnly/start')
      .send({});
    expect(response.status).toBe(500);
    expect(response.body.message).toContain(
      'Cannot start process instance, initial activity where the process instance should start is null',
    );
  });

  it('starts the latest version only', async () => {
    const v2 = fixture('signals/message-starts.bpmn')
      .replace(
        '<startEvent id="onCancel"><messageEventDefinition messageRef="cancel" /></startEvent>',
        '<startEvent id="onCancel" />',
      )
      .replace(
        '<sequenceFlow id="o2" sourceRef="onPhone" targetRef="archive" />',
        '<sequenceFlow id="o2" sourceRef="onPhone" targetRef="archive" /><sequenceFlow id="o3" sourceRef="onCancel" targetRef="archive" />',
      )
      .replace('<sequenceFlow id="o1" sourceRef="onCancel" targetRef="archive" />', '');
    await deploy(stack.app, [{ name: 'message-starts.bpmn', content: v2 }]).expect(200);
    await message({ messageName: 'orderCancelled' }).expect(400);
    const instance = await Scenario.start(stack.app, 'msgOnly');
    expect(await pathOf(instance.id)).toEqual(['onCancel', 'archive']);
  });
});
