import request from 'supertest';
import { deploy } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

const definitions = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="shapes">${body}</definitions>`;

/** A sequential user task over `reviewers`, done once two have reviewed. */
const SEQUENTIAL = definitions(`
  <process id="miSequential" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" camunda:assignee="\${reviewer}">
      <multiInstanceLoopCharacteristics isSequential="true" camunda:collection="reviewers" camunda:elementVariable="reviewer">
        <completionCondition>\${nrOfCompletedInstances >= 2}</completionCondition>
      </multiInstanceLoopCharacteristics>
    </userTask>
    <sequenceFlow id="f2" sourceRef="review" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
  </process>`);

/** Three parallel instances of a sub-process with a task; two completed end the third. */
const PARALLEL_SUB = definitions(`
  <process id="miParallelSub" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <multiInstanceLoopCharacteristics>
        <loopCardinality>3</loopCardinality>
        <completionCondition>\${nrOfCompletedInstances == 2}</completionCondition>
      </multiInstanceLoopCharacteristics>
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="work" />
      <userTask id="work" />
      <sequenceFlow id="s2" sourceRef="work" targetRef="subEnd" />
      <endEvent id="subEnd" />
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="after" />
    <userTask id="after" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
  </process>`);

interface Tree {
  activityId: string;
  childActivityInstances: Tree[];
}

/** The tree as text, children sorted: `body(sub(work), sub(work))`. */
const shape = (node: Tree): string => {
  const children = node.childActivityInstances.map(shape).sort();
  return children.length === 0 ? node.activityId : `${node.activityId}(${children.join(', ')})`;
};

/**
 * Multi-instance shapes over REST, after start and after each completion: a sequential task over a
 * collection with its element variable, and parallel sub-process instances, each with a completion
 * condition that ends the rest.
 */
describe('multi-instance shapes over REST', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const treeOf = async (id: string) =>
    shape(
      (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body,
    ).replace(/^[^(]+/, 'root');
  const tasksOf = async (id: string) =>
    (await api().get(`/engine-rest/task?processInstanceId=${id}`).expect(200)).body as Array<{
      id: string;
      taskDefinitionKey: string;
      assignee: string | null;
    }>;
  const complete = (taskId: string) =>
    api().post(`/engine-rest/task/${taskId}/complete`).send({}).expect(204);

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'sequential.bpmn', content: SEQUENTIAL },
      { name: 'parallel-sub.bpmn', content: PARALLEL_SUB },
    ]).expect(200);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('runs a sequential task one reviewer after the other until the completion condition holds', async () => {
    const id = (
      await api()
        .post('/engine-rest/process-definition/key/miSequential/start')
        .send({ variables: { reviewers: { value: '["ann","bob","cy"]', type: 'Json' } } })
        .expect(200)
    ).body.id as string;

    expect(await treeOf(id)).toBe('root(review#multiInstanceBody(review))');
    const [first] = await tasksOf(id);
    expect(first!.assignee).toBe('ann');
    await complete(first!.id);

    expect(await treeOf(id)).toBe('root(review#multiInstanceBody(review))');
    const [second] = await tasksOf(id);
    expect(second!.assignee).toBe('bob');
    await complete(second!.id);

    expect(await treeOf(id)).toBe('root(after)');
    expect((await tasksOf(id)).map((task) => task.taskDefinitionKey)).toEqual(['after']);
  });

  it('runs parallel sub-process instances and cancels the last once two completed', async () => {
    const id = (
      await api().post('/engine-rest/process-definition/key/miParallelSub/start').send({}).expect(200)
    ).body.id as string;

    expect(await treeOf(id)).toBe('root(sub#multiInstanceBody(sub(work), sub(work), sub(work)))');
    const tasks = await tasksOf(id);
    expect(tasks).toHaveLength(3);
    const statistics = await api()
      .get('/engine-rest/process-definition/key/miParallelSub/statistics')
      .expect(200);
    expect(statistics.body).toEqual([{ id: 'work', instances: 3, failedJobs: 0, incidents: [] }]);
    await complete(tasks[0]!.id);
    expect(await treeOf(id)).toBe('root(sub#multiInstanceBody(sub(work), sub(work)))');
    const counters = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
    expect(counters.nrOfInstances).toBeUndefined();
    await complete(tasks[1]!.id);

    expect(await treeOf(id)).toBe('root(after)');
    expect((await tasksOf(id)).map((task) => task.taskDefinitionKey)).toEqual(['after']);
    const subs = (
      await api()
        .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&activityId=sub`)
        .expect(200)
    ).body as Array<{ canceled: boolean }>;
    expect(subs.map((sub) => sub.canceled).sort()).toEqual([false, false, true]);
  });
});
