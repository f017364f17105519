import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface Historic {
  id: string;
  businessKey: string | null;
  state: string;
  endTime: string | null;
}

interface HistoricActivity {
  activityId: string;
  activityType: string;
  canceled: boolean;
  completeScope: boolean;
  endTime: string | null;
}

describe('history', () => {
  let stack: TestStack;
  let completed: string;
  let running: string;
  let deleted: string;
  let suspended: string;
  let interrupted: string;
  const processes = (query: string) =>
    request(stack.app).get(`/engine-rest/history/process-instance${query}`);
  const activities = (query: string) =>
    request(stack.app).get(`/engine-rest/history/activity-instance${query}`);
  const keys = (list: Historic[]) => list.map((instance) => instance.businessKey);

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'messages.bpmn', content: fixture('messages.bpmn') }]).expect(200);
    completed = await startInstance(stack.app, 'approval', { businessKey: 'H-completed' });
    running = await startInstance(stack.app, 'approval', { businessKey: 'H-running' });
    deleted = await startInstance(stack.app, 'approval', { businessKey: 'H-deleted' });
    suspended = await startInstance(stack.app, 'payment', { businessKey: 'H-suspended' });
    interrupted = await startInstance(stack.app, 'guardedWork', { businessKey: 'H-interrupted' });
    const message = (body: object) => request(stack.app).post('/engine-rest/message').send(body).expect(204);
    await message({ messageName: 'OrderApproved', processInstanceId: completed });
    await message({ messageName: 'Cancel', processInstanceId: interrupted });
    await request(stack.app)
      .delete(`/engine-rest/process-instance/${deleted}?deleteReason=obsolete`)
      .expect(204);
    await request(stack.app)
      .put(`/engine-rest/process-instance/${suspended}/suspended`)
      .send({ suspended: true })
      .expect(204);
  });
  afterAll(() => stack.close());

  it('describes an ended instance in Camunda’s HistoricProcessInstanceDto shape', async () => {
    const response = await processes(`/${completed}`).expect(200);
    expect(response.body).toEqual({
      id: completed,
      businessKey: 'H-completed',
      processDefinitionId: expect.stringMatching(/^approval:1:/),
      processDefinitionKey: 'approval',
      processDefinitionName: 'Approval',
      processDefinitionVersion: 1,
      startTime: expect.stringMatching(/\+0000$/),
      endTime: expect.stringMatching(/\+0000$/),
      removalTime: null,
      durationInMillis: expect.any(Number),
      startUserId: null,
      startActivityId: 'approvalStart',
      deleteReason: null,
      rootProcessInstanceId: completed,
      superProcessInstanceId: null,
      superCaseInstanceId: null,
      caseInstanceId: null,
      tenantId: null,
      state: 'COMPLETED',
      restartedProcessInstanceId: null,
    });
    expect(response.body.durationInMillis).toBeGreaterThanOrEqual(0);
    const missing = await processes('/nope').expect(404);
    expect(missing.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Historic process instance with id nope does not exist',
      code: null,
    });
  });

  it('reports each instance’s state: running, suspended, completed, deleted', async () => {
    const all = (await processes('?sortBy=businessKey&sortOrder=asc').expect(200)).body as Historic[];
    expect(all.map((instance) => [instance.businessKey, instance.state])).toEqual([
      ['H-completed', 'COMPLETED'],
      ['H-deleted', 'EXTERNALLY_TERMINATED'],
      ['H-interrupted', 'ACTIVE'],
      ['H-running', 'ACTIVE'],
      ['H-suspended', 'SUSPENDED'],
    ]);
    expect((await processes(`/${deleted}`).expect(200)).body).toMatchObject({
      deleteReason: 'obsolete',
      endTime: expect.any(String),
    });
    expect((await processes(`/${running}`).expect(200)).body).toMatchObject({
      endTime: null,
      durationInMillis: null,
    });
  });

  it('filters process instances by state, end, key, ids and dates', async () => {
    expect(keys((await processes('?state=SUSPENDED').expect(200)).body)).toEqual(['H-suspended']);
    expect(keys((await processes('?completed=true').expect(200)).body)).toEqual(['H-completed']);
    expect(keys((await processes('?externallyTerminated=true').expect(200)).body)).toEqual(['H-deleted']);
    expect((await processes('/count?active=true').expect(200)).body).toEqual({ count: 2 });
    expect((await processes('/count?finished=true').expect(200)).body).toEqual({ count: 2 });
    expect((await processes('/count?unfinished=true').expect(200)).body).toEqual({ count: 3 });
    expect((await processes('/count?processDefinitionKey=approval').expect(200)).body).toEqual({ count: 3 });
    expect(keys((await processes('?processInstanceBusinessKey=H-running').expect(200)).body)).toEqual([
      'H-running',
    ]);
    const two = `${completed},${deleted}`;
    expect((await processes(`/count?processInstanceIds=${two}`).expect(200)).body).toEqual({ count: 2 });
    expect((await processes(`/count?processInstanceId=${running}`).expect(200)).body).toEqual({ count: 1 });

    const end = (await processes(`/${completed}`).expect(200)).body.endTime as string;
    const at = encodeURIComponent(end);
    expect(keys((await processes(`?finishedAfter=${at}&finishedBefore=${at}`).expect(200)).body)).toEqual([
      'H-completed',
    ]);
    const past = encodeURIComponent('2001-01-01T00:00:00.000+0000');
    expect((await processes(`/count?startedAfter=${past}`).expect(200)).body).toEqual({ count: 5 });
    expect((await processes(`/count?startedBefore=${past}`).expect(200)).body).toEqual({ count: 0 });
    expect((await processes('/count?tenantIdIn=acme').expect(200)).body).toEqual({ count: 0 });
  });

  it('sorts and pages process instances, and rejects bad parameters', async () => {
    const byDuration = (await processes('?finished=true&sortBy=duration&sortOrder=desc').expect(200)).body;
    expect(byDuration).toHaveLength(2);
    const page = await processes('?sortBy=businessKey&sortOrder=desc&firstResult=1&maxResults=2').expect(200);
    expect(keys(page.body)).toEqual(['H-running', 'H-interrupted']);
    const twoStates = await processes('?completed=true&state=ACTIVE').expect(400);
    expect(twoStates.body.message).toBe('Already querying for historic process instance with another state');
    await processes('?state=SLEEPING').expect(400);
    await processes('?sortBy=name&sortOrder=asc').expect(400);
    await processes('?startedAfter=yesterday').expect(400);
  });

  it('lists an instance’s activities in order, in Camunda’s HistoricActivityInstanceDto shape', async () => {
    const list = await activities(`?processInstanceId=${completed}&sortBy=occurrence&sortOrder=asc`).expect(
      200,
    );
    expect(list.body.map((a: HistoricActivity) => [a.activityId, a.activityType, a.completeScope])).toEqual([
      ['approvalStart', 'startEvent', false],
      ['approved', 'intermediateMessageCatch', false],
      ['approvalEnd', 'noneEndEvent', true],
    ]);
    expect(list.body[1]).toEqual({
      id: expect.stringMatching(/^approved:/),
      parentActivityInstanceId: completed,
      activityId: 'approved',
      activityName: 'Approved',
      activityType: 'intermediateMessageCatch',
      processDefinitionKey: 'approval',
      processDefinitionId: expect.stringMatching(/^approval:1:/),
      processInstanceId: completed,
      executionId: expect.any(String),
      taskId: null,
      calledProcessInstanceId: null,
      calledCaseInstanceId: null,
      assignee: null,
      startTime: expect.stringMatching(/\+0000$/),
      endTime: expect.stringMatching(/\+0000$/),
      durationInMillis: expect.any(Number),
      canceled: false,
      completeScope: false,
      tenantId: null,
      removalTime: null,
      rootProcessInstanceId: completed,
    });
    const reversed = await activities(`?processInstanceId=${completed}&sortBy=occurrence&sortOrder=desc`);
    expect(reversed.body.map((a: HistoricActivity) => a.activityId)).toEqual([
      'approvalEnd',
      'approved',
      'approvalStart',
    ]);
  });

  it('filters activity instances by state, type and activity', async () => {
    const canceled = (await activities('?canceled=true').expect(200)).body as HistoricActivity[];
    expect(canceled.map((a) => a.activityId).sort()).toEqual(['approved', 'work']);
    const open = (await activities(`?processInstanceId=${interrupted}&unfinished=true`).expect(200)).body;
    expect(open.map((a: HistoricActivity) => a.activityId)).toEqual(['cleanUp']);
    expect((await activities('/count?completeScope=true').expect(200)).body).toEqual({ count: 1 });
    expect((await activities('/count?activityType=boundaryMessage').expect(200)).body).toEqual({ count: 1 });
    expect((await activities(`/count?activityId=approved&finished=true`).expect(200)).body).toEqual({
      count: 2,
    });
    const task = (await activities(`?processInstanceId=${interrupted}&activityId=work`).expect(200)).body[0];
    expect(task).toMatchObject({ activityType: 'userTask', taskId: expect.any(String), canceled: true });
    const one = (await activities(`?activityInstanceId=${task.id}`).expect(200)).body;
    expect(one).toEqual([task]);
    await activities('?sortBy=name&sortOrder=asc').expect(400);
    await activities('?canceled=perhaps').expect(400);
  });
});
