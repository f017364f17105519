import request from 'supertest';
import { waitUntil } from '../support/redis-server';
import { calleeProcess, completeOnlyTask, deployProcesses, onlyCalledBy } from '../support/call-activities';
import { waitingIn } from '../support/instances';
import { deployVersions, startById, startInstancesOf } from '../support/migration';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** Migration of instances that wait in a call activity, and of the instances they called. */
describe('migrating call activities', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  let versions: { v1: string; v2: string };
  let callee: string;
  const api = () => request(stack.app);
  const plan = () => ({
    sourceProcessDefinitionId: versions.v1,
    targetProcessDefinitionId: versions.v2,
    instructions: [{ sourceActivityIds: ['call'], targetActivityIds: ['call'] }],
  });
  const callInstanceOf = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body
      .childActivityInstances[0] as { id: string; activityId: string; activityType: string };
  const countOn = async (definitionId: string) =>
    (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${definitionId}`).expect(200))
      .body.count as number;

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '50', BATCH_JOBS_PER_SEED: '10', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
    callee = (await deployProcesses(stack.app, { migrationCallee: calleeProcess('migrationCallee') }))
      .migrationCallee!;
    versions = await deployVersions(stack.app, 'calling', 'calling');
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  it('generates the call activity mapping', async () => {
    const generated = await api()
      .post('/engine-rest/migration/generate')
      .send({ sourceProcessDefinitionId: versions.v1, targetProcessDefinitionId: versions.v2 })
      .expect(200);

    expect(generated.body.instructions).toEqual([
      expect.objectContaining({ sourceActivityIds: ['call'], targetActivityIds: ['call'] }),
    ]);
  });

  it('keeps the call activity instance and its called instance; the caller continues on v2', async () => {
    const caller = await startById(stack.app, versions.v1);
    const before = await callInstanceOf(caller);
    const called = await onlyCalledBy(stack.app, caller);

    await api()
      .post('/engine-rest/migration/execute')
      .send({ migrationPlan: plan(), processInstanceIds: [caller] })
      .expect(204);

    expect(await callInstanceOf(caller)).toMatchObject({ id: before.id, activityType: 'callActivity' });
    expect(await onlyCalledBy(stack.app, caller)).toEqual(called);
    expect(called.definitionId).toBe(callee);
    await completeOnlyTask(stack.app, called.id, { result: { value: 'done', type: 'String' } });
    expect(await waitingIn(stack.app, caller)).toEqual(['reviewV2']);
    // The target's out mappings apply to the called instance that existed before the migration.
    const variables = (await api().get(`/engine-rest/process-instance/${caller}/variables`).expect(200)).body;
    expect(variables).toEqual({ outcomeV2: { value: 'done', type: 'String', valueInfo: {} } });
  });

  it('migrates a called instance while its caller waits, and the caller still continues', async () => {
    const calleeVersions = await deployVersions(stack.app, 'approval', 'calledApproval');
    const deployed = await deployProcesses(stack.app, {
      callsApproval: `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test">
  <process id="callsApproval" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <callActivity id="call" calledElement="calledApproval" camunda:calledElementBinding="version"
                  camunda:calledElementVersion="1">
      <extensionElements><camunda:in variables="all" /></extensionElements>
    </callActivity>
    <sequenceFlow id="f2" sourceRef="call" targetRef="afterCall" />
    <userTask id="afterCall" />
    <sequenceFlow id="f3" sourceRef="afterCall" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`,
    });
    const caller = await startById(stack.app, deployed.callsApproval!, { initiator: { value: 'ops' } });
    const called = await onlyCalledBy(stack.app, caller);
    expect(called.definitionId).toBe(calleeVersions.v1);
    const generated = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: calleeVersions.v1, targetProcessDefinitionId: calleeVersions.v2 })
        .expect(200)
    ).body;

    await api()
      .post('/engine-rest/migration/execute')
      .send({ migrationPlan: generated, processInstanceIds: [called.id] })
      .expect(204);

    expect((await onlyCalledBy(stack.app, caller)).definitionId).toBe(calleeVersions.v2);
    while ((await waitingIn(stack.app, called.id)) !== null) await completeOnlyTask(stack.app, called.id);
    expect(await waitingIn(stack.app, caller)).toEqual(['afterCall']);
  });

  it('migrates 1,000 callers in a batch on workers without touching their called instances', async () => {
    const callers = await startInstancesOf(stack, versions.v1, 1_000);
    const calledBefore = await countOn(callee);

    const created = await api()
      .post('/engine-rest/migration/executeAsync')
      .send({ migrationPlan: plan(), processInstanceQuery: { processDefinitionId: versions.v1 } })
      .expect(200);
    const batchId = created.body.id as string;
    await waitUntil(async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404, 120_000);

    expect(await countOn(versions.v1)).toBe(0);
    expect(await countOn(versions.v2)).toBeGreaterThanOrEqual(1_000);
    expect(await countOn(callee)).toBe(calledBefore);
    const sample = callers[500]!;
    const called = await onlyCalledBy(stack.app, sample);
    expect(called.definitionId).toBe(callee);
    await completeOnlyTask(stack.app, called.id);
    expect(await waitingIn(stack.app, sample)).toEqual(['reviewV2']);
  });
});
