import request from 'supertest';
import { modifyInstance } from '@libs/engine';
import { startTestStack, type TestStack } from '../support/test-stack';
import { deployVersions, startById, taskIn } from '../support/migration';

/** The REST contract of `/migration/*`: shapes, Camunda's errors, atomicity and the operation log. */
describe('/migration contract', () => {
  let stack: TestStack;
  let v1: string;
  let v2: string;
  const api = () => request(stack.app);
  const plan = (instructions: Array<[string, string]>, extra: object = {}) => ({
    sourceProcessDefinitionId: v1,
    targetProcessDefinitionId: v2,
    instructions: instructions.map(([s, t]) => ({ sourceActivityIds: [s], targetActivityIds: [t] })),
    ...extra,
  });
  const definitionOf = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}`).expect(200)).body.definitionId as string;

  beforeAll(async () => {
    stack = await startTestStack();
    ({ v1, v2 } = await deployVersions(stack.app, 'fork', 'forkContract'));
  });
  afterAll(async () => {
    await stack.close();
  });

  it('generates the plan of equal activities', async () => {
    const response = await api()
      .post('/engine-rest/migration/generate')
      .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
      .expect(200);
    expect(response.body).toEqual({
      sourceProcessDefinitionId: v1,
      targetProcessDefinitionId: v2,
      instructions: expect.arrayContaining([
        { sourceActivityIds: ['taskA'], targetActivityIds: ['taskA'], updateEventTrigger: false },
        { sourceActivityIds: ['join'], targetActivityIds: ['join'], updateEventTrigger: false },
      ]),
      variables: null,
    });
    const sources = response.body.instructions.map(
      (i: { sourceActivityIds: string[] }) => i.sourceActivityIds[0],
    );
    expect(sources).not.toContain('taskB');
  });

  it('answers unknown and missing definitions as Camunda does', async () => {
    const unknownDefinition = await api()
      .post('/engine-rest/migration/generate')
      .send({ sourceProcessDefinitionId: 'nope:1:x', targetProcessDefinitionId: v2 })
      .expect(400);
    expect(unknownDefinition.body).toEqual({
      type: 'InvalidRequestException',
      message: "ENGINE-23008 Source process definition with id 'nope:1:x' does not exist",
      code: 0,
    });
    const missing = await api()
      .post('/engine-rest/migration/validate')
      .send({ sourceProcessDefinitionId: v1, instructions: [] })
      .expect(400);
    expect(missing.body).toMatchObject({
      type: 'InvalidRequestException',
      message: 'Target process definition id is null',
    });
  });

  it('validates a plan with 200, valid or not', async () => {
    const valid = await api()
      .post('/engine-rest/migration/validate')
      .send(plan([['taskA', 'taskA']]))
      .expect(200);
    expect(valid.body).toEqual({ instructionReports: [], variableReports: {} });
    const invalid = await api()
      .post('/engine-rest/migration/validate')
      .send(plan([['taskA', 'nowhere']]))
      .expect(200);
    expect(invalid.body).toEqual({
      instructionReports: [
        {
          instruction: {
            sourceActivityIds: ['taskA'],
            targetActivityIds: ['nowhere'],
            updateEventTrigger: false,
          },
          failures: ["Target activity 'nowhere' does not exist"],
        },
      ],
      variableReports: {},
    });
  });

  it('refuses bad requests with 400 naming the field, never a 500', async () => {
    const noPlan = await api()
      .post('/engine-rest/migration/execute')
      .send({ processInstanceIds: ['x'] })
      .expect(400);
    expect(noPlan.body).toMatchObject({
      type: 'InvalidRequestException',
      message: expect.stringContaining('migrationPlan'),
    });
    const noSource = await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: { ...plan([]), instructions: [{ targetActivityIds: ['taskA'] }] },
        processInstanceIds: ['x'],
      })
      .expect(400);
    expect(noSource.body.message).toContain('sourceActivityIds');
    const invalidPlan = await api()
      .post('/engine-rest/migration/execute')
      .send({ migrationPlan: plan([['taskA', 'nowhere']]), processInstanceIds: ['x'] })
      .expect(400);
    expect(invalidPlan.body).toMatchObject({
      type: 'MigrationPlanValidationException',
      message: expect.stringMatching(/^ENGINE-23001 Migration plan for process definition/),
      validationReport: { instructionReports: [expect.objectContaining({ failures: expect.any(Array) })] },
    });
  });

  it('refuses an empty selection and a null id with Camunda’s messages', async () => {
    for (const path of ['execute', 'executeAsync']) {
      const empty = await api()
        .post(`/engine-rest/migration/${path}`)
        .send({
          migrationPlan: plan([['taskA', 'taskA']]),
          processInstanceQuery: { processDefinitionId: 'none' },
        })
        .expect(400);
      expect(empty.body).toEqual({
        type: 'BadUserRequestException',
        message: 'Process instance ids cannot empty: process instance ids is empty',
        code: 0,
      });
      const withNull = await api()
        .post(`/engine-rest/migration/${path}`)
        .send({ migrationPlan: plan([['taskA', 'taskA']]), processInstanceIds: [null] })
        .expect(400);
      expect(withNull.body.message).toBe(
        'Process instance ids cannot be null: process instance ids contains null value',
      );
    }
  });

  it('migrates all selected instances in one transaction: one failing instance changes nothing', async () => {
    const failing = await startById(stack.app, v1);
    const passing = await startById(stack.app, v1);
    const other = await startById(stack.app, v1);
    // `passing` waits in taskA only, which the plan maps; `failing` also waits in the unmapped taskB.
    await stack.services.runtime.update(passing, (model, state, ctx) =>
      modifyInstance(model, state, { instructions: [{ type: 'cancel', activityId: 'taskB' }] }, ctx),
    );
    const refused = await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: plan([['taskA', 'taskA']]),
        processInstanceIds: [passing, failing],
        processInstanceQuery: { processInstanceIds: [other] },
      })
      .expect(400);
    expect(refused.body).toMatchObject({
      type: 'MigratingProcessInstanceValidationException',
      validationReport: { processInstanceId: failing },
    });
    for (const id of [failing, passing, other]) expect(await definitionOf(id)).toBe(v1);

    const ghost = await api()
      .post('/engine-rest/migration/execute')
      .send({ migrationPlan: plan([['taskA', 'taskA']]), processInstanceIds: [passing, 'ghost'] })
      .expect(400);
    expect(ghost.body).toEqual({
      type: 'ProcessEngineException',
      message:
        "ENGINE-23003 Process instance 'ghost' cannot be migrated. The process instance does not exist",
      code: 0,
    });
    expect(await definitionOf(passing)).toBe(v1);
    // Refused migrations logged nothing.
    const logged = await api().get(`/engine-rest/history/user-operation/count?processDefinitionId=${v1}`);
    expect(logged.body.count).toBe(0);

    // The union with the query is de-duplicated; every instance moves.
    await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: plan(
          [
            ['taskA', 'taskA'],
            ['taskB', 'taskC'],
          ],
          { variables: { a: { value: 1, type: 'Integer' } } },
        ),
        processInstanceIds: [failing, passing, other],
        processInstanceQuery: { processInstanceIds: [failing, other] },
      })
      .expect(204);
    for (const id of [failing, passing, other]) expect(await definitionOf(id)).toBe(v2);
    expect((await taskIn(stack, failing, 'taskC')).taskDefinitionKey).toBe('taskC');

    const log = await api()
      .get(`/engine-rest/history/user-operation?operationType=Migrate&processDefinitionId=${v1}`)
      .expect(200);
    expect(log.body).toHaveLength(4);
    expect(new Set(log.body.map((e: { operationId: string }) => e.operationId)).size).toBe(1);
    const byProperty = Object.fromEntries(log.body.map((e: { property: string }) => [e.property, e]));
    expect(byProperty).toMatchObject({
      processDefinitionId: {
        orgValue: v1,
        newValue: v2,
        entityType: 'ProcessInstance',
        category: 'Operator',
      },
      nrOfInstances: { newValue: '3' },
      nrOfSetVariables: { newValue: '1' },
      async: { newValue: 'false' },
    });
    expect(log.body[0]).toMatchObject({
      processDefinitionKey: 'forkContract',
      userId: null,
      timestamp: expect.any(String),
    });
  });

  it('answers an unknown or missing definition and a bad plan variable of an execution as Camunda does', async () => {
    for (const path of ['execute', 'executeAsync']) {
      const execution = (migrationPlan: object) =>
        api()
          .post(`/engine-rest/migration/${path}`)
          .send({ migrationPlan, processInstanceIds: ['x'] });
      const unknown = await execution({
        ...plan([['taskA', 'taskA']]),
        sourceProcessDefinitionId: 'nope:1:x',
      }).expect(400);
      expect(unknown.body).toEqual({
        type: 'InvalidRequestException',
        message: "ENGINE-23008 Source process definition with id 'nope:1:x' does not exist",
        code: 0,
      });
      const missing = await execution({
        ...plan([['taskA', 'taskA']]),
        targetProcessDefinitionId: null,
      }).expect(400);
      expect(missing.body).toEqual({
        type: 'InvalidRequestException',
        message: 'Target process definition id is null',
        code: 0,
      });
      const badVariable = await execution(
        plan([['taskA', 'taskA']], { variables: { amount: { value: 'lots', type: 'Integer' } } }),
      ).expect(400);
      expect(badVariable.body).toEqual({
        type: 'InvalidRequestException',
        message: expect.stringContaining("Cannot convert value 'lots' of type 'Integer'"),
        code: 0,
      });
    }
  });
});
