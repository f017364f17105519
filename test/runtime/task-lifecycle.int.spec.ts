import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface ActivityTree {
  activityId: string;
  childActivityInstances: ActivityTree[];
}

describe('completing and assigning tasks', () => {
  let stack: TestStack;

  const start = async (variables: object = {}): Promise<string> =>
    (
      await request(stack.app)
        .post('/engine-rest/process-definition/key/documents/start')
        .send({ variables })
        .expect(200)
    ).body.id;
  const openTask = async (instanceId: string) => {
    const tasks = await request(stack.app)
      .get(`/engine-rest/task?processInstanceId=${instanceId}`)
      .expect(200);
    expect(tasks.body).toHaveLength(1);
    return tasks.body[0] as { id: string; taskDefinitionKey: string; assignee: string | null };
  };
  const waitingIn = async (instanceId: string): Promise<string[]> => {
    const tree = await request(stack.app)
      .get(`/engine-rest/process-instance/${instanceId}/activity-instances`)
      .expect(200);
    return (tree.body as ActivityTree).childActivityInstances.map((child) => child.activityId);
  };
  const complete = (taskId: string, body: object = {}) =>
    request(stack.app).post(`/engine-rest/task/${taskId}/complete`).send(body);
  const claim = (taskId: string, userId: string) =>
    request(stack.app).post(`/engine-rest/task/${taskId}/claim`).send({ userId });

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'review.bpmn', content: fixture('review.bpmn') }]).expect(200);
  });
  afterAll(() => stack.close());

  it('completes a task with variables and the flow continues to the next task', async () => {
    const id = await start();
    const review = await openTask(id);
    expect(await waitingIn(id)).toEqual(['review']);

    await complete(review.id, { variables: { verdict: { value: 'ok', type: 'String' } } }).expect(204);

    expect(await waitingIn(id)).toEqual(['publish']);
    const publish = await openTask(id);
    expect(publish.taskDefinitionKey).toBe('publish');
    await request(stack.app).get(`/engine-rest/task/${review.id}`).expect(404);
    const variables = await request(stack.app)
      .get(`/engine-rest/process-instance/${id}/variables`)
      .expect(200);
    expect(variables.body).toEqual({ verdict: { type: 'String', value: 'ok', valueInfo: {} } });
  });

  it('returns the process variables when asked to, also when the instance ends', async () => {
    const id = await start({ pages: { value: 12, type: 'Integer' } });
    const returned = await complete((await openTask(id)).id, {
      variables: { verdict: { value: true } },
      withVariablesInReturn: true,
    }).expect(200);
    expect(returned.body).toEqual({
      pages: { type: 'Integer', value: 12, valueInfo: {} },
      verdict: { type: 'Boolean', value: true, valueInfo: {} },
    });

    const last = await complete((await openTask(id)).id, { withVariablesInReturn: true }).expect(200);
    expect(Object.keys(last.body).sort()).toEqual(['pages', 'verdict']);
    await request(stack.app).get(`/engine-rest/process-instance/${id}`).expect(404);
  });

  it('answers 404 with Camunda’s message when the task is completed twice or unknown', async () => {
    const id = await start();
    const { id: taskId } = await openTask(id);
    await complete(taskId).expect(204);
    const again = await complete(taskId).expect(404);
    expect(again.body).toEqual({
      type: 'InvalidRequestException',
      message: `Cannot complete task ${taskId}: Cannot find task with id ${taskId}: task is null`,
      code: 0,
    });
    const unknown = await complete('nope').expect(404);
    expect(unknown.body.message).toBe(
      'Cannot complete task nope: Cannot find task with id nope: task is null',
    );
  });

  it('lets exactly one of two concurrent completions of a task succeed', async () => {
    for (let round = 0; round < 3; round += 1) {
      const id = await start();
      const { id: taskId } = await openTask(id);
      const statuses = (await Promise.all([complete(taskId), complete(taskId)])).map((r) => r.status);
      expect(statuses.sort()).toEqual([204, 404]);
      expect(await waitingIn(id)).toEqual(['publish']);
    }
  });

  it('refuses bad variables and suspended instances without changing anything', async () => {
    const id = await start();
    const { id: taskId } = await openTask(id);
    const badVariable = await complete(taskId, {
      variables: { verdict: { value: 'maybe', type: 'Boolean' } },
    }).expect(400);
    expect(badVariable.body).toEqual({
      type: 'InvalidRequestException',
      message: `Cannot complete task ${taskId}: Cannot convert value 'maybe' of type 'Boolean' to java type java.lang.Boolean`,
      code: 0,
    });
    await complete(taskId, { variables: ['not', 'a', 'map'] }).expect(400);

    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/suspended`)
      .send({ suspended: true })
      .expect(204);
    const suspended = await complete(taskId).expect(400);
    expect(suspended.body.message).toBe(
      `Cannot complete task ${taskId}: ENGINE-03043 Task with id '${taskId}' is suspended.`,
    );
    expect(await waitingIn(id)).toEqual(['review']);
    const variables = await request(stack.app)
      .get(`/engine-rest/process-instance/${id}/variables`)
      .expect(200);
    expect(variables.body).toEqual({});
  });

  it('claims, unclaims and assigns a task, refusing a claim on a task someone else holds', async () => {
    const id = await start();
    const { id: taskId } = await openTask(id);
    await claim(taskId, 'anna').expect(204);
    await claim(taskId, 'anna').expect(204);
    const taken = await claim(taskId, 'bob').expect(400);
    expect(taken.body).toEqual({
      type: 'InvalidRequestException',
      message: `Task '${taskId}' is already claimed by someone else.`,
      code: 0,
    });
    expect((await openTask(id)).assignee).toBe('anna');

    await request(stack.app).post(`/engine-rest/task/${taskId}/unclaim`).expect(204);
    expect((await openTask(id)).assignee).toBeNull();
    await claim(taskId, 'bob').expect(204);
    await request(stack.app)
      .post(`/engine-rest/task/${taskId}/assignee`)
      .send({ userId: 'carl' })
      .expect(204);
    const task = await request(stack.app).get(`/engine-rest/task/${taskId}`).expect(200);
    expect(task.body).toMatchObject({ assignee: 'carl', taskState: 'Updated' });

    const [history] = await stack.infrastructure.dataSource.query(
      'SELECT assignee, task_id FROM hi_activity_instance WHERE task_id = ?',
      [taskId],
    );
    expect(history).toEqual({ assignee: 'carl', task_id: taskId });
  });

  it('gives a task to exactly one of two users claiming it at once', async () => {
    const id = await start();
    const { id: taskId } = await openTask(id);
    const [anna, bob] = await Promise.all([claim(taskId, 'anna'), claim(taskId, 'bob')]);
    expect([anna.status, bob.status].sort()).toEqual([204, 400]);
    expect((await openTask(id)).assignee).toBe(anna.status === 204 ? 'anna' : 'bob');
  });

  it('answers 404 for assignment changes of unknown tasks and 400 for suspended instances', async () => {
    const unknown = await claim('nope', 'anna').expect(404);
    expect(unknown.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Cannot find task with id nope: task is null',
      code: 0,
    });
    await request(stack.app).post('/engine-rest/task/nope/unclaim').expect(404);
    await request(stack.app).post('/engine-rest/task/nope/assignee').send({ userId: 'x' }).expect(404);
    await request(stack.app).post('/engine-rest/task/nope/claim').send({ userId: 7 }).expect(400);

    const id = await start();
    const { id: taskId } = await openTask(id);
    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/suspended`)
      .send({ suspended: true })
      .expect(204);
    const suspended = await claim(taskId, 'anna').expect(400);
    expect(suspended.body.message).toBe(`ENGINE-03043 Task with id '${taskId}' is suspended.`);
  });

  it('shows the variables visible from the task', async () => {
    const id = await start({ pages: { value: 3, type: 'Integer' }, title: { value: 'Spec' } });
    const { id: taskId } = await openTask(id);
    const variables = await request(stack.app).get(`/engine-rest/task/${taskId}/variables`).expect(200);
    expect(variables.body).toEqual({
      pages: { type: 'Integer', value: 3, valueInfo: {} },
      title: { type: 'String', value: 'Spec', valueInfo: {} },
    });
    const one = await request(stack.app).get(`/engine-rest/task/${taskId}/variables/title`).expect(200);
    expect(one.body).toEqual({ type: 'String', value: 'Spec', valueInfo: {} });
    const missing = await request(stack.app).get(`/engine-rest/task/${taskId}/variables/nope`).expect(404);
    expect(missing.body.message).toBe('task variable with name nope does not exist');
    const unknown = await request(stack.app).get('/engine-rest/task/nope/variables').expect(404);
    expect(unknown.body.message).toBe("task nope doesn't exist: task is null");
  });
});
