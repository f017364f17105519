import request from 'supertest';
import { deployVersions } from '../support/migration';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface TaskJson {
  id: string;
  taskDefinitionKey: string;
  assignee: string | null;
}

/** `camunda:inputOutput` and `camunda:initiator` through the REST API, with real MySQL. */
describe('input/output mappings over REST', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const start = async (variables: object) =>
    (await api().post('/engine-rest/process-definition/key/io/start').send({ variables }).expect(200)).body
      .id as string;
  const owner = { owner: { value: 'anna', type: 'String' }, amount: { value: 50, type: 'Integer' } };
  const tasks = async (id: string) =>
    (await api().get(`/engine-rest/task?processInstanceId=${id}`).expect(200)).body as TaskJson[];
  const taskOf = async (id: string, key: string) =>
    (await tasks(id)).find((t) => t.taskDefinitionKey === key)!;
  const instanceVariables = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body as Record<
      string,
      { value: unknown; type: string }
    >;
  const taskVariables = async (taskId: string) =>
    (await api().get(`/engine-rest/task/${taskId}/variables`).expect(200)).body as Record<
      string,
      { value: unknown; type: string }
    >;
  const complete = (taskId: string, variables: object = {}) =>
    api().post(`/engine-rest/task/${taskId}/complete`).send({ variables }).expect(204);

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'io.bpmn', content: fixture('input-output.bpmn') }]).expect(200);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('gives a user task its inputs as local variables, seen by the task but not by the instance', async () => {
    const id = await start(owner);
    const review = await taskOf(id, 'review');

    expect(review.assignee).toBe('anna');
    expect(await taskVariables(review.id)).toMatchObject({
      reviewer: { value: 'anna', type: 'String' },
      note: { value: 'Checked by anna', type: 'String' },
      // A camunda:list is stored as a Json value, which REST shows as its JSON text.
      checks: { value: '["spelling",50,{"depth":"full"}]', type: 'Json' },
      nothing: { value: null, type: 'Null' },
    });
    const visible = await instanceVariables(id);
    expect(Object.keys(visible).sort()).toEqual(['amount', 'owner', 'starter']);
  });

  it('writes the outputs to the instance when the task completes, then maps the sub-process in and out', async () => {
    const id = await start(owner);
    await complete((await taskOf(id, 'review')).id, { decision: { value: 'approved', type: 'String' } });

    expect((await instanceVariables(id))['verdict']).toMatchObject({ value: 'approved by anna' });
    const spend = await taskOf(id, 'spend');
    expect((await taskVariables(spend.id))['budget']).toMatchObject({ value: 100, type: 'Integer' });
    expect((await instanceVariables(id))['budget']).toBeUndefined();

    await complete(spend.id, { cost: { value: 30, type: 'Integer' } });
    const history = await api().get(`/engine-rest/history/process-instance/${id}`).expect(200);
    expect(history.body.state).toBe('COMPLETED');
  });

  it('runs the inputs of an activity started by modification, unless skipIoMappings', async () => {
    const id = await start({ ...owner, reviewer: { value: 'boss', type: 'String' } });
    const modify = (skipIoMappings: boolean) =>
      api()
        .post(`/engine-rest/process-instance/${id}/modification`)
        .send({ skipIoMappings, instructions: [{ type: 'startBeforeActivity', activityId: 'review' }] })
        .expect(204);

    await modify(false);
    await modify(true);

    const assignees = (await tasks(id)).map((task) => task.assignee).sort();
    // The first two ran their input (reviewer = owner); the skipped one reads the process variable.
    expect(assignees).toEqual(['anna', 'anna', 'boss']);
  });

  it('runs the outputs of an activity cancelled by modification, unless skipIoMappings', async () => {
    const withDecision = { ...owner, decision: { value: 'dropped', type: 'String' } };
    const [mapped, skipped] = [await start(withDecision), await start(withDecision)];
    for (const [id, skipIoMappings] of [
      [mapped, false],
      [skipped, true],
    ] as const) {
      await api()
        .post(`/engine-rest/process-instance/${id}/modification`)
        .send({
          skipIoMappings,
          instructions: [
            { type: 'cancel', activityId: 'review' },
            { type: 'startAfterActivity', activityId: 'review' },
          ],
        })
        .expect(204);
    }

    expect((await instanceVariables(mapped))['verdict']).toMatchObject({ value: 'dropped by anna' });
    expect((await instanceVariables(skipped))['verdict']).toBeUndefined();
  });

  it('refuses a script parameter at deployment, naming the element and its line', async () => {
    const scripted = fixture('input-output.bpmn')
      .replace('id="io"', 'id="ioScripted"')
      .replace(
        '<camunda:inputParameter name="nothing" />',
        '<camunda:inputParameter name="nothing"><camunda:script scriptFormat="groovy">1</camunda:script></camunda:inputParameter>',
      );

    const response = await deploy(stack.app, [{ name: 'scripted.bpmn', content: scripted }]).expect(400);

    expect(response.body.type).toBe('ParseException');
    expect(response.body.details['scripted.bpmn'].errors).toEqual([
      expect.objectContaining({
        mainBpmnElementId: 'review',
        line: 6,
        message:
          "Script parameters are not supported: camunda:inputParameter 'nothing' of <userTask> 'review' has a camunda:script",
      }),
    ]);
  });

  describe('migration into a new sub-process with an input mapping', () => {
    let v1: string;
    let v2: string;
    beforeAll(async () => {
      ({ v1, v2 } = await deployVersions(stack.app, 'budget', 'budgetIo'));
    });
    const migrate = async (skipIoMappings: boolean) => {
      const id = (
        await api()
          .post(`/engine-rest/process-definition/${v1}/start`)
          .send({ variables: { amount: { value: 50, type: 'Integer' } } })
          .expect(200)
      ).body.id as string;
      await api()
        .post('/engine-rest/migration/execute')
        .send({
          migrationPlan: {
            sourceProcessDefinitionId: v1,
            targetProcessDefinitionId: v2,
            instructions: [{ sourceActivityIds: ['spend'], targetActivityIds: ['spend'] }],
          },
          processInstanceIds: [id],
          skipIoMappings,
        })
        .expect(204);
      return taskVariables((await taskOf(id, 'spend')).id);
    };

    it('runs the input mapping of the new scope and none of the migrated task', async () => {
      const visible = await migrate(false);

      expect(visible['budget']).toMatchObject({ value: 100, type: 'Integer' });
      expect(visible['limit']).toMatchObject({ value: 50 });
      expect(visible['ceiling']).toBeUndefined();
    });

    it('skips it with skipIoMappings', async () => {
      const visible = await migrate(true);

      expect(visible['budget']).toBeUndefined();
      expect(visible['limit']).toMatchObject({ value: 50 });
    });
  });
});

describe('camunda:initiator over REST', () => {
  const startWith = async (stack: TestStack, auth?: [string, string]) => {
    let upload = deploy(stack.app, [{ name: 'io.bpmn', content: fixture('input-output.bpmn') }]);
    if (auth) upload = upload.auth(...auth);
    await upload.expect(200);
    let call = request(stack.app).post('/engine-rest/process-definition/key/io/start');
    if (auth) call = call.auth(...auth);
    const id = (
      await call
        .send({ variables: { owner: { value: 'x', type: 'String' }, amount: { value: 1, type: 'Integer' } } })
        .expect(200)
    ).body.id as string;
    let read = request(stack.app).get(`/engine-rest/process-instance/${id}/variables/starter`);
    if (auth) read = read.auth(...auth);
    return (await read.expect(200)).body as { value: unknown; type: string };
  };

  it('sets the initiator variable to the Basic-auth user', async () => {
    const stack = await startTestStack({ env: { BASIC_AUTH_USERS: 'demo:s3cret' } });
    try {
      expect(await startWith(stack, ['demo', 's3cret'])).toMatchObject({ value: 'demo', type: 'String' });
    } finally {
      await stack.close();
    }
  });

  it('sets it to null for an anonymous start', async () => {
    const stack = await startTestStack();
    try {
      expect(await startWith(stack)).toMatchObject({ value: null, type: 'Null' });
    } finally {
      await stack.close();
    }
  });
});
