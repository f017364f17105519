import request from 'supertest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitingIn } from '../support/instances';
import {
  completeTaskIn,
  deployVersions,
  historicInstance,
  historyPath,
  startById,
  taskIn,
} from '../support/migration';

type InstructionDto = {
  sourceActivityIds: string[];
  targetActivityIds: string[];
  updateEventTrigger?: boolean;
};

/** Synchronous migration through `/migration/*`: the issue's scenarios, each driven to its end on v2. */
describe('POST /migration/execute', () => {
  let stack: TestStack;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const generate = async (v1: string, v2: string, extra: Array<[string, string]> = [], update = false) => {
    const plan = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2, updateEventTriggers: update })
        .expect(200)
    ).body;
    const instructions: InstructionDto[] = [
      ...plan.instructions,
      ...extra.map(([source, target]) => ({ sourceActivityIds: [source], targetActivityIds: [target] })),
    ];
    return { ...plan, instructions };
  };
  const execute = (migrationPlan: object, processInstanceIds: string[], extra: object = {}) =>
    api()
      .post('/engine-rest/migration/execute')
      .send({ migrationPlan, processInstanceIds, ...extra });
  const definitionOf = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}`).expect(200)).body.definitionId as string;

  it('keeps the user task, its id and assignee, sets the plan variables and continues on v2', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalKept');
    const id = await startById(stack.app, v1, { initiator: { value: 'alice', type: 'String' } });
    const before = await taskIn(stack, id, 'approve');
    const tree = (await api().get(`/engine-rest/process-instance/${id}/activity-instances`)).body;

    const plan = { ...(await generate(v1, v2)), variables: { migratedBy: { value: 'ops', type: 'String' } } };
    await execute(plan, [id]).expect(204);

    expect(await definitionOf(id)).toBe(v2);
    expect(await taskIn(stack, id, 'approve')).toMatchObject({ id: before.id, assignee: 'alice' });
    const migratedTree = (await api().get(`/engine-rest/process-instance/${id}/activity-instances`)).body;
    expect(migratedTree.childActivityInstances[0].id).toBe(tree.childActivityInstances[0].id);
    expect(migratedTree.processDefinitionId).toBe(v2);
    const variables = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
    expect(variables).toMatchObject({
      migratedBy: { value: 'ops', type: 'String' },
      initiator: { value: 'alice' },
    });
    expect(await historicInstance(stack.app, id)).toMatchObject({ processDefinitionId: v2 });

    await completeTaskIn(stack, id, 'approve');
    expect(await waitingIn(stack.app, id)).toEqual(['archive']);
    await completeTaskIn(stack, id, 'archive');
    expect(await historyPath(stack.app, id)).toEqual(['start', 'approve', 'archive', 'end']);
    expect(await historicInstance(stack.app, id)).toMatchObject({
      state: 'COMPLETED',
      processDefinitionId: v2,
    });
    const activities = (await api().get(`/engine-rest/history/activity-instance?processInstanceId=${id}`))
      .body;
    expect(
      activities.every(
        (a: { processDefinitionId: string }) => a.processDefinitionId === v2 || a.processDefinitionId === v1,
      ),
    ).toBe(true);
    expect(
      activities.find((a: { activityId: string }) => a.activityId === 'approve').processDefinitionId,
    ).toBe(v2);
  });

  it("gives a migrated activity's history row the target's name, definition and key", async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalRenamed');
    const id = await startById(stack.app, v1, { initiator: { value: 'alice', type: 'String' } });
    const historic = async () =>
      (
        await api()
          .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&activityId=approve`)
          .expect(200)
      ).body as Array<Record<string, unknown>>;
    expect(await historic()).toEqual([expect.objectContaining({ activityName: 'Approve' })]);

    await execute(await generate(v1, v2), [id]).expect(204);

    expect(await historic()).toEqual([
      expect.objectContaining({
        activityId: 'approve',
        activityName: 'Approve order',
        activityType: 'userTask',
        processDefinitionId: v2,
        processDefinitionKey: 'approvalRenamed',
        assignee: 'alice',
        endTime: null,
      }),
    ]);
  });

  it('migrates a sub-process whose inner task was renamed, mapped explicitly', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'review', 'reviewRenamed');
    const id = await startById(stack.app, v1);
    const check = await taskIn(stack, id, 'check');
    await execute(await generate(v1, v2, [['check', 'verify']]), [id]).expect(204);

    expect(await waitingIn(stack.app, id)).toEqual(['verify']);
    expect((await taskIn(stack, id, 'verify')).id).toBe(check.id);
    await completeTaskIn(stack, id, 'verify');
    expect(await waitingIn(stack.app, id)).toEqual(['publish']);
    await completeTaskIn(stack, id, 'publish');
    // The migrated activity instance carries its new activity id in history.
    expect(await historyPath(stack.app, id)).toEqual([
      'start',
      'reviewing',
      'reviewStart',
      'verify',
      'reviewEnd',
      'publish',
      'end',
    ]);
  });

  it('keeps a boundary timer without updateEventTrigger and re-arms it with it; a removed boundary event goes', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'deadline', 'deadlineTimer');
    const kept = await startById(stack.app, v1);
    const rearmed = await startById(stack.app, v1);
    const dueOf = async (id: string) =>
      (await api().get(`/engine-rest/job?processInstanceId=${id}`).expect(200)).body as Array<{
        id: string;
        dueDate: string;
      }>;
    const [originalKept] = await dueOf(kept);
    expect(
      (await api().get(`/engine-rest/event-subscription?processInstanceId=${kept}`).expect(200)).body,
    ).toHaveLength(1);

    await execute(await generate(v1, v2), [kept]).expect(204);
    const before = Date.now();
    await execute(await generate(v1, v2, [], true), [rearmed]).expect(204);

    expect(await dueOf(kept)).toEqual([
      expect.objectContaining({ id: originalKept!.id, dueDate: originalKept!.dueDate }),
    ]);
    const [rearmedJob] = await dueOf(rearmed);
    const due = new Date(rearmedJob!.dueDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 2 * 3600_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 2 * 3600_000 + 1000);

    // cancelRequest is gone in v2; v2's new "nudge" boundary event subscribes instead.
    const subscriptions = (
      await api().get(`/engine-rest/event-subscription?processInstanceId=${kept}`).expect(200)
    ).body as Array<{ activityId: string; eventName: string }>;
    expect(subscriptions.map((s) => [s.activityId, s.eventName])).toEqual([['nudge', 'Nudge']]);

    // The kept timer fires into v2's flow; the other instance completes the task.
    await api().post(`/engine-rest/job/${originalKept!.id}/execute`).expect(204);
    expect(await waitingIn(stack.app, kept)).toEqual(['escalate']);
    await completeTaskIn(stack, kept, 'escalate');
    expect(await historyPath(stack.app, kept)).toEqual([
      'start',
      'work',
      'timeout',
      'escalate',
      'escalatedEnd',
    ]);
    await completeTaskIn(stack, rearmed, 'work');
    await completeTaskIn(stack, rearmed, 'confirm');
    expect(await historyPath(stack.app, rearmed)).toEqual(['start', 'work', 'confirm', 'end']);
  });

  it('refuses a fork with an unmapped branch, naming its activity instance, and migrates it once mapped', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'fork', 'forkBranch');
    const id = await startById(stack.app, v1);
    const tree = (await api().get(`/engine-rest/process-instance/${id}/activity-instances`)).body;
    const taskB = tree.childActivityInstances.find((c: { activityId: string }) => c.activityId === 'taskB');

    const refused = await execute(await generate(v1, v2), [id]).expect(400);
    expect(refused.body).toMatchObject({
      type: 'MigratingProcessInstanceValidationException',
      code: 0,
      message: expect.stringContaining(`ENGINE-23004 Cannot migrate process instance '${id}'`),
      validationReport: {
        processInstanceId: id,
        failures: [],
        activityInstanceValidationReports: [
          {
            migrationInstruction: null,
            activityInstanceId: taskB.id,
            sourceScopeId: 'taskB',
            failures: ["There is no migration instruction for this instance's activity"],
          },
        ],
        transitionInstanceValidationReports: [],
      },
    });
    expect(await definitionOf(id)).toBe(v1);

    await execute(await generate(v1, v2, [['taskB', 'taskC']]), [id]).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['taskA', 'taskC']);
    await completeTaskIn(stack, id, 'taskA');
    await completeTaskIn(stack, id, 'taskC');
    expect(await waitingIn(stack.app, id)).toEqual(['wrapUp']);
    await completeTaskIn(stack, id, 'wrapUp');
    const path = await historyPath(stack.app, id);
    expect(path.slice(-3)).toEqual(['join', 'wrapUp', 'end']);
    expect(path.filter((a) => a === 'taskC')).toHaveLength(1);
  });

  it('migrates a message wait and correlates on v2', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'payment', 'paymentWait');
    const id = await startById(stack.app, v1);
    await execute(await generate(v1, v2), [id]).expect(204);
    // Without updateEventTrigger the receive task still waits for v1's message name.
    await api()
      .post('/engine-rest/message')
      .send({ messageName: 'PaymentV2', processInstanceId: id })
      .expect(400);
    await api()
      .post('/engine-rest/message')
      .send({ messageName: 'Payment', processInstanceId: id })
      .expect(204);
    await api()
      .post('/engine-rest/message')
      .send({ messageName: 'ShipmentV2', processInstanceId: id })
      .expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['confirm']);
    await completeTaskIn(stack, id, 'confirm');
    expect(await historyPath(stack.app, id)).toEqual([
      'start',
      'waitPayment',
      'waitShipment',
      'confirm',
      'end',
    ]);
  });

  it('instantiates a new sub-process around the migrated tasks', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'shipping', 'shippingWrapped');
    const id = await startById(stack.app, v1);
    const plan = await generate(v1, v2, [
      ['pack', 'pack'],
      ['label', 'label'],
      ['join', 'join'],
    ]);
    await execute(plan, [id]).expect(204);

    const tree = (await api().get(`/engine-rest/process-instance/${id}/activity-instances`)).body;
    expect(tree.childActivityInstances.map((c: { activityId: string }) => c.activityId)).toEqual([
      'handling',
    ]);
    const jobs = (await api().get(`/engine-rest/job?processInstanceId=${id}`).expect(200)).body;
    expect(jobs).toHaveLength(1);
    await completeTaskIn(stack, id, 'pack');
    await completeTaskIn(stack, id, 'label');
    expect(await waitingIn(stack.app, id)).toEqual(['ship']);
    await completeTaskIn(stack, id, 'ship');
    const path = await historyPath(stack.app, id);
    expect(path).toEqual(expect.arrayContaining(['handling', 'pack', 'label', 'handlingEnd', 'ship', 'end']));
    // The sub-process instance the migration created is named from the target definition.
    const handling = (
      await api()
        .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&activityId=handling`)
        .expect(200)
    ).body;
    expect(handling).toEqual([
      expect.objectContaining({ activityName: 'Handling', processDefinitionId: v2 }),
    ]);
    expect(await historicInstance(stack.app, id)).toMatchObject({ state: 'COMPLETED' });
  });
});
