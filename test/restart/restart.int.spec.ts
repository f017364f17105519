import request from 'supertest';
import { cancelInstance, setVariables, typedValueOf } from '@libs/engine';
import { startInstance, waitingIn } from '../support/instances';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/** A start event, a user task, a sub-process with another user task, an end event. */
const STAGES = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="stages" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toFirst" sourceRef="start" targetRef="first" />
    <bpmn:userTask id="first" name="First" />
    <bpmn:sequenceFlow id="toSub" sourceRef="first" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />
      <bpmn:sequenceFlow id="toSecond" sourceRef="subStart" targetRef="second" />
      <bpmn:userTask id="second" name="Second" />
      <bpmn:sequenceFlow id="toSubEnd" sourceRef="second" targetRef="subEnd" />
      <bpmn:endEvent id="subEnd" />
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="toEnd" sourceRef="sub" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface Tree {
  readonly activityId: string;
  readonly childActivityInstances: readonly Tree[];
}

const shape = (tree: Tree): unknown => [tree.activityId, tree.childActivityInstances.map(shape)];

/** `POST /process-definition/{id}/restart`: ended instances start anew, all at once (Camunda's sync restart). */
describe('restarting ended process instances', () => {
  let stack: TestStack;
  let definitionId: string;
  let orderDefinitionId: string;
  const api = () => request(stack.app);
  const restart = (body: object, id = definitionId) =>
    api().post(`/engine-rest/process-definition/${id}/restart`).send(body);
  const startBefore = (activityId: string) => [{ type: 'startBeforeActivity', activityId }];

  /** Starts an instance with `amount` 1, sets it to 2 later, then deletes the instance. */
  async function endedInstance(businessKey: string | null = 'bk-1'): Promise<string> {
    const id = await startInstance(stack.app, 'stages', {
      businessKey,
      variables: { amount: { value: 1, type: 'Integer' } },
    });
    await stack.services.runtime.update(id, (model, state, ctx) =>
      setVariables(
        model,
        state,
        { variables: { amount: typedValueOf(2), note: typedValueOf('later') } },
        ctx,
      ),
    );
    await api().delete(`/engine-rest/process-instance/${id}`).expect(204);
    return id;
  }

  async function restartedFrom(id: string): Promise<{ id: string; businessKey: string | null }> {
    const found = await api()
      .get('/engine-rest/history/process-instance')
      .query({ processDefinitionId: definitionId, unfinished: true })
      .expect(200);
    const restarted = (
      found.body as Array<{ id: string; businessKey: string | null; restartedProcessInstanceId: string }>
    ).filter((instance) => instance.restartedProcessInstanceId === id);
    expect(restarted).toHaveLength(1);
    return restarted[0]!;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    const deployed = await deploy(stack.app, [
      { name: 'stages.bpmn', content: STAGES },
      { name: 'order.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'restart-order') },
    ]).expect(200);
    const definitions = Object.values(deployed.body.deployedProcessDefinitions) as Array<{
      id: string;
      key: string;
    }>;
    definitionId = definitions.find((definition) => definition.key === 'stages')!.id;
    orderDefinitionId = definitions.find((definition) => definition.key === 'restart-order')!.id;
  });
  afterAll(() => stack.close());

  it('starts the instance anew at the instruction with its last variables, business key and a history link', async () => {
    const id = await endedInstance();

    await restart({ processInstanceIds: [id], instructions: startBefore('second') }).expect(204);

    const restarted = await restartedFrom(id);
    expect(restarted.businessKey).toBe('bk-1');
    const tree = await api()
      .get(`/engine-rest/process-instance/${restarted.id}/activity-instances`)
      .expect(200);
    expect(shape(tree.body)).toEqual([definitionId, [['sub', [['second', []]]]]]);
    const variables = await api().get(`/engine-rest/process-instance/${restarted.id}/variables`).expect(200);
    expect(variables.body).toEqual({
      amount: { type: 'Integer', value: 2, valueInfo: {} },
      note: { type: 'String', value: 'later', valueInfo: {} },
    });
    const history = await api().get(`/engine-rest/history/process-instance/${restarted.id}`).expect(200);
    expect(history.body).toMatchObject({
      restartedProcessInstanceId: id,
      startActivityId: 'second',
      state: 'ACTIVE',
    });
    const tasks = await api().get('/engine-rest/task').query({ processInstanceId: restarted.id }).expect(200);
    expect(tasks.body.map((task: { taskDefinitionKey: string }) => task.taskDefinitionKey)).toEqual([
      'second',
    ]);
  });

  it('sets the variables the instance started with when asked for the initial ones', async () => {
    const id = await endedInstance('bk-initial');

    await restart({
      processInstanceIds: [id],
      instructions: startBefore('first'),
      initialVariables: true,
    }).expect(204);

    const restarted = await restartedFrom(id);
    const variables = await api().get(`/engine-rest/process-instance/${restarted.id}/variables`).expect(200);
    expect(variables.body).toEqual({ amount: { type: 'Integer', value: 1, valueInfo: {} } });
    const details = await api()
      .get('/engine-rest/history/detail')
      .query({ processInstanceId: restarted.id })
      .expect(200);
    expect(details.body).toEqual([
      expect.objectContaining({ variableName: 'amount', value: 1, initial: true }),
    ]);
  });

  it('drops the business key with withoutBusinessKey and starts after an activity or at a transition', async () => {
    const first = await endedInstance('bk-dropped');
    const second = await endedInstance('bk-transition');

    await restart({
      processInstanceIds: [first],
      instructions: [{ type: 'startAfterActivity', activityId: 'first' }],
      withoutBusinessKey: true,
    }).expect(204);
    await restart({
      processInstanceIds: [second],
      instructions: [{ type: 'startTransition', transitionId: 'toSecond' }],
    }).expect(204);

    const afterFirst = await restartedFrom(first);
    expect(afterFirst.businessKey).toBeNull();
    expect(await waitingIn(stack.app, afterFirst.id)).toEqual(['second']);
    const atTransition = await restartedFrom(second);
    expect(atTransition.businessKey).toBe('bk-transition');
    expect(await waitingIn(stack.app, atTransition.id)).toEqual(['second']);
  });

  it('restarts the instances of a historic query and logs one RestartProcessInstance operation', async () => {
    const ids = [await endedInstance('bk-query-1'), await endedInstance('bk-query-2')];

    await restart({
      historicProcessInstanceQuery: { processInstanceBusinessKeyLike: 'bk-query-%' },
      instructions: startBefore('first'),
    }).expect(204);

    for (const id of ids) await restartedFrom(id);
    const logged = await api()
      .get('/engine-rest/history/user-operation')
      .query({ operationType: 'RestartProcessInstance', sortBy: 'timestamp', sortOrder: 'desc' })
      .expect(200);
    const last = (logged.body as Array<Record<string, unknown>>).filter(
      (entry) => entry.operationId === (logged.body as Array<{ operationId: string }>)[0]!.operationId,
    );
    expect(last.map((entry) => [entry.property, entry.newValue])).toEqual(
      expect.arrayContaining([
        ['nrOfInstances', '2'],
        ['async', 'false'],
      ]),
    );
    expect(last[0]).toMatchObject({
      entityType: 'ProcessInstance',
      processDefinitionId: definitionId,
      processDefinitionKey: 'stages',
      category: 'Operator',
    });
  });

  it('keeps the tenant of an instance of a tenant’s definition', async () => {
    const deployed = await deploy(
      stack.app,
      [{ name: 'tenant.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'restart-tenant') }],
      { 'tenant-id': 'tenant-r' },
    ).expect(200);
    const tenantDefinition = (Object.values(deployed.body.deployedProcessDefinitions)[0] as { id: string })
      .id;
    const id = (
      await api()
        .post(`/engine-rest/process-definition/${tenantDefinition}/start`)
        .send({ businessKey: 'bk-tenant' })
        .expect(200)
    ).body.id as string;
    await api().delete(`/engine-rest/process-instance/${id}`).expect(204);

    await restart(
      { processInstanceIds: [id], instructions: startBefore('approve') },
      tenantDefinition,
    ).expect(204);

    const found = await api()
      .get('/engine-rest/history/process-instance')
      .query({ processDefinitionId: tenantDefinition, unfinished: true })
      .expect(200);
    expect(found.body).toEqual([
      expect.objectContaining({
        restartedProcessInstanceId: id,
        tenantId: 'tenant-r',
        businessKey: 'bk-tenant',
      }),
    ]);
  });

  describe('refuses with Camunda’s messages and starts nothing', () => {
    let ended: string;
    let running: string;
    let otherDefinition: string;

    beforeAll(async () => {
      ended = await endedInstance('bk-refused');
      running = await startInstance(stack.app, 'stages', { businessKey: 'bk-running' });
      otherDefinition = await startInstance(stack.app, 'restart-order');
      await stack.services.runtime.update(otherDefinition, (model, state, ctx) =>
        cancelInstance(model, state, { deleteReason: 'test' }, ctx),
      );
    });

    const cases: Array<[string, () => object, () => string, string | null, 'both' | 'sync' | 'async']> = [
      [
        'no instructions',
        () => ({ processInstanceIds: [ended] }),
        () => 'Restart instructions cannot be empty: instructions is empty',
        null,
        'both',
      ],
      [
        'an empty selection',
        () => ({ instructions: startBefore('first') }),
        () => 'processInstanceIds is empty',
        null,
        'both',
      ],
      [
        'a null id',
        () => ({ processInstanceIds: [null], instructions: startBefore('first') }),
        () => 'Process instance ids cannot be null: Process instance ids contains null value',
        null,
        'sync',
      ],
      [
        'an unknown instance',
        () => ({ processInstanceIds: ['nope'], instructions: startBefore('first') }),
        () => 'Historic process instance cannot be found: historicProcessInstanceId is null',
        null,
        'sync',
      ],
      [
        'a running instance',
        () => ({ processInstanceIds: [ended, running], instructions: startBefore('first') }),
        () =>
          `ENGINE-13040 Historic process instance '${running}' cannot be restarted. It is not completed or terminated.`,
        null,
        'sync',
      ],
      [
        'an instance of another definition',
        () => ({ processInstanceIds: [ended, otherDefinition], instructions: startBefore('first') }),
        () =>
          `ENGINE-13039 Historic process instance '${otherDefinition}' cannot be restarted. Its process definition '${orderDefinitionId}' does not match given process definition '${definitionId}'`,
        null,
        'sync',
      ],
      [
        'an unknown definition',
        () => ({ processInstanceIds: [ended], instructions: startBefore('first') }),
        () => "no deployed process definition found with id 'unknown': processDefinition is null",
        'unknown',
        'both',
      ],
      [
        'a start before without its activity',
        () => ({ processInstanceIds: [ended], instructions: [{ type: 'startBeforeActivity' }] }),
        () => "For instruction type 'startBeforeActivity': 'activityId' must be set",
        null,
        'both',
      ],
      [
        'a start after without its activity',
        () => ({ processInstanceIds: [ended], instructions: [{ type: 'startAfterActivity' }] }),
        () => "For instruction type 'startAfterActivity': 'activityId' must be set",
        null,
        'both',
      ],
      [
        'a transition without its id',
        () => ({ processInstanceIds: [ended], instructions: [{ type: 'startTransition' }] }),
        () => "For instruction type 'startTransition': 'transitionId' must be set",
        null,
        'both',
      ],
      [
        'a null id (async: Camunda names the field)',
        () => ({ processInstanceIds: [null], instructions: startBefore('first') }),
        () => 'Process instance ids cannot be null: processInstanceIds contains null value',
        null,
        'async',
      ],
    ];

    it.each(cases)('%s (400)', async (_name, body, message, id, paths) => {
      const instancesBefore = (await api().get('/engine-rest/process-instance/count').expect(200)).body.count;
      const batchesBefore = (await api().get('/engine-rest/batch/count').expect(200)).body.count;

      const routes = { both: ['restart', 'restart-async'], sync: ['restart'], async: ['restart-async'] };
      for (const path of routes[paths]) {
        const response = await api()
          .post(`/engine-rest/process-definition/${id ?? definitionId}/${path}`)
          .send(body())
          .expect(400);
        expect(response.body.message).toBe(message());
      }

      expect((await api().get('/engine-rest/process-instance/count').expect(200)).body.count).toBe(
        instancesBefore,
      );
      expect((await api().get('/engine-rest/batch/count').expect(200)).body.count).toBe(batchesBefore);
    });

    it('names the problem of an instruction for an unknown activity and of a cancel or variables', async () => {
      const unknown = await restart({
        processInstanceIds: [ended],
        instructions: startBefore('nowhere'),
      }).expect(400);
      expect(unknown.body.message).toMatch(/nowhere/);
      const cancel = await restart({
        processInstanceIds: [ended],
        instructions: [{ type: 'cancel', activityId: 'first' }],
      }).expect(400);
      expect(cancel.body).toMatchObject({ type: 'InvalidRequestException' });
      const variables = await restart({
        processInstanceIds: [ended],
        instructions: [{ type: 'startBeforeActivity', activityId: 'first', variables: { a: { value: 1 } } }],
      }).expect(400);
      expect(variables.body.message).toMatch(/variables are not supported for restart/);
      expect(
        (
          await api()
            .get('/engine-rest/history/process-instance')
            .query({ processDefinitionId: definitionId, unfinished: true })
            .expect(200)
        ).body.filter(
          (instance: { restartedProcessInstanceId: string | null }) =>
            instance.restartedProcessInstanceId === ended,
        ),
      ).toEqual([]);
    });
  });
});
