import type { Express } from 'express';
import request from 'supertest';
import { startInstancesOf } from './migration';
import { deploy, fixture, withKey } from './rest';
import type { TestStack } from './test-stack';

/** Starts the latest version of `key`; resolves to the new instance id (fails the test on an error). */
export async function startInstance(app: Express, key: string, body: object = {}): Promise<string> {
  const response = await request(app).post(`/engine-rest/process-definition/key/${key}/start`).send(body);
  if (response.status !== 200) {
    throw new Error(`starting ${key} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.id as string;
}

/** A REST variable map from plain values (`Integer` for whole numbers, as Camunda infers them). */
export function restVariables(values: Record<string, string | number | boolean>): Record<string, object> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === 'number' && Number.isInteger(value) ? { value, type: 'Integer' } : { value },
    ]),
  );
}

interface TreeNode {
  readonly activityId: string;
  readonly childActivityInstances: readonly TreeNode[];
}

/**
 * The ids of the activities an instance currently waits in (leaves of its activity-instance tree),
 * sorted; `null` once the instance has ended.
 */
export async function waitingIn(app: Express, instanceId: string): Promise<string[] | null> {
  const response = await request(app).get(`/engine-rest/process-instance/${instanceId}/activity-instances`);
  if (response.status === 404) return null;
  const leaves: string[] = [];
  const walk = (node: TreeNode) => {
    if (node.childActivityInstances.length === 0) leaves.push(node.activityId);
    node.childActivityInstances.forEach(walk);
  };
  (response.body as TreeNode).childActivityInstances.forEach(walk);
  return leaves.sort();
}

/**
 * Starts `count` instances of the latest version of `key` through the runtime service (the fast seeding
 * path: many instances per transaction, no HTTP round trip each).
 */
export async function startMany(stack: TestStack, key: string, count: number): Promise<void> {
  const definition = await stack.services.repository.latestDefinition(key, null);
  if (!definition) throw new Error(`no definition with key ${key} is deployed`);
  for (let started = 0; started < count; started += 500) {
    await startInstancesOf(stack, definition.id, Math.min(500, count - started));
  }
}

/** Deploys `order.bpmn` (one user task) under `key` and starts `count` instances waiting in it. */
export async function seedWaitingOrders(stack: TestStack, key: string, count: number): Promise<void> {
  await deploy(stack.app, [
    { name: `${key}.bpmn`, content: withKey(fixture('order.bpmn'), 'order', key) },
  ]).expect(200);
  await startMany(stack, key, count);
}
