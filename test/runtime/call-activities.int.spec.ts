import request from 'supertest';
import { cancelInstance } from '@libs/engine';
import { startInstance, waitingIn } from '../support/instances';
import { fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import {
  calledBy,
  calleeProcess,
  callingProcess,
  completeOnlyTask,
  deployProcesses,
  onlyCalledBy,
} from '../support/call-activities';

/** Call activities over REST on real MySQL: the called instance, mappings, bindings, cancellation, history. */
describe('call activities', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const variables = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body as Record<
      string,
      { value: unknown; type: string }
    >;
  const historic = async (id: string) =>
    (await api().get(`/engine-rest/history/process-instance/${id}`).expect(200)).body as {
      state: string;
      superProcessInstanceId: string | null;
      rootProcessInstanceId: string;
      processDefinitionId: string;
    };
  const isRunning = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}`)).status === 200;

  beforeAll(async () => {
    stack = await startTestStack();
    await deployProcesses(stack.app, { callee: calleeProcess('callee') });
    await deployProcesses(stack.app, { caller: fixture('call-activities/caller.bpmn') });
  });
  afterAll(async () => {
    await stack.close();
  });

  const startCaller = () =>
    startInstance(stack.app, 'caller', {
      variables: { amount: { value: 21, type: 'Integer' }, orderId: { value: 'A-1', type: 'String' } },
    });

  it('starts the called process with the in variables and business key, linked both ways', async () => {
    const callerId = await startCaller();
    const called = await onlyCalledBy(stack.app, callerId);

    expect(called.businessKey).toBe('A-1');
    expect(called.definitionId).toMatch(/^callee:1:/);
    expect(await variables(called.id)).toEqual({
      total: { value: 21, type: 'Integer', valueInfo: {} },
      doubled: { value: 42, type: 'Integer', valueInfo: {} },
    });
    const callers = (
      await api().get(`/engine-rest/process-instance?subProcessInstance=${called.id}`).expect(200)
    ).body as Array<{ id: string }>;
    expect(callers.map((caller) => caller.id)).toEqual([callerId]);
    const tree = (await api().get(`/engine-rest/process-instance/${callerId}/activity-instances`).expect(200))
      .body;
    expect(tree.childActivityInstances).toEqual([
      expect.objectContaining({ activityId: 'call', activityType: 'callActivity', activityName: 'Call' }),
    ]);
    expect(await waitingIn(stack.app, called.id)).toEqual(['work']);
  });

  it('continues the caller with the out variables when the called instance completes', async () => {
    const callerId = await startCaller();
    const called = await onlyCalledBy(stack.app, callerId);

    await completeOnlyTask(stack.app, called.id, { result: { value: 'ok', type: 'String' } });

    expect(await isRunning(called.id)).toBe(false);
    expect(await waitingIn(stack.app, callerId)).toEqual(['afterCall']);
    expect(await variables(callerId)).toMatchObject({
      outcome: { value: 'ok', type: 'String' },
      shout: { value: 'ok!', type: 'String' },
    });
    expect(await historic(called.id)).toMatchObject({
      state: 'COMPLETED',
      superProcessInstanceId: callerId,
      rootProcessInstanceId: callerId,
    });
    expect(await historic(callerId)).toMatchObject({
      superProcessInstanceId: null,
      rootProcessInstanceId: callerId,
    });
    const sub = (
      await api().get(`/engine-rest/history/process-instance?superProcessInstanceId=${callerId}`).expect(200)
    ).body as Array<{ id: string }>;
    expect(sub.map((instance) => instance.id)).toEqual([called.id]);
    const [row] = (
      await api()
        .get(`/engine-rest/history/activity-instance?processInstanceId=${callerId}&activityId=call`)
        .expect(200)
    ).body;
    expect(row).toMatchObject({
      activityType: 'callActivity',
      calledProcessInstanceId: called.id,
      canceled: false,
    });
    expect(row.endTime).toEqual(expect.any(String));
    const calledRows = (
      await api().get(`/engine-rest/history/activity-instance?processInstanceId=${called.id}`).expect(200)
    ).body as Array<{ rootProcessInstanceId: string }>;
    expect(calledRows.map((r) => r.rootProcessInstanceId)).toEqual(calledRows.map(() => callerId));
  });

  it('resolves each binding: latest, deployment, version and versionTag', async () => {
    const first = await deployProcesses(stack.app, {
      bound: calleeProcess('bound', 'alpha'),
      byDeployment: callingProcess(
        'byDeployment',
        '<callActivity id="call" calledElement="bound" camunda:calledElementBinding="deployment" />',
      ),
    });
    const second = await deployProcesses(stack.app, { bound: calleeProcess('bound', 'beta') });
    await deployProcesses(stack.app, { bound: calleeProcess('bound', 'gamma') });
    await deployProcesses(stack.app, {
      byLatest: callingProcess('byLatest', '<callActivity id="call" calledElement="bound" />'),
      byVersion: callingProcess(
        'byVersion',
        '<callActivity id="call" calledElement="${key}" camunda:calledElementBinding="version" camunda:calledElementVersion="${version}" />',
      ),
      byTag: callingProcess(
        'byTag',
        '<callActivity id="call" calledElement="bound" camunda:calledElementBinding="versionTag" camunda:calledElementVersionTag="beta" />',
      ),
    });
    const calledDefinition = async (key: string, body: object = {}) =>
      (await onlyCalledBy(stack.app, await startInstance(stack.app, key, body))).definitionId;

    expect(await calledDefinition('byLatest')).toMatch(/^bound:3:/);
    expect(await calledDefinition('byDeployment')).toBe(first.bound);
    expect(
      await calledDefinition('byVersion', {
        variables: { key: { value: 'bound' }, version: { value: 2, type: 'Integer' } },
      }),
    ).toBe(second.bound);
    expect(await calledDefinition('byTag')).toBe(second.bound);
  });

  it('fails the step with Camunda’s message when the called process does not exist', async () => {
    await deployProcesses(stack.app, {
      callsNothing: callingProcess('callsNothing', '<callActivity id="call" calledElement="nowhere" />'),
      callsMissingVersion: callingProcess(
        'callsMissingVersion',
        '<callActivity id="call" calledElement="callee" camunda:calledElementBinding="version" camunda:calledElementVersion="9" />',
      ),
    });

    const missing = await api().post('/engine-rest/process-definition/key/callsNothing/start').send({});
    const noVersion = await api()
      .post('/engine-rest/process-definition/key/callsMissingVersion/start')
      .send({});

    expect(missing.status).toBe(500);
    expect(missing.body.message).toMatch(
      /^Cannot instantiate process definition callsNothing:1:\S+: no processes deployed with key 'nowhere': processDefinition is null$/,
    );
    expect(noVersion.body.message).toContain(
      "no processes deployed with key = 'callee', version = '9' and tenant-id = 'null': processDefinition is null",
    );
    const count = await api().get('/engine-rest/process-instance/count?processDefinitionKey=callsNothing');
    expect(count.body.count).toBe(0);
  });

  it('becomes a failed job after an asyncBefore when the called process does not exist', async () => {
    await deployProcesses(stack.app, {
      callsLater: callingProcess(
        'callsLater',
        '<callActivity id="call" calledElement="notYet" camunda:asyncBefore="true" />',
      ),
    });
    const id = await startInstance(stack.app, 'callsLater');
    const [job] = (await api().get(`/engine-rest/job?processInstanceId=${id}`).expect(200)).body;

    for (let attempt = 0; attempt < 3; attempt++) {
      await api().post(`/engine-rest/job/${job.id}/execute`).send({});
    }

    const failed = (await api().get(`/engine-rest/job/${job.id}`).expect(200)).body;
    expect(failed).toMatchObject({
      retries: 0,
      exceptionMessage: "no processes deployed with key 'notYet': processDefinition is null",
    });
    await deployProcesses(stack.app, { notYet: calleeProcess('notYet') });
    await api().put(`/engine-rest/job/${job.id}/retries`).send({ retries: 1 }).expect(204);
    await api().post(`/engine-rest/job/${job.id}/execute`).send({}).expect(204);
    expect((await onlyCalledBy(stack.app, id)).definitionId).toMatch(/^notYet:1:/);
  });

  it('runs nested calls A → B → C and continues each caller as its called instance completes', async () => {
    await deployProcesses(stack.app, {
      leaf: calleeProcess('leaf'),
      middle: callingProcess('middle', '<callActivity id="call" calledElement="leaf" />', false),
      top: callingProcess('top', '<callActivity id="call" calledElement="middle" />'),
    });
    const top = await startInstance(stack.app, 'top');
    const middle = await onlyCalledBy(stack.app, top);
    const leaf = await onlyCalledBy(stack.app, middle.id);

    expect(await historic(leaf.id)).toMatchObject({
      superProcessInstanceId: middle.id,
      rootProcessInstanceId: top,
    });
    const family = (await api().get(`/engine-rest/process-instance?rootProcessInstanceId=${top}`).expect(200))
      .body;
    expect(family.map((i: { id: string }) => i.id).sort()).toEqual([top, middle.id, leaf.id].sort());

    await completeOnlyTask(stack.app, leaf.id);

    expect(await isRunning(leaf.id)).toBe(false);
    expect(await isRunning(middle.id)).toBe(false);
    expect(await waitingIn(stack.app, top)).toEqual(['afterCall']);
  });

  it('deletes the called instances, down the hierarchy, when the caller is deleted', async () => {
    const top = await startInstance(stack.app, 'top');
    const middle = await onlyCalledBy(stack.app, top);
    const leaf = await onlyCalledBy(stack.app, middle.id);

    await api().delete(`/engine-rest/process-instance/${top}?deleteReason=obsolete`).expect(204);

    for (const id of [top, middle.id, leaf.id]) {
      expect(await isRunning(id)).toBe(false);
      expect(await historic(id)).toMatchObject({ state: 'EXTERNALLY_TERMINATED' });
    }
    expect((await api().get(`/engine-rest/history/process-instance/${leaf.id}`)).body.deleteReason).toBe(
      'obsolete',
    );
  });

  it('cancels the call activity when its called instance is deleted, ending a caller left empty', async () => {
    const callerId = await startCaller();
    const called = await onlyCalledBy(stack.app, callerId);

    await api().delete(`/engine-rest/process-instance/${called.id}`).expect(204);

    expect(await isRunning(callerId)).toBe(false);
    expect(await historic(callerId)).toMatchObject({ state: 'EXTERNALLY_TERMINATED' });
  });

  it('deletes the called instance when modification cancels the call activity or a boundary event interrupts it', async () => {
    const modified = await startCaller();
    const calledByModified = await onlyCalledBy(stack.app, modified);
    const interrupted = await startCaller();
    const calledByInterrupted = await onlyCalledBy(stack.app, interrupted);

    await api()
      .post(`/engine-rest/process-instance/${modified}/modification`)
      .send({
        instructions: [
          { type: 'startBeforeActivity', activityId: 'afterCall' },
          { type: 'cancel', activityId: 'call' },
        ],
      })
      .expect(204);
    await api()
      .post('/engine-rest/message')
      .send({ messageName: 'abort', processInstanceId: interrupted })
      .expect(204);

    expect(await waitingIn(stack.app, modified)).toEqual(['afterCall']);
    expect(await isRunning(calledByModified.id)).toBe(false);
    expect(await isRunning(interrupted)).toBe(false);
    expect(await historic(calledByInterrupted.id)).toMatchObject({ state: 'EXTERNALLY_TERMINATED' });
  });

  it('starts another called instance when modification starts before the call activity', async () => {
    const callerId = await startCaller();

    await api()
      .post(`/engine-rest/process-instance/${callerId}/modification`)
      .send({ instructions: [{ type: 'startBeforeActivity', activityId: 'call' }] })
      .expect(204);

    const called = await calledBy(stack.app, callerId);
    expect(called).toHaveLength(2);
    expect(called.every((instance) => instance.businessKey === 'A-1')).toBe(true);
    await completeOnlyTask(stack.app, called[0]!.id, { result: { value: 'first', type: 'String' } });
    expect(await waitingIn(stack.app, callerId)).toEqual(['afterCall', 'call']);
  });

  it('cancels each call activity once when several called instances of a caller end in one transaction', async () => {
    const callerId = await startCaller();
    await api()
      .post(`/engine-rest/process-instance/${callerId}/modification`)
      .send({
        instructions: [
          { type: 'startBeforeActivity', activityId: 'afterCall' },
          { type: 'startBeforeActivity', activityId: 'call' },
        ],
      })
      .expect(204);
    const called = await calledBy(stack.app, callerId);
    expect(called).toHaveLength(2);

    await stack.services.runtime.updateMany(
      called.map((instance) => instance.id),
      (model, state, ctx) => cancelInstance(model, state, {}, ctx),
    );

    expect(await calledBy(stack.app, callerId)).toEqual([]);
    expect(await waitingIn(stack.app, callerId)).toEqual(['afterCall']);
    const calls = (
      await api()
        .get(`/engine-rest/history/activity-instance?processInstanceId=${callerId}&activityId=call`)
        .expect(200)
    ).body as Array<{ canceled: boolean; endTime: string | null }>;
    expect(calls.map((call) => [call.canceled, call.endTime !== null])).toEqual([
      [true, true],
      [true, true],
    ]);
  });
});
