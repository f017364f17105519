import request from 'supertest';
import { restVariables } from '../support/instances';
import {
  calledBy,
  calleeProcess,
  callingProcess,
  completeOnlyTask,
  deployProcesses,
} from '../support/call-activities';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * A parallel multi-instance call activity over a collection: one called instance per element (with its
 * element variable passed in), the body in the caller's tree, and the caller moving on once every called
 * instance has ended.
 */
describe('a multi-instance call activity', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('calls one instance per element and continues when all have ended', async () => {
    await deployProcesses(stack.app, {
      callee: calleeProcess('miCallee'),
      caller: callingProcess(
        'miCaller',
        `<callActivity id="call" calledElement="miCallee">
          <extensionElements><camunda:in source="reviewer" target="reviewer" /></extensionElements>
          <multiInstanceLoopCharacteristics camunda:collection="reviewers" camunda:elementVariable="reviewer" />
        </callActivity>`,
      ),
    });
    const started = await request(stack.app)
      .post('/engine-rest/process-definition/key/miCaller/start')
      .send({ variables: { reviewers: { value: '["ann","bob","cy"]', type: 'Json' } } })
      .expect(200);
    const id = started.body.id as string;

    const called = await calledBy(stack.app, id);
    expect(called).toHaveLength(3);
    const tree = (
      await request(stack.app).get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)
    ).body;
    expect(tree.childActivityInstances).toHaveLength(1);
    expect(tree.childActivityInstances[0]).toMatchObject({
      activityId: 'call#multiInstanceBody',
      activityType: 'multiInstanceBody',
    });
    expect(
      tree.childActivityInstances[0].childActivityInstances.map(
        (child: { activityType: string }) => child.activityType,
      ),
    ).toEqual(['callActivity', 'callActivity', 'callActivity']);
    const reviewers = await Promise.all(
      called.map(
        async (instance) =>
          (
            await request(stack.app)
              .get(`/engine-rest/process-instance/${instance.id}/variables/reviewer`)
              .expect(200)
          ).body.value,
      ),
    );
    expect(reviewers.sort()).toEqual(['ann', 'bob', 'cy']);

    for (const instance of called)
      await completeOnlyTask(stack.app, instance.id, restVariables({ done: true }));

    expect(await calledBy(stack.app, id)).toEqual([]);
    const tasks = (await request(stack.app).get(`/engine-rest/task?processInstanceId=${id}`).expect(200))
      .body;
    expect(tasks.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).toEqual(['afterCall']);
  });
});
