import type { Express } from 'express';
import request from 'supertest';
import { completeTask, modifyInstance, type VariableMap } from '@libs/engine';
import { deploy, fixture, withKey } from './rest';
import type { TestStack } from './test-stack';

/**
 * Deploys `test/fixtures/migration/<name>-v1.bpmn` then `-v2` under the process key `key` (so tests
 * stay independent); resolves to the two definition ids.
 */
export async function deployVersions(
  app: Express,
  name: string,
  key: string,
): Promise<{ v1: string; v2: string }> {
  const ids: string[] = [];
  for (const version of ['v1', 'v2']) {
    const xml = withKey(fixture(`migration/${name}-${version}.bpmn`), name, key);
    const response = await deploy(app, [{ name: `${key}-${version}.bpmn`, content: xml }]).expect(200);
    ids.push(Object.keys(response.body.deployedProcessDefinitions as object)[0]!);
  }
  return { v1: ids[0]!, v2: ids[1]! };
}

/** Starts an instance of a definition by id; resolves to its id. */
export async function startById(app: Express, definitionId: string, variables: object = {}): Promise<string> {
  const response = await request(app)
    .post(`/engine-rest/process-definition/${definitionId}/start`)
    .send({ variables })
    .expect(200);
  return response.body.id as string;
}

/** Starts `count` instances of a definition in one go through the runtime; resolves to their ids. */
export async function startInstancesOf(
  stack: TestStack,
  definitionId: string,
  count: number,
  variables: VariableMap = {},
): Promise<string[]> {
  const definition = (await stack.services.repository.getDefinition(definitionId))!;
  const started = await stack.services.runtime.start(
    definition,
    Array.from({ length: count }, () => ({ businessKey: null, variables })),
  );
  return started.map((state) => state.id);
}

/**
 * Starts `count` instances of the `fork` fixture that wait in `taskA` only (their `taskB` cancelled), so
 * that a plan mapping `taskA` alone suits them; resolves to their ids.
 */
export async function startWaitingInTaskA(
  stack: TestStack,
  definitionId: string,
  count: number,
): Promise<string[]> {
  const ids = await startInstancesOf(stack, definitionId, count);
  for (const id of ids) {
    await stack.services.runtime.update(id, (model, state, ctx) =>
      modifyInstance(model, state, { instructions: [{ type: 'cancel', activityId: 'taskB' }] }, ctx),
    );
  }
  return ids;
}

/** The open task of `activityId` in an instance (id, assignee), read from the runtime state. */
export async function taskIn(
  stack: TestStack,
  instanceId: string,
  activityId: string,
): Promise<{ id: string; assignee: string | null; taskDefinitionKey: string }> {
  const state = await stack.services.runtime.load(instanceId);
  const task = state?.tasks.find((candidate) => candidate.taskDefinitionKey === activityId);
  if (!task) throw new Error(`instance ${instanceId} has no task of ${activityId}`);
  return task;
}

/** Completes the open task of `activityId` (this branch has no task REST; the runtime does it). */
export async function completeTaskIn(
  stack: TestStack,
  instanceId: string,
  activityId: string,
): Promise<void> {
  const task = await taskIn(stack, instanceId, activityId);
  await stack.services.runtime.update(instanceId, (model, state, ctx) =>
    completeTask(model, state, { taskId: task.id }, ctx),
  );
}

/** The activity ids an instance passed through, in order (`GET /history/activity-instance`). */
export async function historyPath(app: Express, instanceId: string): Promise<string[]> {
  const response = await request(app)
    .get(
      `/engine-rest/history/activity-instance?processInstanceId=${instanceId}&sortBy=occurrence&sortOrder=asc`,
    )
    .expect(200);
  return (response.body as Array<{ activityId: string }>).map((row) => row.activityId);
}

/** The historic process instance (`GET /history/process-instance/{id}`). */
export async function historicInstance(
  app: Express,
  instanceId: string,
): Promise<{ state: string; processDefinitionId: string; processDefinitionKey: string }> {
  return (await request(app).get(`/engine-rest/history/process-instance/${instanceId}`).expect(200)).body;
}

/** The failed jobs (no retries left) of a batch's execution-job definition, through `GET /job`. */
export async function failedBatchJobs(
  app: Express,
  batchJobDefinitionId: string,
): Promise<Array<{ id: string; exceptionMessage: string; retries: number }>> {
  const response = await request(app)
    .get(`/engine-rest/job?jobDefinitionId=${batchJobDefinitionId}&noRetriesLeft=true`)
    .expect(200);
  return response.body as Array<{ id: string; exceptionMessage: string; retries: number }>;
}

/** Cancels `activityId` in each instance through `POST /process-instance/{id}/modification`. */
export async function cancelActivity(
  app: Express,
  instanceIds: readonly string[],
  activityId: string,
): Promise<void> {
  for (const id of instanceIds) {
    await request(app)
      .post(`/engine-rest/process-instance/${id}/modification`)
      .send({ instructions: [{ type: 'cancel', activityId }] })
      .expect(204);
  }
}

/**
 * Migration batch over instances of the `fork` fixture (given by id, or selected by a query) with a
 * plan that maps `taskA` alone: instances still waiting in `taskB` fail. Resolves to the created batch.
 */
export async function migrateForkTaskA(
  app: Express,
  versions: { v1: string; v2: string },
  selection: readonly string[] | { processInstanceQuery: object },
): Promise<{ id: string; batchJobDefinitionId: string }> {
  const response = await request(app)
    .post('/engine-rest/migration/executeAsync')
    .send({
      migrationPlan: {
        sourceProcessDefinitionId: versions.v1,
        targetProcessDefinitionId: versions.v2,
        instructions: [{ sourceActivityIds: ['taskA'], targetActivityIds: ['taskA'] }],
      },
      ...(Array.isArray(selection) ? { processInstanceIds: selection } : selection),
    })
    .expect(200);
  return response.body as { id: string; batchJobDefinitionId: string };
}
