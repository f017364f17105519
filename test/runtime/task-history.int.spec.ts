import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/** `GET|POST /history/task` (+ `/count`): Camunda's task history, written where tasks live and end. */
describe('task history', () => {
  let stack: TestStack;
  let v1: string;
  let v2: string;
  let completed: string;
  let deleted: string;
  let migrated: string;
  const api = () => request(stack.app);
  const taskOf = async (processInstanceId: string) =>
    (await api().get('/engine-rest/task').query({ processInstanceId }).expect(200)).body[0] as { id: string };
  const history = async (query: object) =>
    (await api().get('/engine-rest/history/task').query(query).expect(200)).body as Array<
      Record<string, unknown>
    >;

  beforeAll(async () => {
    stack = await startTestStack();
    const first = await deploy(stack.app, [
      { name: 'a.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'th') },
    ]);
    v1 = (Object.values(first.body.deployedProcessDefinitions)[0] as { id: string }).id;
    const second = await deploy(stack.app, [
      { name: 'a.bpmn', content: withKey(fixture('order-v2.bpmn'), 'order', 'th') },
    ]);
    v2 = (Object.values(second.body.deployedProcessDefinitions)[0] as { id: string }).id;

    // The latest version is v2: start the instances on v1 by id.
    const startV1 = async (businessKey: string) =>
      (await api().post(`/engine-rest/process-definition/${v1}/start`).send({ businessKey }).expect(200)).body
        .id as string;
    completed = await startV1('completed');
    deleted = await startV1('deleted');
    migrated = await startV1('migrated');

    const task = await taskOf(completed);
    await api().post(`/engine-rest/task/${task.id}/assignee`).send({ userId: 'mary' }).expect(204);
    await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
    await api().delete(`/engine-rest/process-instance/${deleted}`).expect(204);
    await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['ship'] }],
        },
        processInstanceIds: [migrated],
      })
      .expect(204);
  });
  afterAll(() => stack.close());

  it('describes a completed task with Camunda’s fields', async () => {
    const [task] = await history({ processInstanceId: completed, taskDefinitionKey: 'approve' });
    expect(task).toMatchObject({
      processDefinitionKey: 'th',
      processDefinitionId: v1,
      processInstanceId: completed,
      name: 'Approve order',
      description: null,
      deleteReason: 'completed',
      assignee: 'mary',
      owner: null,
      taskDefinitionKey: 'approve',
      priority: 50,
      due: null,
      parentTaskId: null,
      caseInstanceId: null,
      tenantId: null,
      rootProcessInstanceId: completed,
      taskState: 'Completed',
    });
    expect(typeof task!.activityInstanceId).toBe('string');
    expect(task!.endTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(task!.duration).toBeGreaterThanOrEqual(0);
  });

  it('marks the task of a deleted instance deleted and follows a migrated task to its new element', async () => {
    expect(await history({ processInstanceId: deleted })).toEqual([
      expect.objectContaining({ deleteReason: 'deleted', taskState: 'Deleted', endTime: expect.any(String) }),
    ]);
    expect(await history({ processInstanceId: migrated })).toEqual([
      expect.objectContaining({
        taskDefinitionKey: 'ship',
        processDefinitionId: v2,
        endTime: null,
        deleteReason: null,
        taskState: 'Created',
      }),
    ]);
  });

  it('filters, sorts and counts by GET and POST', async () => {
    expect(
      await history({
        processInstanceBusinessKeyIn: 'completed,deleted,migrated',
        finished: true,
        sortBy: 'processInstanceId',
        sortOrder: 'asc',
      }),
    ).toHaveLength(2);
    expect((await history({ taskAssignee: 'mary' })).map((task) => task.processInstanceId)).toEqual([
      completed,
    ]);
    expect((await history({ taskDeleteReason: 'deleted' })).map((task) => task.processInstanceId)).toEqual([
      deleted,
    ]);
    expect(
      (await history({ unfinished: true, processDefinitionId: v2 })).map((task) => task.processInstanceId),
    ).toEqual([migrated]);
    expect(await history({ taskDescription: 'anything' })).toEqual([]);
    const posted = await api()
      .post('/engine-rest/history/task')
      .send({ processInstanceBusinessKeyLike: '%e%', sorting: [{ sortBy: 'startTime', sortOrder: 'desc' }] })
      .expect(200);
    expect(posted.body.map((task: { processInstanceId: string }) => task.processInstanceId)).toEqual([
      migrated,
      deleted,
      completed,
    ]);
    expect(
      (
        await api()
          .get('/engine-rest/history/task/count')
          .query({ taskDefinitionKeyIn: 'approve,ship' })
          .expect(200)
      ).body,
    ).toEqual({ count: 3 });
    expect(
      (
        await api()
          .post('/engine-rest/history/task/count')
          .send({ finished: true, processInstanceBusinessKeyIn: ['completed', 'deleted'] })
          .expect(200)
      ).body,
    ).toEqual({ count: 2 });
  });

  it.each([
    'taskVariables',
    'processVariables',
    'taskInvolvedUser',
    'taskHadCandidateGroup',
    'withCandidateGroups',
  ])('refuses the %s filter with a 400 instead of ignoring it', async (name) => {
    const response = await api()
      .get('/engine-rest/history/task')
      .query({ [name]: 'x' })
      .expect(400);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: `Filtering task history by '${name}' is not supported by this service`,
      code: null,
    });
  });

  it('refuses an unknown sort key and a malformed date', async () => {
    await api().get('/engine-rest/history/task').query({ sortBy: 'nope', sortOrder: 'asc' }).expect(400);
    await api().get('/engine-rest/history/task').query({ startedBefore: 'yesterday' }).expect(400);
  });
});
