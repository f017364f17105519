import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

/** Event sub-processes, BPMN errors and escalations through the HTTP API. */
describe('events through the HTTP API', () => {
  let stack: TestStack;
  const get = (path: string) => request(stack.app).get(`/engine-rest${path}`).expect(200);
  const post = (path: string, body: object = {}) => request(stack.app).post(`/engine-rest${path}`).send(body);
  /** `type:eventName@activityId` of the instance's subscriptions, sorted. */
  const subscriptions = async (instanceId: string) =>
    ((await get(`/event-subscription?processInstanceId=${instanceId}`)).body as Array<Record<string, string>>)
      .map((s) => `${s.eventType}:${s.eventName}@${s.activityId}`)
      .sort();
  const jobs = async (instanceId: string) =>
    (await get(`/job?processInstanceId=${instanceId}`)).body as Array<{ id: string; dueDate: string }>;
  const variable = async (instanceId: string, name: string) =>
    (await get(`/process-instance/${instanceId}/variables/${name}`)).body.value;
  const lock = async (topicName: string) => {
    const locked = await post('/external-task/fetchAndLock', {
      workerId: 'w1',
      maxTasks: 1,
      topics: [{ topicName, lockDuration: 60_000 }],
    }).expect(200);
    expect(locked.body).toHaveLength(1);
    return locked.body[0] as { id: string; processInstanceId: string };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'event-sub-processes.bpmn', content: fixture('events/event-sub-processes.bpmn') },
      { name: 'errors.bpmn', content: fixture('events/errors.bpmn') },
      { name: 'escalations.bpmn', content: fixture('events/escalations.bpmn') },
    ]).expect(200);
  });
  afterAll(() => stack.close());

  describe('event sub-processes', () => {
    it('waits with the start triggers of every scope and removes them with their scope', async () => {
      const instance = await Scenario.start(stack.app, 'eventSubProcesses');
      expect(await instance.tree()).toEqual(['shipping/pack']);
      expect(await subscriptions(instance.id)).toEqual([
        'message:AddressChanged@addressStart',
        'message:CancelOrder@cancelStart',
        'message:OrderInfo@infoStart',
      ]);
      expect(await jobs(instance.id)).toHaveLength(1);

      expect((await instance.complete('pack')).status).toBe(204);
      expect(await instance.tree()).toEqual(['invoice']);
      expect(await subscriptions(instance.id)).toEqual([
        'message:CancelOrder@cancelStart',
        'message:OrderInfo@infoStart',
      ]);

      expect((await instance.complete('invoice')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
      expect(await subscriptions(instance.id)).toEqual([]);
      expect(await jobs(instance.id)).toEqual([]);
    });

    it('runs a non-interrupting one beside the rest, repeatedly, and shows it as a sub-process scope', async () => {
      const instance = await Scenario.start(stack.app, 'eventSubProcesses');
      await post('/message', { messageName: 'OrderInfo', processInstanceId: instance.id }).expect(204);
      await post('/message', { messageName: 'OrderInfo', processInstanceId: instance.id }).expect(204);
      expect(await instance.tree()).toEqual(['orderInfo/answer', 'orderInfo/answer', 'shipping/pack']);
      const tree = (await get(`/process-instance/${instance.id}/activity-instances`)).body;
      expect(tree.childActivityInstances).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ activityId: 'orderInfo', activityType: 'subProcess' }),
        ]),
      );
      expect(await subscriptions(instance.id)).toContain('message:OrderInfo@infoStart');
    });

    it('an interrupting one inside a sub-process replaces only that sub-process’s content', async () => {
      const instance = await Scenario.start(stack.app, 'eventSubProcesses');
      await post('/message', { messageName: 'AddressChanged', processInstanceId: instance.id }).expect(204);
      expect(await instance.tree()).toEqual(['shipping/addressChanged/relabel']);
      expect(await subscriptions(instance.id)).toEqual([
        'message:CancelOrder@cancelStart',
        'message:OrderInfo@infoStart',
      ]);
      expect((await instance.complete('relabel')).status).toBe(204);
      expect(await instance.tree()).toEqual(['invoice']);
    });

    it('an interrupting one at process level cancels everything and completes the instance when done', async () => {
      const instance = await Scenario.start(stack.app, 'eventSubProcesses');
      await post('/message', { messageName: 'OrderInfo', processInstanceId: instance.id }).expect(204);
      await post('/message', { messageName: 'CancelOrder', processInstanceId: instance.id }).expect(204);
      expect(await instance.tree()).toEqual(['cancelOrder/refund']);
      expect(await subscriptions(instance.id)).toEqual([]);
      expect(await jobs(instance.id)).toEqual([]);
      expect((await instance.complete('refund')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
      const history = (await get(`/history/process-instance/${instance.id}`)).body;
      expect(history.state).toBe('COMPLETED');
    });

    it('a non-interrupting timer cycle fires through the job executor and is scheduled again', async () => {
      const instance = await Scenario.start(stack.app, 'eventSubProcesses');
      const [first] = await jobs(instance.id);
      await post(`/job/${first!.id}/execute`).expect(204);
      expect(await instance.tree()).toEqual(['reminder/remind', 'shipping/pack']);
      const [second] = await jobs(instance.id);
      expect(second!.id).not.toBe(first!.id);
      expect(new Date(second!.dueDate).getTime()).toBeGreaterThan(new Date(first!.dueDate).getTime());
      await post(`/job/${second!.id}/execute`).expect(204);
      const [third] = await jobs(instance.id);
      await post(`/job/${third!.id}/execute`).expect(204);
      expect(await jobs(instance.id)).toEqual([]);
      expect(await instance.tree()).toEqual([
        'reminder/remind',
        'reminder/remind',
        'reminder/remind',
        'shipping/pack',
      ]);
    });
  });

  describe('BPMN errors', () => {
    it('an error end event is caught by the catch-all boundary event with its code and message', async () => {
      const instance = await Scenario.start(stack.app, 'eventsPayment');
      const task = await lock('eventsCharge');
      await post(`/external-task/${task.id}/complete`, {
        workerId: 'w1',
        variables: { declined: { value: true } },
      }).expect(204);
      expect(await instance.tree()).toEqual(['askCustomer']);
      expect(await variable(instance.id, 'errorCode')).toBe('DECLINED');
      expect(await variable(instance.id, 'errorMessage')).toBe('Card declined');
      expect(await instance.path()).toEqual(
        expect.arrayContaining(['charge', 'check', 'declined', 'chargeFailed', 'askCustomer']),
      );
    });

    it('bpmnError over REST: the error event sub-process with the code wins over the catch-all boundary', async () => {
      const instance = await Scenario.start(stack.app, 'eventsPayment');
      const task = await lock('eventsCharge');
      await post(`/external-task/${task.id}/bpmnError`, {
        workerId: 'w1',
        errorCode: 'FRAUD',
        errorMessage: 'stolen card',
        variables: { reportedBy: { value: 'w1' } },
      }).expect(204);
      expect(await instance.tree()).toEqual(['charging/fraudHandling/investigate']);
      expect(await variable(instance.id, 'fraudCode')).toBe('FRAUD');
      expect(await variable(instance.id, 'reportedBy')).toBe('w1');
      expect((await get(`/external-task?processInstanceId=${instance.id}`)).body).toEqual([]);
      expect((await instance.complete('investigate')).status).toBe(204);
      expect(await instance.tree()).toEqual(['ship']);
    });

    it('bpmnError answers Camunda’s errors for a missing task, another worker and a missing code', async () => {
      await Scenario.start(stack.app, 'eventsPayment');
      const task = await lock('eventsCharge');
      const wrongWorker = await post(`/external-task/${task.id}/bpmnError`, {
        workerId: 'w2',
        errorCode: 'X',
      });
      expect(wrongWorker.status).toBe(400);
      expect(wrongWorker.body.message).toBe(
        `Bpmn error of External Task ${task.id} cannot be reported by worker 'w2'. It is locked by worker 'w1'.`,
      );
      const missing = await post('/external-task/nope/bpmnError', { workerId: 'w1', errorCode: 'X' });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe('External task with id nope does not exist');
      expect((await post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1' })).status).toBe(400);
    });

    it('an error from a called instance is caught by the boundary event of the call activity', async () => {
      const caller = await Scenario.start(stack.app, 'eventsCheckout');
      const task = await lock('eventsRiskyCharge');
      const calledId = task.processInstanceId;
      expect(calledId).not.toBe(caller.id);
      await post(`/external-task/${task.id}/bpmnError`, {
        workerId: 'w1',
        errorCode: 'DECLINED',
        errorMessage: 'no funds',
        variables: { attempt: { value: 1, type: 'Integer' } },
      }).expect(204);
      expect(await caller.tree()).toEqual(['retryPayment']);
      expect(await variable(caller.id, 'why')).toBe('no funds');
      expect(await variable(caller.id, 'attempt')).toBe(1);
      await request(stack.app).get(`/engine-rest/process-instance/${calledId}`).expect(404);
    });

    it('an error nobody catches ends the throwing task, in a called instance too', async () => {
      const caller = await Scenario.start(stack.app, 'eventsCheckout');
      const task = await lock('eventsRiskyCharge');
      await post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'UNKNOWN' }).expect(204);
      await request(stack.app).get(`/engine-rest/process-instance/${task.processInstanceId}`).expect(404);
      const called = (await get(`/history/process-instance/${task.processInstanceId}`)).body;
      expect(called.state).toBe('COMPLETED');
      expect(await caller.tree()).toEqual(['confirm']);
    });
  });

  describe('through call activities and nested scopes', () => {
    it('an error from a called instance crosses the call activity and its sub-process to an event sub-process', async () => {
      const order = await Scenario.start(stack.app, 'eventsOrder');
      const task = await lock('eventsRiskyCharge');
      expect(await order.tree()).toEqual(['fulfil/callPay']);
      await post(`/external-task/${task.id}/bpmnError`, { workerId: 'w1', errorCode: 'LIMIT' }).expect(204);
      expect(await order.tree()).toEqual(['paymentProblems/handlePayment']);
      expect(await variable(order.id, 'problem')).toBe('LIMIT');
      await request(stack.app).get(`/engine-rest/process-instance/${task.processInstanceId}`).expect(404);
      const called = (await get(`/history/process-instance/${task.processInstanceId}`)).body;
      expect(called.state).toBe('EXTERNALLY_TERMINATED');
      expect((await order.complete('handlePayment')).status).toBe(204);
      expect(await order.tree()).toBeNull();
    });

    it('an escalation from a called instance reaches a non-interrupting boundary event of the call activity', async () => {
      const caller = await Scenario.start(stack.app, 'eventsLateCaller');
      expect(await caller.tree()).toEqual(['callLate', 'notify']);
      expect(await variable(caller.id, 'lateCode')).toBe('LATE');
      const called = (await get(`/process-instance?superProcessInstance=${caller.id}`)).body;
      expect(called).toHaveLength(1);
      const calleeTasks = (await get(`/task?processInstanceId=${called[0].id}`)).body;
      expect(calleeTasks.map((t: { taskDefinitionKey: string }) => t.taskDefinitionKey)).toEqual(['lcWork']);
    });
  });

  describe('escalations', () => {
    it('non-interrupting boundary catches its code, an uncaught escalation passes, an interrupting one cancels', async () => {
      const instance = await Scenario.start(stack.app, 'eventsEscalation');
      expect(await instance.tree()).toEqual(['delivery/deliver', 'informCustomer']);
      expect(await variable(instance.id, 'escalated')).toBe('LATE');

      expect((await instance.complete('deliver')).status).toBe(204);
      expect(await instance.tree()).toEqual(['informCustomer', 'refund']);
      expect((await instance.complete('refund')).status).toBe(204);
      expect((await instance.complete('informCustomer')).status).toBe(204);
      expect(await instance.tree()).toBeNull();
    });
  });

  describe('modification and migration', () => {
    const treeIds = async (instanceId: string) =>
      (await get(`/process-instance/${instanceId}/activity-instances`)).body as {
        childActivityInstances: Array<{ id: string; activityId: string }>;
      };
    const modify = (instanceId: string, instructions: object[]) =>
      post(`/process-instance/${instanceId}/modification`, { instructions });

    it('starts before an interrupting start event, inside a non-interrupting event sub-process, and cancels one', async () => {
      const interrupted = await Scenario.start(stack.app, 'eventSubProcesses');
      await modify(interrupted.id, [{ type: 'startBeforeActivity', activityId: 'cancelStart' }]).expect(204);
      expect(await interrupted.tree()).toEqual(['cancelOrder/refund']);
      expect(await subscriptions(interrupted.id)).toEqual([]);

      const beside = await Scenario.start(stack.app, 'eventSubProcesses');
      await modify(beside.id, [{ type: 'startBeforeActivity', activityId: 'answer' }]).expect(204);
      expect(await beside.tree()).toEqual(['orderInfo/answer', 'shipping/pack']);
      const esp = (await treeIds(beside.id)).childActivityInstances.find(
        (c) => c.activityId === 'orderInfo',
      )!;
      await modify(beside.id, [{ type: 'cancel', activityInstanceId: esp.id }]).expect(204);
      expect(await beside.tree()).toEqual(['shipping/pack']);
      expect(await subscriptions(beside.id)).toContain('message:OrderInfo@infoStart');
    });

    it('migrates an instance with an active event sub-process and updates a start trigger', async () => {
      const instance = await Scenario.start(stack.app, 'eventSubProcesses');
      const sourceId = (await get(`/process-instance/${instance.id}`)).body.definitionId as string;
      const v2 = fixture('events/event-sub-processes.bpmn').replace(
        'name="CancelOrder"',
        'name="CancelOrderV2"',
      );
      const deployed = await deploy(stack.app, [{ name: 'event-sub-processes-v2.bpmn', content: v2 }]).expect(
        200,
      );
      const targetId = Object.keys(deployed.body.deployedProcessDefinitions)[0] as string;
      expect(sourceId).not.toBe(targetId);
      await post('/message', { messageName: 'OrderInfo', processInstanceId: instance.id }).expect(204);
      const before = (
        await get(`/event-subscription?processInstanceId=${instance.id}&activityId=cancelStart`)
      ).body;

      const plan = (
        await post('/migration/generate', {
          sourceProcessDefinitionId: sourceId,
          targetProcessDefinitionId: targetId,
          updateEventTriggers: true,
        }).expect(200)
      ).body;
      expect(plan.instructions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sourceActivityIds: ['cancelStart'], updateEventTrigger: true }),
          expect.objectContaining({ sourceActivityIds: ['orderInfo'], targetActivityIds: ['orderInfo'] }),
        ]),
      );
      await post('/migration/execute', { migrationPlan: plan, processInstanceIds: [instance.id] }).expect(
        204,
      );

      expect((await get(`/process-instance/${instance.id}`)).body.definitionId).toBe(targetId);
      expect(await instance.tree()).toEqual(['orderInfo/answer', 'shipping/pack']);
      const after = (await get(`/event-subscription?processInstanceId=${instance.id}&activityId=cancelStart`))
        .body;
      expect(after).toEqual([{ ...before[0], eventName: 'CancelOrderV2' }]);
      await post('/message', { messageName: 'CancelOrderV2', processInstanceId: instance.id }).expect(204);
      expect(await instance.tree()).toEqual(['cancelOrder/refund']);
    });
  });
});
