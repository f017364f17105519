import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

const XML = (key: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://example.com">
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review">
      <bpmn:extensionElements>
        <camunda:inputOutput>
          <camunda:inputParameter name="reviewer">ann</camunda:inputParameter>
        </camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="approve" />
    <bpmn:userTask id="approve" />
    <bpmn:sequenceFlow id="f3" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const CAMUNDA_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/;

interface HistoricVariable {
  id: string;
  name: string;
  type: string;
  value: unknown;
  state: string;
  processDefinitionId: string;
  activityInstanceId: string;
  executionId: string;
}

interface Detail {
  id: string;
  variableName: string;
  variableInstanceId: string;
  variableType: string;
  value: unknown;
  revision: number;
  initial: boolean;
  processDefinitionId: string;
}

/**
 * Variable history through HTTP: variable instances (created, updated, deleted; local ones of a task
 * scope) and their details, with Camunda's filters, sorting, paging and counts, kept after the instance
 * ends and removed with the instance's history or a cascading deployment deletion.
 */
describe('variable history', () => {
  let stack: TestStack;
  let instanceId: string;
  let definitionId: string;
  let deploymentId: string;
  const rest = () => request(stack.app);

  const variables = async (query: string): Promise<HistoricVariable[]> =>
    (await rest().get(`/engine-rest/history/variable-instance?${query}`).expect(200)).body;
  const variableCount = async (query: string): Promise<number> =>
    (await rest().get(`/engine-rest/history/variable-instance/count?${query}`).expect(200)).body.count;
  const details = async (query: string): Promise<Detail[]> =>
    (await rest().get(`/engine-rest/history/detail?${query}`).expect(200)).body;
  const detailCount = async (query: string): Promise<number> =>
    (await rest().get(`/engine-rest/history/detail/count?${query}`).expect(200)).body.count;
  const variableNamed = async (name: string) =>
    (await variables(`processInstanceId=${instanceId}&variableName=${name}&includeDeleted=true`))[0]!;
  const completeTaskOf = async (activityId: string) => {
    const [task] = (
      await rest().get(`/engine-rest/task?processInstanceId=${instanceId}&taskDefinitionKey=${activityId}`)
    ).body as Array<{ id: string }>;
    await rest().post(`/engine-rest/task/${task!.id}/complete`).send({}).expect(204);
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const deployed = await deploy(stack.app, [{ name: 'vars.bpmn', content: XML('vars') }]).expect(200);
    deploymentId = deployed.body.id;
    definitionId = Object.keys(deployed.body.deployedProcessDefinitions)[0]!;
    instanceId = await startInstance(stack.app, 'vars', {
      variables: { amount: { value: 5, type: 'Integer' }, customer: { value: 'Acme' } },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists the start variables and the task scope’s local variable as Camunda renders them', async () => {
    const [review] = (
      await rest().get(
        `/engine-rest/history/activity-instance?processInstanceId=${instanceId}&activityId=review`,
      )
    ).body as Array<{ id: string; executionId: string }>;
    const listed = await variables(`processInstanceId=${instanceId}&sortBy=variableName&sortOrder=asc`);

    expect(listed.map((v) => v.name)).toEqual(['amount', 'customer', 'reviewer']);
    expect(listed[0]).toEqual({
      id: expect.any(String),
      name: 'amount',
      type: 'Integer',
      value: 5,
      valueInfo: {},
      processDefinitionKey: 'vars',
      processDefinitionId: definitionId,
      processInstanceId: instanceId,
      executionId: instanceId,
      activityInstanceId: instanceId,
      caseDefinitionKey: null,
      caseDefinitionId: null,
      caseInstanceId: null,
      caseExecutionId: null,
      taskId: null,
      tenantId: null,
      errorMessage: null,
      state: 'CREATED',
      createTime: expect.stringMatching(CAMUNDA_DATE),
      removalTime: null,
      rootProcessInstanceId: instanceId,
    });
    expect(listed[2]).toMatchObject({
      name: 'reviewer',
      value: 'ann',
      activityInstanceId: review!.id,
      executionId: review!.executionId,
    });
    const byId = await rest().get(`/engine-rest/history/variable-instance/${listed[0]!.id}`).expect(200);
    expect(byId.body).toEqual(listed[0]);
    await rest().get('/engine-rest/history/variable-instance/nope').expect(404, {
      type: 'InvalidRequestException',
      message: "Historic variable instance with Id 'nope' does not exist.",
      code: null,
    });
  });

  it('writes a detail per change: initial for the start variables, revision 0 when created', async () => {
    const all = await details(`processInstanceId=${instanceId}&sortBy=variableName&sortOrder=asc`);

    expect(all.map((d) => [d.variableName, d.revision, d.initial])).toEqual([
      ['amount', 0, true],
      ['customer', 0, true],
      ['reviewer', 0, false],
    ]);
    expect(all[0]).toEqual({
      type: 'variableUpdate',
      id: expect.any(String),
      processDefinitionKey: 'vars',
      processDefinitionId: definitionId,
      processInstanceId: instanceId,
      activityInstanceId: instanceId,
      executionId: instanceId,
      caseDefinitionKey: null,
      caseDefinitionId: null,
      caseInstanceId: null,
      caseExecutionId: null,
      taskId: null,
      tenantId: null,
      userOperationId: null,
      time: expect.stringMatching(CAMUNDA_DATE),
      variableName: 'amount',
      variableInstanceId: (await variableNamed('amount')).id,
      variableType: 'Integer',
      value: 5,
      valueInfo: {},
      revision: 0,
      errorMessage: null,
      removalTime: null,
      rootProcessInstanceId: instanceId,
      initial: true,
    });
    expect((await rest().get(`/engine-rest/history/detail/${all[0]!.id}`).expect(200)).body).toEqual(all[0]);
    await rest().get('/engine-rest/history/detail/nope').expect(404);
    expect(
      (await details(`processInstanceId=${instanceId}&initial=true`)).map((d) => d.variableName).sort(),
    ).toEqual(['amount', 'customer']);
  });

  it('records updates with rising revisions and deletions as DELETED, hidden unless asked for', async () => {
    const path = `/engine-rest/process-instance/${instanceId}/variables`;
    await rest().put(`${path}/amount`).send({ value: 7, type: 'Integer' }).expect(204);
    await rest().put(`${path}/amount`).send({ value: 9, type: 'Integer' }).expect(204);
    await rest()
      .post(path)
      .send({ modifications: { note: { value: 'Rush' } }, deletions: ['customer'] })
      .expect(204);
    await rest().delete(`${path}/note`).expect(204);

    const amount = await variableNamed('amount');
    expect(amount).toMatchObject({ value: 9, state: 'CREATED' });
    const amountDetails = await details(
      `variableInstanceId=${amount.id}&sortBy=variableRevision&sortOrder=asc`,
    );
    expect(amountDetails.map((d) => [d.value, d.revision, d.initial])).toEqual([
      [5, 0, true],
      [7, 1, false],
      [9, 2, false],
    ]);

    const customer = await variableNamed('customer');
    expect(customer).toMatchObject({ state: 'DELETED', value: 'Acme' });
    const customerDetails = await details(
      `variableInstanceId=${customer.id}&sortBy=occurrence&sortOrder=asc`,
    );
    expect(customerDetails.map((d) => [d.variableType, d.value, d.revision])).toEqual([
      ['String', 'Acme', 0],
      ['String', null, 1],
    ]);
    const note = await variableNamed('note');
    expect((await details(`variableInstanceId=${note.id}`)).map((d) => d.revision)).toEqual([0, 1]);

    expect((await variables(`processInstanceId=${instanceId}`)).map((v) => v.name).sort()).toEqual([
      'amount',
      'reviewer',
    ]);
    expect(await variableCount(`processInstanceId=${instanceId}&includeDeleted=true`)).toBe(4);
    await rest().get(`/engine-rest/history/variable-instance/${customer.id}`).expect(404);
  });

  it('filters variable instances as Camunda does', async () => {
    const base = `processInstanceId=${instanceId}`;
    const names = async (query: string) => (await variables(`${base}&${query}`)).map((v) => v.name).sort();
    const review = await variableNamed('reviewer');

    expect(await names('variableName=amount')).toEqual(['amount']);
    expect(await names('variableName=AMOUNT')).toEqual([]);
    expect(await names('variableName=AMOUNT&variableNamesIgnoreCase=true')).toEqual(['amount']);
    expect(await names('variableNameLike=%25e%25')).toEqual(['reviewer']);
    expect(await names('variableNameLike=%25E%25&variableNamesIgnoreCase=true')).toEqual(['reviewer']);
    expect(await names('variableNameIn=amount,reviewer,customer')).toEqual(['amount', 'reviewer']);
    expect(await names('variableName=reviewer&variableValue=ann')).toEqual(['reviewer']);
    expect(await names('variableName=reviewer&variableValue=ANN')).toEqual([]);
    expect(await names('variableName=reviewer&variableValue=ANN&variableValuesIgnoreCase=true')).toEqual([
      'reviewer',
    ]);
    // A GET value is a String, as in Camunda: it never equals the Integer 9.
    expect(await names('variableName=amount&variableValue=9')).toEqual([]);
    expect(await names('variableTypeIn=integer,boolean')).toEqual(['amount']);
    expect(await names(`activityInstanceIdIn=${review.activityInstanceId}`)).toEqual(['reviewer']);
    expect(await names(`executionIdIn=${instanceId}`)).toEqual(['amount']);
    expect(await names(`processDefinitionId=${definitionId}&processDefinitionKey=vars`)).toEqual([
      'amount',
      'reviewer',
    ]);
    expect(await names(`processInstanceIdIn=${instanceId},other`)).toEqual(['amount', 'reviewer']);
    expect(await names('withoutTenantId=true')).toEqual(['amount', 'reviewer']);
    expect(await names('tenantIdIn=acme')).toEqual([]);
    expect(await names('taskIdIn=some-task')).toEqual([]);

    const posted = await rest()
      .post('/engine-rest/history/variable-instance?maxResults=1')
      .send({
        processInstanceIdIn: [instanceId],
        includeDeleted: true,
        sorting: [{ sortBy: 'variableName', sortOrder: 'desc' }],
      })
      .expect(200);
    expect(posted.body.map((v: HistoricVariable) => v.name)).toEqual(['reviewer']);
    const byValue = await rest()
      .post('/engine-rest/history/variable-instance/count')
      .send({ processInstanceId: instanceId, variableName: 'amount', variableValue: 9 })
      .expect(200);
    expect(byValue.body).toEqual({ count: 1 });

    await rest().get(`/engine-rest/history/variable-instance?variableValue=9`).expect(400, {
      type: 'InvalidRequestException',
      message:
        'Only a single variable value parameter specified: variable name and value are required to be able to query after a specific variable value.',
      code: null,
    });
    await rest()
      .post('/engine-rest/history/variable-instance')
      .send({ variableName: 'amount', variableValue: { nested: true } })
      .expect(400);
    await rest().get('/engine-rest/history/variable-instance?sortBy=name&sortOrder=asc').expect(400);
    await rest().get('/engine-rest/history/variable-instance?sortBy=variableName').expect(400);
  });

  it('filters and sorts details as Camunda does', async () => {
    const base = `processInstanceId=${instanceId}`;
    expect(await detailCount(base)).toBe(8);
    expect(await detailCount(`${base}&variableTypeIn=Integer`)).toBe(3);
    expect(await detailCount(`${base}&variableNameLike=NOT%25`)).toBe(2);
    expect(await detailCount(`${base}&initial=true`)).toBe(2);
    expect(await detailCount(`${base}&occurredAfter=2999-01-01T00:00:00.000%2B0000`)).toBe(0);
    expect(await detailCount(`${base}&occurredBefore=2999-01-01T00:00:00.000%2B0000`)).toBe(8);
    expect(await detailCount(`${base}&variableUpdates=true&excludeTaskDetails=true`)).toBe(8);
    expect(await detailCount(`${base}&formFields=true`)).toBe(0);
    expect(await detailCount(`${base}&formFields=true&variableUpdates=true`)).toBe(8);
    expect(await detailCount(`${base}&taskId=some-task`)).toBe(0);
    expect(await detailCount(`processInstanceIdIn=${instanceId},other&withoutTenantId=true`)).toBe(8);
    expect(await detailCount(`${base}&tenantIdIn=acme`)).toBe(0);

    const review = await variableNamed('reviewer');
    expect(
      (
        await details(`activityInstanceId=${review.activityInstanceId}&executionId=${review.executionId}`)
      ).map((d) => d.variableName),
    ).toEqual(['reviewer']);

    const byTime = await details(`${base}&sortBy=time&sortOrder=desc&firstResult=0&maxResults=2`);
    expect(byTime).toHaveLength(2);
    const posted = await rest()
      .post('/engine-rest/history/detail?firstResult=1&maxResults=3')
      .send({
        processInstanceId: instanceId,
        sorting: [
          { sortBy: 'variableName', sortOrder: 'asc' },
          { sortBy: 'variableRevision', sortOrder: 'desc' },
        ],
      })
      .expect(200);
    expect(posted.body.map((d: Detail) => [d.variableName, d.revision])).toEqual([
      ['amount', 1],
      ['amount', 0],
      ['customer', 1],
    ]);
    await rest().get('/engine-rest/history/detail?sortBy=value&sortOrder=asc').expect(400);
    await rest().get('/engine-rest/history/detail?initial=maybe').expect(400);
  });

  it('keeps the history when the instance ends, and removes it with the instance’s history', async () => {
    await completeTaskOf('review');
    await completeTaskOf('approve');
    const instance = await rest().get(`/engine-rest/history/process-instance/${instanceId}`).expect(200);
    expect(instance.body.state).toBe('COMPLETED');
    // Variables that end with their scope or instance are not deleted, as in Camunda.
    expect((await variables(`processInstanceId=${instanceId}`)).map((v) => [v.name, v.state]).sort()).toEqual(
      [
        ['amount', 'CREATED'],
        ['reviewer', 'CREATED'],
      ],
    );

    await rest().delete(`/engine-rest/history/process-instance/${instanceId}`).expect(204);

    expect(await variableCount(`processInstanceId=${instanceId}&includeDeleted=true`)).toBe(0);
    expect(await detailCount(`processInstanceId=${instanceId}`)).toBe(0);
  });

  it('removes the variable history of a definition’s instances with a cascading deployment deletion', async () => {
    const running = await startInstance(stack.app, 'vars', { variables: { flag: { value: true } } });
    expect(await variableCount(`processInstanceId=${running}`)).toBe(2);

    await rest().delete(`/engine-rest/deployment/${deploymentId}?cascade=true`).expect(204);

    expect(await variableCount(`processInstanceId=${running}&includeDeleted=true`)).toBe(0);
    expect(await detailCount(`processInstanceId=${running}`)).toBe(0);
  });

  it('names the target definition after a migration; earlier details keep the one they were written on', async () => {
    const definitionIdOf = async (xml: string) => {
      const deployed = await deploy(stack.app, [{ name: 'moving.bpmn', content: xml }]).expect(200);
      return Object.keys(deployed.body.deployedProcessDefinitions)[0]!;
    };
    const v1 = await definitionIdOf(XML('moving'));
    const v2 = await definitionIdOf(
      XML('moving').replace(
        '<bpmn:userTask id="approve" />',
        '<bpmn:userTask id="approve" name="Approve" />',
      ),
    );
    const started = await rest()
      .post(`/engine-rest/process-definition/${v1}/start`)
      .send({ variables: { amount: { value: 1, type: 'Integer' } } })
      .expect(200);
    const id = started.body.id as string;
    const plan = (
      await rest()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
        .expect(200)
    ).body;

    await rest()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          ...plan,
          variables: { amount: { value: 2, type: 'Integer' }, by: { value: 'ops' } },
        },
        processInstanceIds: [id],
      })
      .expect(204);

    const listed = await variables(`processInstanceId=${id}&sortBy=variableName&sortOrder=asc`);
    expect(listed.map((v) => [v.name, v.value, v.processDefinitionId])).toEqual([
      ['amount', 2, v2],
      ['by', 'ops', v2],
      ['reviewer', 'ann', v2],
    ]);
    expect(await variableCount(`processDefinitionId=${v1}`)).toBe(0);
    const amount = listed[0]!;
    expect(
      (await details(`variableInstanceId=${amount.id}&sortBy=occurrence&sortOrder=asc`)).map((d) => [
        d.value,
        d.revision,
        d.processDefinitionId,
      ]),
    ).toEqual([
      [1, 0, v1],
      [2, 1, v2],
    ]);
  });
});
