import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface TaskJson {
  id: string;
  name: string;
  assignee: string | null;
  processInstanceId: string;
  taskDefinitionKey: string;
  [field: string]: unknown;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Four open tasks, fixed for the whole file:
 * - R-1 `review` (process `documents`): unassigned, candidates editors/legal and kim; its instance is suspended
 * - R-2 `review`: claimed by anna
 * - R-3 `publish` (its review was completed): unassigned, candidate group managers
 * - O-1 `approve` of the order process: assigned to demo, no candidates
 */
describe('task queries', () => {
  let stack: TestStack;
  const instances: Record<string, string> = {};
  let orderDefinitionId: string;

  const get = async (query: string): Promise<TaskJson[]> =>
    (await request(stack.app).get(`/engine-rest/task${query}`).expect(200)).body as TaskJson[];
  const keysOf = (tasks: TaskJson[]) =>
    tasks.map((task) => `${businessKeyOf(task.processInstanceId)}:${task.taskDefinitionKey}`).sort();
  const businessKeyOf = (processInstanceId: string) =>
    Object.entries(instances).find(([, id]) => id === processInstanceId)?.[0];
  const count = async (query: string) =>
    (await request(stack.app).get(`/engine-rest/task/count${query}`).expect(200)).body.count as number;
  const taskOf = async (businessKey: string) =>
    (await get(`?processInstanceId=${instances[businessKey]}`))[0]!;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'review.bpmn', content: fixture('review.bpmn') }]).expect(200);
    const order = await deploy(stack.app, [{ name: 'order.bpmn', content: fixture('order.bpmn') }]).expect(
      200,
    );
    orderDefinitionId = Object.keys(order.body.deployedProcessDefinitions)[0]!;
    for (const [key, businessKey] of [
      ['documents', 'R-1'],
      ['documents', 'R-2'],
      ['documents', 'R-3'],
      ['order', 'O-1'],
    ] as const) {
      const started = await request(stack.app)
        .post(`/engine-rest/process-definition/key/${key}/start`)
        .send({ businessKey })
        .expect(200);
      instances[businessKey] = started.body.id;
    }
    await request(stack.app)
      .post(`/engine-rest/task/${(await taskOf('R-2')).id}/claim`)
      .send({ userId: 'anna' })
      .expect(204);
    await request(stack.app)
      .post(`/engine-rest/task/${(await taskOf('R-3')).id}/complete`)
      .send({})
      .expect(204);
    await request(stack.app)
      .put(`/engine-rest/process-instance/${instances['R-1']}/suspended`)
      .send({ suspended: true })
      .expect(204);
  });
  afterAll(() => stack.close());

  it('renders tasks as Camunda’s TaskDto, process data from the instance', async () => {
    const review = await taskOf('R-1');
    const created = new Date(String(review.created).replace(/\+0000$/, 'Z'));
    expect(review).toEqual({
      id: expect.any(String),
      name: 'Review document',
      assignee: null,
      created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/),
      due: `${new Date(created.getTime() + 2 * DAY).toISOString().slice(0, 23)}+0000`,
      followUp: `${new Date(created.getTime() + DAY).toISOString().slice(0, 23)}+0000`,
      lastUpdated: null,
      delegationState: null,
      description: null,
      executionId: expect.any(String),
      owner: null,
      parentTaskId: null,
      priority: 60,
      processDefinitionId: expect.stringMatching(/^documents:1:/),
      processInstanceId: instances['R-1'],
      taskDefinitionKey: 'review',
      caseExecutionId: null,
      caseInstanceId: null,
      caseDefinitionId: null,
      suspended: true,
      formKey: null,
      camundaFormRef: null,
      tenantId: null,
      taskState: 'Created',
    });
    const claimed = await taskOf('R-2');
    expect(claimed).toMatchObject({ assignee: 'anna', taskState: 'Updated', suspended: false });
    expect(claimed.lastUpdated).toEqual(expect.stringMatching(/\+0000$/));

    const one = await request(stack.app).get(`/engine-rest/task/${review.id}`).expect(200);
    expect(one.body).toEqual(review);
  });

  it('answers 404 for an unknown task', async () => {
    const response = await request(stack.app).get('/engine-rest/task/nope').expect(404);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: 'No matching task with id nope',
      code: null,
    });
  });

  it('filters by instance, definition, task definition and business key', async () => {
    expect(keysOf(await get(''))).toEqual(['O-1:approve', 'R-1:review', 'R-2:review', 'R-3:publish']);
    expect(keysOf(await get(`?processInstanceIdIn=${instances['R-1']},${instances['R-3']}`))).toEqual([
      'R-1:review',
      'R-3:publish',
    ]);
    expect(keysOf(await get('?processDefinitionKey=documents'))).toHaveLength(3);
    expect(keysOf(await get('?processDefinitionKeyIn=order,nothing'))).toEqual(['O-1:approve']);
    expect(keysOf(await get(`?processDefinitionId=${orderDefinitionId}`))).toEqual(['O-1:approve']);
    expect(keysOf(await get('?taskDefinitionKey=review'))).toEqual(['R-1:review', 'R-2:review']);
    expect(keysOf(await get('?taskDefinitionKeyIn=publish,approve'))).toEqual(['O-1:approve', 'R-3:publish']);
    expect(keysOf(await get('?businessKey=R-2'))).toEqual(['R-2:review']);
    expect(keysOf(await get('?processInstanceBusinessKeyLike=R-%25'))).toHaveLength(3);
    const [first] = await get('?taskDefinitionKey=publish');
    expect(keysOf(await get(`?taskId=${first!.id}`))).toEqual(['R-3:publish']);
    expect(keysOf(await get(`?taskIdIn=${first!.id},nope`))).toEqual(['R-3:publish']);
  });

  it('filters by name, assignee and assignment', async () => {
    expect(keysOf(await get('?name=Review%20document'))).toEqual(['R-1:review', 'R-2:review']);
    expect(keysOf(await get('?nameLike=%25document'))).toHaveLength(3);
    expect(keysOf(await get('?assignee=anna'))).toEqual(['R-2:review']);
    expect(keysOf(await get('?assigneeLike=de%25'))).toEqual(['O-1:approve']);
    expect(keysOf(await get('?assigned=true'))).toEqual(['O-1:approve', 'R-2:review']);
    expect(keysOf(await get('?unassigned=true'))).toEqual(['R-1:review', 'R-3:publish']);
    expect(await count('?unassigned=false')).toBe(4);
  });

  it('finds candidate tasks, unassigned ones unless assigned ones are asked for', async () => {
    expect(keysOf(await get('?candidateGroup=editors'))).toEqual(['R-1:review']);
    expect(keysOf(await get('?candidateGroup=editors&includeAssignedTasks=true'))).toEqual([
      'R-1:review',
      'R-2:review',
    ]);
    expect(keysOf(await get('?candidateUser=kim'))).toEqual(['R-1:review']);
    expect(keysOf(await get('?candidateUser=edit'))).toEqual([]);
    expect(keysOf(await get('?candidateGroup=managers'))).toEqual(['R-3:publish']);
    expect(keysOf(await get('?candidateGroups=legal,managers'))).toEqual(['R-1:review', 'R-3:publish']);
    expect(keysOf(await get('?withoutCandidateGroups=true'))).toEqual(['O-1:approve']);
    expect(keysOf(await get('?withCandidateUsers=true'))).toEqual(['R-1:review', 'R-2:review']);
  });

  it('filters by suspension and tenant', async () => {
    expect(keysOf(await get('?suspended=true'))).toEqual(['R-1:review']);
    expect(keysOf(await get('?active=true'))).toEqual(['O-1:approve', 'R-2:review', 'R-3:publish']);
    expect(await count('?tenantIdIn=acme')).toBe(0);
    expect(await count('?withoutTenantId=true')).toBe(4);
  });

  it('sorts and pages, by GET parameters and by POST sorting', async () => {
    const byName = await get('?sortBy=name&sortOrder=asc');
    expect(byName.map((task) => task.name)).toEqual([
      'Approve order',
      'Publish document',
      'Review document',
      'Review document',
    ]);
    const byAssignee = await get('?sortBy=assignee&sortOrder=desc');
    expect(byAssignee.map((task) => task.assignee)).toEqual(['demo', 'anna', null, null]);
    const byInstance = await get('?sortBy=instanceId&sortOrder=asc');
    const ids = byInstance.map((task) => task.processInstanceId);
    expect(ids).toEqual([...ids].sort());
    const byPriority = await get('?sortBy=priority&sortOrder=desc&maxResults=2');
    expect(byPriority.map((task) => task.priority)).toEqual([60, 60]);

    const paged = await get('?sortBy=name&sortOrder=asc&firstResult=1&maxResults=2');
    expect(paged.map((task) => task.name)).toEqual(['Publish document', 'Review document']);

    const posted = await request(stack.app)
      .post('/engine-rest/task?firstResult=0&maxResults=3')
      .send({
        processDefinitionKeyIn: ['documents', 'order'],
        assignee: null,
        sorting: [
          { sortBy: 'name', sortOrder: 'desc' },
          { sortBy: 'instanceId', sortOrder: 'desc' },
        ],
      })
      .expect(200);
    expect(posted.body.map((task: TaskJson) => businessKeyOf(task.processInstanceId))).toEqual([
      ...[instances['R-1']!, instances['R-2']!].sort().reverse().map(businessKeyOf),
      'R-3',
    ]);
    const counted = await request(stack.app)
      .post('/engine-rest/task/count')
      .send({ candidateGroups: ['editors'], includeAssignedTasks: true })
      .expect(200);
    expect(counted.body).toEqual({ count: 2 });
  });

  it('refuses malformed queries with Camunda’s 400 messages', async () => {
    const halfSorting = await request(stack.app).get('/engine-rest/task?sortBy=name').expect(400);
    expect(halfSorting.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Only a single sorting parameter specified. sortBy and sortOrder required',
      code: null,
    });
    const unknownSort = await request(stack.app)
      .get('/engine-rest/task?sortBy=processVariable&sortOrder=asc')
      .expect(400);
    expect(unknownSort.body.message).toBe("Cannot set query parameter 'sortBy' to value 'processVariable'");
    const badFlag = await request(stack.app).get('/engine-rest/task?unassigned=yes').expect(400);
    expect(badFlag.body.message).toBe("Cannot set query parameter 'unassigned' to value 'yes'");
    await request(stack.app).get('/engine-rest/task?maxResults=-1').expect(400);
    await request(stack.app).get('/engine-rest/task/count?minPriority=high').expect(400);
    const badBody = await request(stack.app)
      .post('/engine-rest/task')
      .send({ sorting: [{ sortBy: 'nope', sortOrder: 'asc' }] })
      .expect(400);
    expect(badBody.body.type).toBe('InvalidRequestException');
    await request(stack.app).post('/engine-rest/task/count').send({ candidateGroups: 'editors' }).expect(400);
  });
});
