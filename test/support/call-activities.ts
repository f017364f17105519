import type { Express } from 'express';
import request from 'supertest';
import { deploy, fixture, withKey } from './rest';

/**
 * A process `key` that calls `callActivity` (the element's XML) and then waits in `afterCall`, or
 * (`thenWait` false) ends.
 */
export function callingProcess(key: string, callActivity: string, thenWait = true): string {
  const then = thenWait
    ? `<sequenceFlow id="f2" sourceRef="call" targetRef="afterCall" />
    <userTask id="afterCall" />
    <sequenceFlow id="f3" sourceRef="afterCall" targetRef="end" />`
    : '<sequenceFlow id="f2" sourceRef="call" targetRef="end" />';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test">
  <process id="${key}" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    ${callActivity}
    ${then}
    <endEvent id="end" />
  </process>
</definitions>`;
}

/** `test/fixtures/call-activities/callee.bpmn` (one user task `work`) under `key`, with `versionTag`. */
export function calleeProcess(key: string, versionTag = '1.0'): string {
  return withKey(fixture('call-activities/callee.bpmn'), 'callee', key).replace(
    'camunda:versionTag="1.0"',
    `camunda:versionTag="${versionTag}"`,
  );
}

/** Deploys BPMN texts as one deployment; resolves to the ids of its definitions by key. */
export async function deployProcesses(
  app: Express,
  resources: Record<string, string>,
): Promise<Record<string, string>> {
  const response = await deploy(
    app,
    Object.entries(resources).map(([name, content]) => ({ name: `${name}.bpmn`, content })),
  ).expect(200);
  const definitions = response.body.deployedProcessDefinitions as Record<string, { key: string }>;
  return Object.fromEntries(Object.entries(definitions).map(([id, { key }]) => [key, id]));
}

interface InstanceJson {
  id: string;
  definitionId: string;
  businessKey: string | null;
}

/** The running instances that `callerId`'s call activities called (`?superProcessInstance=`). */
export async function calledBy(app: Express, callerId: string): Promise<InstanceJson[]> {
  return (
    await request(app).get(`/engine-rest/process-instance?superProcessInstance=${callerId}`).expect(200)
  ).body as InstanceJson[];
}

/** The one instance `callerId` called; fails unless there is exactly one. */
export async function onlyCalledBy(app: Express, callerId: string): Promise<InstanceJson> {
  const called = await calledBy(app, callerId);
  if (called.length !== 1) throw new Error(`${callerId} called ${called.length} instances`);
  return called[0]!;
}

/** Completes the one open task of an instance, with variables given as plain REST values. */
export async function completeOnlyTask(
  app: Express,
  instanceId: string,
  variables: object = {},
): Promise<void> {
  const tasks = (await request(app).get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200))
    .body as Array<{ id: string }>;
  if (tasks.length !== 1) throw new Error(`${instanceId} has ${tasks.length} tasks`);
  await request(app).post(`/engine-rest/task/${tasks[0]!.id}/complete`).send({ variables }).expect(204);
}
