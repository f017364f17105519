import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

const FIXTURES = [
  'conditional-boundary',
  'conditional-intermediate',
  'conditional-event-sub-processes',
  'conditional-gateway',
  'conditional-start',
];

type Variables = Record<string, { value: unknown; type?: string }>;

/** Conditional events (boundary, intermediate, event sub-process, event-based gateway, start) through the HTTP API. */
describe('conditional events through the HTTP API', () => {
  let stack: TestStack;
  const get = (path: string) => request(stack.app).get(`/engine-rest${path}`).expect(200);
  const post = (path: string, body: object = {}) => request(stack.app).post(`/engine-rest${path}`).send(body);
  const put = (path: string, body: object = {}) => request(stack.app).put(`/engine-rest${path}`).send(body);
  /** `type:eventName@activityId` of the instance's subscriptions, sorted. */
  const subscriptions = async (instanceId: string) =>
    ((await get(`/event-subscription?processInstanceId=${instanceId}`)).body as Array<Record<string, string>>)
      .map((s) => `${s.eventType}:${s.eventName}@${s.activityId}`)
      .sort();
  const setVariable = (instanceId: string, name: string, value: unknown) =>
    put(`/process-instance/${instanceId}/variables/${name}`, { value }).expect(204);
  const modifyVariables = (instanceId: string, modifications: Variables, deletions: string[] = []) =>
    post(`/process-instance/${instanceId}/variables`, { modifications, deletions }).expect(204);

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(
      stack.app,
      FIXTURES.map((name) => ({ name: `${name}.bpmn`, content: fixture(`events/${name}.bpmn`) })),
    ).expect(200);
  });
  afterAll(() => stack.close());

  describe('boundary events', () => {
    it('waits on nameless conditional subscriptions listed by GET /event-subscription', async () => {
      const instance = await Scenario.start(stack.app, 'condBoundary');
      expect(await instance.tree()).toEqual(['work']);
      expect(await subscriptions(instance.id)).toEqual([
        'conditional:null@noteBoundary',
        'conditional:null@urgentBoundary',
        'message:Remark@remarkBoundary',
        'signal:Update@updateBoundary',
      ]);
      const listed = (await get(`/event-subscription?eventType=conditional&processInstanceId=${instance.id}`))
        .body as Array<Record<string, unknown>>;
      const work = (await get(`/process-instance/${instance.id}/activity-instances`)).body
        .childActivityInstances[0];
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject({
        eventType: 'conditional',
        eventName: null,
        processInstanceId: instance.id,
        executionId: work.executionIds[0],
        tenantId: null,
      });
      expect(
        (await get('/event-subscription/count?eventType=conditional')).body.count,
      ).toBeGreaterThanOrEqual(2);
    });

    it('ignores changes of other variables and fires the interrupting one when its variable satisfies it', async () => {
      const instance = await Scenario.start(stack.app, 'condBoundary');
      await setVariable(instance.id, 'other', true);
      await setVariable(instance.id, 'urgent', false);
      expect(await instance.tree()).toEqual(['work']);

      await setVariable(instance.id, 'urgent', true);

      expect(await instance.tree()).toEqual(['escalate']);
      expect(await subscriptions(instance.id)).toEqual([]);
      expect((await instance.complete('escalate')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
      expect(await instance.path()).toEqual(['start', 'work', 'urgentBoundary', 'escalate', 'urgentEnd']);
    });

    it('fires the non-interrupting one on every create and update, never on delete', async () => {
      const instance = await Scenario.start(stack.app, 'condBoundary');
      await modifyVariables(instance.id, { notes: { value: 1 } });
      await modifyVariables(instance.id, { notes: { value: 2 } });
      expect(await instance.tree()).toEqual(['readNote', 'readNote', 'work']);

      await modifyVariables(instance.id, {}, ['notes']);
      expect(await instance.tree()).toEqual(['readNote', 'readNote', 'work']);
      expect(await subscriptions(instance.id)).toContain('conditional:null@noteBoundary');
    });

    it('fires when the task is completed with a satisfying variable instead of leaving normally', async () => {
      const instance = await Scenario.start(stack.app, 'condBoundary');
      expect((await instance.complete('work', { urgent: { value: true } })).status).toBe(204);
      expect(await instance.tree()).toEqual(['escalate']);
    });

    it('fires from the variables a message or a signal delivers', async () => {
      const byMessage = await Scenario.start(stack.app, 'condBoundary');
      await post('/message', {
        messageName: 'Remark',
        processInstanceId: byMessage.id,
        processVariables: { notes: { value: 3 } },
      }).expect(204);
      expect(await byMessage.tree()).toEqual(['readNote', 'work']);

      const bySignal = await Scenario.start(stack.app, 'condBoundary');
      const execution = (await get(`/event-subscription?processInstanceId=${bySignal.id}&eventType=signal`))
        .body[0].executionId as string;
      await post('/signal', {
        name: 'Update',
        executionId: execution,
        variables: { urgent: { value: true } },
      }).expect(204);
      expect(await bySignal.tree()).toEqual(['escalate']);
    });

    it('fires from the variables an external task is completed with', async () => {
      const xml = withKey(
        fixture('events/conditional-boundary.bpmn'),
        'condBoundary',
        'condExternal',
      ).replace(
        '<userTask id="work" />',
        '<serviceTask id="work" camunda:type="external" camunda:topic="condWork" />',
      );
      await deploy(stack.app, [{ name: 'cond-external.bpmn', content: xml }]).expect(200);
      const instance = await Scenario.start(stack.app, 'condExternal');
      const [locked] = (
        await post('/external-task/fetchAndLock', {
          workerId: 'w1',
          maxTasks: 1,
          topics: [{ topicName: 'condWork', lockDuration: 60_000 }],
        }).expect(200)
      ).body as Array<{ id: string }>;

      await post(`/external-task/${locked!.id}/complete`, {
        workerId: 'w1',
        variables: { urgent: { value: true } },
      }).expect(204);

      expect(await instance.tree()).toEqual(['escalate']);
    });

    it('fires at once when the condition holds as the task is reached', async () => {
      const instance = await Scenario.start(stack.app, 'condBoundary', { urgent: { value: true } });
      expect(await instance.tree()).toEqual(['escalate']);
    });

    it('refuses to change a variable that would fire it in a suspended instance', async () => {
      const instance = await Scenario.start(stack.app, 'condBoundary');
      await put(`/process-instance/${instance.id}/suspended`, { suspended: true }).expect(204);
      await setVariable(instance.id, 'other', 1);

      const refused = await put(`/process-instance/${instance.id}/variables/urgent`, { value: true }).expect(
        400,
      );

      expect(refused.body).toMatchObject({ type: 'SuspendedEntityInteractionException' });
      expect((await get(`/process-instance/${instance.id}/variables`)).body.urgent).toBeUndefined();
      expect(await instance.tree()).toEqual(['work']);
    });
  });

  describe('intermediate catch events', () => {
    it('waits in the tree until a change makes the condition true, then passes on', async () => {
      const instance = await Scenario.start(stack.app, 'condIntermediate', { approved: { value: false } });
      const tree = (await get(`/process-instance/${instance.id}/activity-instances`)).body;
      expect(tree.childActivityInstances).toEqual([
        expect.objectContaining({ activityId: 'waitForApproval', activityType: 'intermediateConditional' }),
      ]);
      expect(await subscriptions(instance.id)).toEqual(['conditional:null@waitForApproval']);

      await setVariable(instance.id, 'approved', true);

      expect(await instance.tree()).toEqual(['ship']);
      expect(await subscriptions(instance.id)).toEqual([]);
    });

    it('passes through when the condition holds on arrival', async () => {
      const instance = await Scenario.start(stack.app, 'condIntermediate', { approved: { value: true } });
      expect(await instance.tree()).toEqual(['ship']);
      expect(await subscriptions(instance.id)).toEqual([]);
    });

    it('counts an unknown variable in the condition as false', async () => {
      const instance = await Scenario.start(stack.app, 'condIntermediate');
      await setVariable(instance.id, 'unrelated', 1);
      expect(await instance.tree()).toEqual(['waitForApproval']);
    });
  });

  describe('event sub-processes', () => {
    it('keeps the process-level subscription on the root and the inner one on the sub-process', async () => {
      const instance = await Scenario.start(stack.app, 'condEsp');
      expect(await instance.tree()).toEqual(['review/check']);
      const listed = (await get(`/event-subscription?processInstanceId=${instance.id}`)).body as Array<{
        activityId: string;
        executionId: string;
      }>;
      expect(listed.find((s) => s.activityId === 'cancelStart')?.executionId).toBe(instance.id);
      expect(listed.find((s) => s.activityId === 'infoStart')?.executionId).not.toBe(instance.id);
    });

    it('runs the non-interrupting one in the sub-process beside its content, once per satisfying change', async () => {
      const instance = await Scenario.start(stack.app, 'condEsp');
      await setVariable(instance.id, 'info', true);
      await setVariable(instance.id, 'info', true);
      expect(await instance.tree()).toEqual([
        'review/check',
        'review/infoEsp/readInfo',
        'review/infoEsp/readInfo',
      ]);
      expect(await subscriptions(instance.id)).toEqual([
        'conditional:null@cancelStart',
        'conditional:null@infoStart',
      ]);
    });

    it('lets the interrupting one at process level cancel everything', async () => {
      const instance = await Scenario.start(stack.app, 'condEsp');
      await setVariable(instance.id, 'info', true);
      await setVariable(instance.id, 'cancelled', true);
      expect(await instance.tree()).toEqual(['cancelEsp/cancelTask']);
      expect(await subscriptions(instance.id)).toEqual([]);
      expect((await instance.complete('cancelTask')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
      expect((await get(`/history/process-instance/${instance.id}`)).body.state).toBe('COMPLETED');
    });

    it('does not see a variable local to the sub-process at process level', async () => {
      const instance = await Scenario.start(stack.app, 'condEsp');
      const review = (await get(`/process-instance/${instance.id}/activity-instances`)).body
        .childActivityInstances[0];
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [
          {
            type: 'startBeforeActivity',
            activityId: 'check',
            ancestorActivityInstanceId: review.id,
            variables: { cancelled: { value: true, local: true } },
          },
        ],
      }).expect(204);
      expect(await instance.tree()).toEqual(['review/check', 'review/check']);
    });
  });

  describe('event-based gateways', () => {
    it('waits in the gateway with both triggers and lets the condition win', async () => {
      const instance = await Scenario.start(stack.app, 'condGateway', { approved: { value: false } });
      expect(await instance.tree()).toEqual(['decide']);
      expect(await subscriptions(instance.id)).toEqual([
        'conditional:null@approvedEvent',
        'message:Reject@rejectedEvent',
      ]);

      await setVariable(instance.id, 'approved', true);

      expect(await instance.tree()).toEqual(['approvedTask']);
      expect(await subscriptions(instance.id)).toEqual([]);
    });

    it('lets the message win and removes the conditional subscription', async () => {
      const instance = await Scenario.start(stack.app, 'condGateway', { approved: { value: false } });
      await post('/message', { messageName: 'Reject', processInstanceId: instance.id }).expect(204);
      expect(await instance.tree()).toEqual(['rejectedTask']);
      expect(await subscriptions(instance.id)).toEqual([]);
    });

    it('takes the conditional branch at once when the condition holds on arrival', async () => {
      const instance = await Scenario.start(stack.app, 'condGateway', { approved: { value: true } });
      expect(await instance.tree()).toEqual(['approvedTask']);
    });
  });

  describe('POST /condition', () => {
    it('starts the definitions whose conditional start event holds and answers the instances', async () => {
      const answer = await post('/condition', {
        variables: { temperature: { value: 35 } },
        businessKey: 'heatwave',
      }).expect(200);

      expect(answer.body).toEqual([
        {
          links: [],
          id: expect.any(String),
          definitionId: expect.stringMatching(/^condStart:1:/),
          definitionKey: 'condStart',
          businessKey: 'heatwave',
          caseInstanceId: null,
          ended: false,
          suspended: false,
          tenantId: null,
        },
      ]);
      const instance = answer.body[0].id as string;
      expect((await get(`/process-instance/${instance}/variables/temperature`)).body.value).toBe(35);
      const tree = (await get(`/process-instance/${instance}/activity-instances`)).body;
      expect(tree.childActivityInstances.map((child: { activityId: string }) => child.activityId)).toEqual([
        'cool',
      ]);
      const history = (await get(`/history/process-instance/${instance}`)).body;
      expect(history.startActivityId).toBe('startWhenHot');
    });

    it('starts nothing when the condition is false or its variable is missing', async () => {
      expect(
        (await post('/condition', { variables: { temperature: { value: 10 } } }).expect(200)).body,
      ).toEqual([]);
      expect((await post('/condition', { variables: { other: { value: 50 } } }).expect(200)).body).toEqual(
        [],
      );
      expect((await post('/condition', {}).expect(200)).body).toEqual([]);
    });

    it('evaluates only the given definition, and refuses one without a conditional start event', async () => {
      const definitions = (await get('/process-definition?key=condStart')).body as Array<{ id: string }>;
      const started = await post('/condition', {
        processDefinitionId: definitions[0]!.id,
        variables: { temperature: { value: 40 } },
      }).expect(200);
      expect(started.body).toHaveLength(1);

      const other = (await get('/process-definition?key=condGateway')).body[0].id as string;
      const refused = await post('/condition', { processDefinitionId: other, variables: {} }).expect(400);
      expect(refused.body).toEqual({
        type: 'ProcessEngineException',
        message: `ENGINE-13042 Process definition with id '${other}' does not declare conditional start event.`,
        code: 0,
      });
      expect(
        (await post('/condition', { processDefinitionId: 'unknown:1:1', variables: {} }).expect(200)).body,
      ).toEqual([]);
    });

    it('finds no subscription for a tenant without conditional start events', async () => {
      const refused = await post('/condition', {
        tenantId: 'nobody',
        variables: { temperature: { value: 40 } },
      }).expect(400);
      expect(refused.body).toEqual({
        type: 'ProcessEngineException',
        message:
          'ENGINE-13043 No subscriptions were found during evaluation of the conditional start events.',
        code: 0,
      });
      const withoutTenant = await post('/condition', {
        withoutTenantId: true,
        variables: { temperature: { value: 40 } },
      }).expect(200);
      expect(withoutTenant.body).toHaveLength(1);
    });

    it('keeps to the tenant given, and reaches every tenant without one', async () => {
      await deploy(
        stack.app,
        [{ name: 'cond-start-t1.bpmn', content: fixture('events/conditional-start.bpmn') }],
        {
          'tenant-id': 't1',
        },
      ).expect(200);
      const hot = { temperature: { value: 45 } };

      const ofTenant = (await post('/condition', { tenantId: 't1', variables: hot }).expect(200)).body;
      expect(ofTenant.map((instance: { tenantId: string | null }) => instance.tenantId)).toEqual(['t1']);
      const everywhere = (await post('/condition', { variables: hot }).expect(200)).body;
      expect(everywhere.map((instance: { tenantId: string | null }) => instance.tenantId).sort()).toEqual([
        null,
        't1',
      ]);
    });

    it('refuses a tenant id together with withoutTenantId, and bad variables, changing nothing', async () => {
      const before = (await get('/process-instance/count?processDefinitionKey=condStart')).body
        .count as number;
      const both = await post('/condition', { tenantId: 't1', withoutTenantId: true }).expect(400);
      expect(both.body).toEqual({
        type: 'InvalidRequestException',
        message: "Parameter 'tenantId' cannot be used together with parameter 'withoutTenantId'.",
        code: null,
      });
      const bad = await post('/condition', {
        variables: { temperature: { value: 'hot', type: 'Integer' } },
      }).expect(400);
      expect(bad.body.type).toBe('InvalidRequestException');
      expect((await get('/process-instance/count?processDefinitionKey=condStart')).body.count).toBe(before);
    });
  });
});
