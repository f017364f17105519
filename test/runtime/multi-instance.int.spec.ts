import request from 'supertest';
import { deployVersions, historyPath } from '../support/migration';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

interface ActivityInstanceJson {
  id: string;
  activityId: string;
  activityType: string;
  parentActivityInstanceId: string;
  childActivityInstances: ActivityInstanceJson[];
}

interface TaskJson {
  id: string;
  taskDefinitionKey: string;
  assignee: string | null;
  name: string;
}

/**
 * Multi-instance activities over REST with real MySQL and workers: the `reviews` fixture runs a
 * parallel multi-instance user task `review` over `reviewers` (element `reviewer`, the assignee).
 */
describe('multi-instance activities over REST', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  let versions: { v1: string; v2: string };
  const api = () => request(stack.app);
  const reviewers = (...names: string[]) => ({
    reviewers: { value: JSON.stringify(names), type: 'Json' },
  });
  const start = async (definitionId: string, names: string[]) =>
    (
      await api()
        .post(`/engine-rest/process-definition/${definitionId}/start`)
        .send({ variables: reviewers(...names) })
        .expect(200)
    ).body.id as string;
  const tree = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200))
      .body as ActivityInstanceJson;
  const tasks = async (id: string) =>
    (await api().get(`/engine-rest/task?processInstanceId=${id}&sortBy=assignee&sortOrder=asc`).expect(200))
      .body as TaskJson[];
  const complete = (taskId: string) =>
    api().post(`/engine-rest/task/${taskId}/complete`).send({}).expect(204);
  const taskVariables = async (taskId: string) =>
    (await api().get(`/engine-rest/task/${taskId}/variables`).expect(200)).body as Record<string, object>;
  const bodyOf = async (id: string) => (await tree(id)).childActivityInstances[0]!;

  beforeAll(async () => {
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '5', BATCH_POLL_TIME_MS: '60000' } });
    stopWorker = await startTestWorker(stack);
    versions = await deployVersions(stack.app, 'reviews', 'reviewsRest');
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('shows the body with its inner instances, one task per reviewer, and history for both', async () => {
    const id = await start(versions.v1, ['ann', 'bob', 'cid']);

    const body = await bodyOf(id);
    expect(body).toMatchObject({
      activityId: 'review#multiInstanceBody',
      activityType: 'multiInstanceBody',
      parentActivityInstanceId: id,
    });
    expect(body.childActivityInstances.map((child) => [child.activityId, child.activityType])).toEqual([
      ['review', 'userTask'],
      ['review', 'userTask'],
      ['review', 'userTask'],
    ]);
    expect(body.childActivityInstances.every((child) => child.parentActivityInstanceId === body.id)).toBe(
      true,
    );
    expect((await tasks(id)).map((task) => task.assignee)).toEqual(['ann', 'bob', 'cid']);
    const byActivity = await api().get(`/engine-rest/process-instance?activityIdIn=review`).expect(200);
    expect(byActivity.body.map((instance: { id: string }) => instance.id)).toContain(id);
    const bob = (await tasks(id))[1]!;
    expect(await taskVariables(bob.id)).toEqual({
      reviewers: { value: '["ann","bob","cid"]', type: 'Json', valueInfo: {} },
      nrOfInstances: { value: 3, type: 'Integer', valueInfo: {} },
      nrOfActiveInstances: { value: 3, type: 'Integer', valueInfo: {} },
      nrOfCompletedInstances: { value: 0, type: 'Integer', valueInfo: {} },
      loopCounter: { value: 1, type: 'Integer', valueInfo: {} },
      reviewer: { value: 'bob', type: 'String', valueInfo: {} },
    });

    for (const task of await tasks(id)) await complete(task.id);

    expect((await tree(id)).childActivityInstances.map((child) => child.activityId)).toEqual(['publish']);
    expect(await historyPath(stack.app, id)).toEqual([
      'start',
      'review#multiInstanceBody',
      'review',
      'review',
      'review',
      'publish',
    ]);
    const historic = await api()
      .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&activityType=multiInstanceBody`)
      .expect(200);
    expect(historic.body).toEqual([
      expect.objectContaining({ activityId: 'review#multiInstanceBody', endTime: expect.any(String) }),
    ]);
  });

  it('adds an inner instance by modification and refuses an ambiguous body', async () => {
    const id = await start(versions.v1, ['ann']);
    const modify = (instructions: object[]) =>
      api().post(`/engine-rest/process-instance/${id}/modification`).send({ instructions });

    // As in Camunda, an added inner instance gets no element variable: the instruction passes one.
    const unassignable = await modify([{ type: 'startBeforeActivity', activityId: 'review' }]);
    expect(unassignable.body.message).toContain("Cannot resolve identifier 'reviewer'");
    const zed = { reviewer: { value: 'zed', type: 'String', local: true } };
    await modify([{ type: 'startBeforeActivity', activityId: 'review', variables: zed }]).expect(204);
    expect((await bodyOf(id)).childActivityInstances).toHaveLength(2);
    const added = (await tasks(id)).find((task) => task.assignee === 'zed')!;
    expect(await taskVariables(added.id)).toMatchObject({
      loopCounter: { value: 1, type: 'Integer' },
      nrOfInstances: { value: 2, type: 'Integer' },
      nrOfActiveInstances: { value: 2, type: 'Integer' },
    });
    await modify([{ type: 'startBeforeActivity', activityId: 'review#multiInstanceBody' }]).expect(204);
    expect((await tree(id)).childActivityInstances).toHaveLength(2);

    const ambiguous = await modify([{ type: 'startBeforeActivity', activityId: 'review' }]);
    expect(ambiguous.body.message).toContain(
      'Ancestor activity execution is ambiguous for activity Activity(review#multiInstanceBody)',
    );
    const body = await bodyOf(id);
    await modify([{ type: 'cancel', activityInstanceId: body.id }]).expect(204);
    expect((await tree(id)).childActivityInstances).toHaveLength(1);
  });

  it('migrates a waiting body with its inner instances and counters, synchronously and in a batch', async () => {
    const first = await start(versions.v1, ['ann', 'bob']);
    await complete((await tasks(first))[0]!.id);
    const others = [await start(versions.v1, ['cid', 'dan']), await start(versions.v1, ['eve'])];
    const before = await tree(first);
    const plan = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: versions.v1, targetProcessDefinitionId: versions.v2 })
        .expect(200)
    ).body;
    expect(
      plan.instructions.map((i: { sourceActivityIds: string[] }) => i.sourceActivityIds[0]).sort(),
    ).toEqual(['publish', 'review', 'review#multiInstanceBody']);

    await api()
      .post('/engine-rest/migration/execute')
      .send({ migrationPlan: plan, processInstanceIds: [first] })
      .expect(204);
    const after = await tree(first);
    expect(after.childActivityInstances[0]!.id).toBe(before.childActivityInstances[0]!.id);
    expect(after.childActivityInstances[0]!.childActivityInstances.map((c) => c.id)).toEqual(
      before.childActivityInstances[0]!.childActivityInstances.map((c) => c.id),
    );
    const [open] = await tasks(first);
    expect(await taskVariables(open!.id)).toMatchObject({
      nrOfCompletedInstances: { value: 1 },
      nrOfActiveInstances: { value: 1 },
      loopCounter: { value: 1 },
      reviewer: { value: 'bob' },
    });

    const batch = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({ migrationPlan: plan, processInstanceIds: others })
      .expect(200);
    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/${batch.body.id}`)).status === 404,
      60_000,
    );
    for (const id of others) {
      const instance = await api().get(`/engine-rest/process-instance/${id}`).expect(200);
      expect(instance.body.definitionId).toBe(versions.v2);
    }
    await complete((await tasks(others[1]!))[0]!.id);
    expect((await tree(others[1]!)).childActivityInstances.map((c) => c.activityId)).toEqual(['publish']);
  });

  it('refuses a plan that maps the body without its inner activity', async () => {
    const response = await api()
      .post('/engine-rest/migration/validate')
      .send({
        sourceProcessDefinitionId: versions.v1,
        targetProcessDefinitionId: versions.v2,
        instructions: [
          {
            sourceActivityIds: ['review#multiInstanceBody'],
            targetActivityIds: ['review#multiInstanceBody'],
          },
        ],
      })
      .expect(200);
    expect(response.body.instructionReports[0].failures).toEqual([
      'Must map the inner activity of a multi-instance body when the body is mapped',
      'Cannot remove the inner activity of a multi-instance body when the body is mapped',
    ]);
  });
});
