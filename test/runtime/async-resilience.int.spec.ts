import request from 'supertest';
import type { RunningProcess } from '../support/processes';
import { waitUntil } from '../support/redis-server';
import { deploy } from '../support/rest';
import { startInstancesOf } from '../support/migration';
import { startTestStack, type TestStack } from '../support/test-stack';
import { spawnWorkerProcess, stopWorkerProcesses } from '../support/worker';

/** `start → charge (asyncBefore, pass-through) → approve`: one asynchronous continuation per instance. */
const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                  id="asyncResilience" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="asyncKilled" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toCharge" sourceRef="start" targetRef="charge" />
    <bpmn:serviceTask id="charge" camunda:asyncBefore="true" camunda:expression="\${true}" />
    <bpmn:sequenceFlow id="toApprove" sourceRef="charge" targetRef="approve" />
    <bpmn:userTask id="approve" />
    <bpmn:sequenceFlow id="toEnd" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

/**
 * Nothing is lost, nothing runs twice: a worker process killed with SIGKILL while it executes
 * asynchronous continuations leaves every job to run once to completion (the job row is the truth; a
 * run cut short rolls back and runs again on the surviving worker).
 */
describe('asynchronous continuations when a worker is killed', () => {
  let stack: TestStack;
  let workers: RunningProcess[] = [];
  const count = async (query: string) =>
    (await request(stack.app).get(`/engine-rest/${query}`).expect(200)).body.count as number;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stopWorkerProcesses(workers);
    await stack.close();
  });

  it('runs every job exactly once to completion after one of two workers is SIGKILLed mid-run', async () => {
    const deployed = await deploy(stack.app, [{ name: 'async-killed.bpmn', content: PROCESS }]).expect(200);
    const definitionId = Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!;
    const total = 1500;
    const ids = await startInstancesOf(stack, definitionId, total);
    expect(await count(`job/count?processDefinitionId=${definitionId}`)).toBe(total);

    workers = [spawnWorkerProcess(stack), spawnWorkerProcess(stack)];
    const approved = `task/count?taskDefinitionKey=approve&processDefinitionId=${definitionId}`;
    await waitUntil(async () => (await count(approved)) >= 150, 60_000, 25);
    workers[0]!.child.kill('SIGKILL');
    expect(await count(approved)).toBeLessThan(total);

    await waitUntil(async () => (await count(approved)) === total, 90_000, 250);
    expect(await count(`job/count?processDefinitionId=${definitionId}`)).toBe(0);
    expect(await count(`incident/count?processDefinitionId=${definitionId}`)).toBe(0);
    // Once per instance: a run that was cut short left no trace, none completed twice.
    expect(
      await count(`history/activity-instance/count?activityId=charge&processDefinitionId=${definitionId}`),
    ).toBe(total);
    const tasks = (
      await request(stack.app).get(`/engine-rest/task?processDefinitionId=${definitionId}`).expect(200)
    ).body as Array<{ processInstanceId: string }>;
    expect(new Set(tasks.map((task) => task.processInstanceId))).toEqual(new Set(ids));
  }, 180_000);
});
