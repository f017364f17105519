import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

const WALKED = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t">
  <message id="ping" name="ping" />
  <process id="walked" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="review" />
    <sequenceFlow id="f3" sourceRef="fork" targetRef="wait" />
    <userTask id="review" />
    <subProcess id="wait">
      <startEvent id="waitStart" />
      <sequenceFlow id="f4" sourceRef="waitStart" targetRef="pinged" />
      <receiveTask id="pinged" messageRef="ping" />
    </subProcess>
  </process>
</definitions>`;

interface TreeNode {
  activityId: string;
  executionIds: string[];
  childActivityInstances: TreeNode[];
}

/** `GET|POST /execution` (+ `/count`, `/{id}`): the executions of running instances, as in the tree. */
describe('executions', () => {
  let stack: TestStack;
  let instanceId: string;
  let other: string;
  const api = () => request(stack.app);
  const executionOf = (tree: TreeNode, activityId: string): string => {
    const walk = (node: TreeNode): TreeNode | undefined =>
      node.activityId === activityId ? node : node.childActivityInstances.map(walk).find(Boolean);
    return walk(tree)!.executionIds[0]!;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'walked.bpmn', content: WALKED }]).expect(200);
    instanceId = await startInstance(stack.app, 'walked', { businessKey: 'walk-1' });
    other = await startInstance(stack.app, 'walked', { businessKey: 'walk-2' });
  });
  afterAll(() => stack.close());

  it('lists an instance’s own execution and those of its activity instances, as the tree names them', async () => {
    const tree = (
      await api().get(`/engine-rest/process-instance/${instanceId}/activity-instances`).expect(200)
    ).body as TreeNode;
    const listed = await api().get(`/engine-rest/execution?processInstanceId=${instanceId}`).expect(200);

    const expected = [instanceId, ...['review', 'wait', 'pinged'].map((id) => executionOf(tree, id))];
    expect(new Set(listed.body.map((execution: { id: string }) => execution.id))).toEqual(new Set(expected));
    expect(listed.body).toHaveLength(4);
    expect(listed.body[0]).toEqual({
      id: expect.any(String),
      processInstanceId: instanceId,
      ended: false,
      tenantId: null,
    });
    const inReview = await api()
      .get(`/engine-rest/execution?processInstanceId=${instanceId}&activityId=review`)
      .expect(200);
    expect(inReview.body.map((execution: { id: string }) => execution.id)).toEqual([
      executionOf(tree, 'review'),
    ]);
  });

  it('finds the execution waiting for a message, and answers one execution by id', async () => {
    const subscription = (
      await api()
        .get(`/engine-rest/event-subscription?eventName=ping&processInstanceId=${instanceId}`)
        .expect(200)
    ).body[0] as { executionId: string };
    const waiting = await api()
      .get(`/engine-rest/execution?messageEventSubscriptionName=ping&businessKey=walk-1`)
      .expect(200);
    const one = await api().get(`/engine-rest/execution/${subscription.executionId}`).expect(200);
    const missing = await api().get('/engine-rest/execution/nope').expect(404);

    expect(waiting.body.map((execution: { id: string }) => execution.id)).toEqual([subscription.executionId]);
    expect(one.body).toEqual({
      id: subscription.executionId,
      processInstanceId: instanceId,
      ended: false,
      tenantId: null,
    });
    expect(missing.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Execution with id nope does not exist',
      code: null,
    });
  });

  it('counts, sorts and pages, by GET parameters and by POST body, and filters by suspension', async () => {
    await api().put(`/engine-rest/process-instance/${other}/suspended`).send({ suspended: true }).expect(204);
    const counted = await api().get('/engine-rest/execution/count?processDefinitionKey=walked').expect(200);
    const suspended = await api().post('/engine-rest/execution/count').send({ suspended: true }).expect(200);
    const sorted = await api()
      .post('/engine-rest/execution?maxResults=5')
      .send({ processDefinitionKey: 'walked', sorting: [{ sortBy: 'instanceId', sortOrder: 'desc' }] })
      .expect(200);

    expect(counted.body).toEqual({ count: 8 });
    expect(suspended.body).toEqual({ count: 4 });
    const instances = sorted.body.map(
      (execution: { processInstanceId: string }) => execution.processInstanceId,
    );
    expect(instances).toHaveLength(5);
    expect(instances).toEqual([...instances].sort().reverse());
  });

  it('refuses filters it cannot honour instead of ignoring them', async () => {
    const refused = await api().get('/engine-rest/execution?variables=a_eq_1').expect(400);
    const refusedInBody = await api()
      .post('/engine-rest/execution')
      .send({ incidentType: 'failedJob' })
      .expect(400);

    expect(refused.body.message).toBe("Filtering executions by 'variables' is not supported by this service");
    expect(refusedInBody.body.message).toBe(
      "Filtering executions by 'incidentType' is not supported by this service",
    );
  });
});
