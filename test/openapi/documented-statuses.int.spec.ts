import request from 'supertest';
import type { OpenApiDocument } from '../../apps/api/openapi/document';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startById } from '../support/migration';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

/** The routes whose every documented status this file answers at least once. */
const COVERED_TAGS = ['Migration', 'Modification', 'Batch', 'Process Instance'];

/**
 * Every status the OpenAPI document promises for the migration, modification, batch and process-instance
 * routes, answered for real (the test stack checks each answer's body against its documented schema);
 * the last test fails when a documented status of those routes was never seen.
 */
describe('the documented statuses of the batch-operation routes', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  let v1: string;
  let v2: string;
  let instance: string;
  let batchId: string;
  let withTimer: string;
  const api = () => request(stack.app);
  const rest = (path: string) => `/engine-rest${path}`;
  const unknown = '00000000-0000-0000-0000-000000000000';
  /** The document's operations of the covered routes, by path. */
  const coveredOperations = async () => {
    const document = (await api().get('/openapi.json').expect(200)).body as OpenApiDocument;
    return Object.fromEntries(
      Object.entries(document.paths)
        .map(([path, operations]) => [
          path,
          Object.fromEntries(
            Object.entries(operations).filter(([, operation]) =>
              operation.tags.some((tag) => COVERED_TAGS.includes(tag)),
            ),
          ),
        ])
        .filter(([, operations]) => Object.keys(operations as object).length > 0),
    ) as OpenApiDocument['paths'];
  };

  beforeAll(async () => {
    stack = await startTestStack({ env: { LOG_LEVEL: 'warn' } });
    const ids: string[] = [];
    for (const file of ['order.bpmn', 'order-v2.bpmn']) {
      const deployed = await deploy(stack.app, [{ name: file, content: fixture(file) }]).expect(200);
      ids.push(Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!);
    }
    [v1, v2] = ids as [string, string];
    instance = await startById(stack.app, v1, { amount: { value: 5, type: 'Integer' } });
    await deploy(stack.app, [{ name: 'timers.bpmn', content: fixture('timers.bpmn') }]).expect(200);
    const waiting = await api()
      .post(rest('/process-definition/key/timerWait/start'))
      .send({ variables: { wait: { value: 'PT1H', type: 'String' } } })
      .expect(200);
    withTimer = waiting.body.id as string;
  });
  afterAll(async () => {
    await stopWorker?.();
    await stack?.close();
  });

  it('answers the process-instance routes', async () => {
    const instances = rest('/process-instance');
    await api().get(instances).expect(200);
    await api().get(`${instances}?sortBy=nothing&sortOrder=asc`).expect(400);
    await api().post(instances).send({ processDefinitionId: v1 }).expect(200);
    await api()
      .post(instances)
      .send({ sorting: [{ sortBy: 'nothing', sortOrder: 'asc' }] })
      .expect(400);
    await api().get(`${instances}/count`).expect(200);
    await api().get(`${instances}/count?suspended=maybe`).expect(400);
    await api().post(`${instances}/count`).send({}).expect(200);
    await api().post(`${instances}/count`).send({ processInstanceIds: 'not a list' }).expect(400);
    await api().get(`${instances}/${instance}`).expect(200);
    await api().get(`${instances}/${unknown}`).expect(404);
    await api().get(`${instances}/%E0%A4%A`).expect(400);
    await api().get(`${instances}/${instance}/activity-instances`).expect(200);
    await api().get(`${instances}/${unknown}/activity-instances`).expect(404);
    await api().get(`${instances}/${instance}/batches`).expect(200);
    await api().get(`${instances}/${instance}/batches?maxResults=minus`).expect(400);
    await api().get(`${instances}/${instance}/variables`).expect(200);
    await api().get(`${instances}/${unknown}/variables`).expect(404);
    const variables = `${instances}/${instance}/variables`;
    await api()
      .post(variables)
      .send({ modifications: { note: { value: 'a', type: 'String' } } })
      .expect(204);
    await api()
      .post(variables)
      .send({ modifications: { note: { value: 'a', type: 'Nope' } } })
      .expect(400);
    await api().post(`${instances}/${unknown}/variables`).send({ modifications: {} }).expect(404);
    await api().get(`${variables}/note`).expect(200);
    await api().get(`${variables}/missing`).expect(404);
    await api().put(`${variables}/other`).send({ value: 1, type: 'Integer' }).expect(204);
    await api().put(`${variables}/other`).send({ value: 'x', type: 'Integer' }).expect(400);
    await api()
      .put(`${instances}/${unknown}/variables/other`)
      .send({ value: 1, type: 'Integer' })
      .expect(404);
    await api().delete(`${variables}/other`).expect(204);
    await api().delete(`${variables}/%E0%A4%A`).expect(400);
    await api().delete(`${instances}/${unknown}/variables/other`).expect(404);
    await api().put(`${instances}/${instance}/suspended`).send({ suspended: true }).expect(204);
    await api().put(`${instances}/${instance}/suspended`).send({ suspended: false }).expect(204);
    await api().put(`${instances}/${instance}/suspended`).send({ suspended: 'yes' }).expect(400);
    await api().put(`${instances}/${unknown}/suspended`).send({ suspended: true }).expect(404);
    await api().put(`${instances}/suspended`).send({ processDefinitionId: v2, suspended: false }).expect(204);
    await api().put(`${instances}/suspended`).send({ suspended: true }).expect(400);
  });

  it('answers the process-instance batch routes', async () => {
    const instances = rest('/process-instance');
    const ids = { processInstanceIds: [instance] };
    await api()
      .post(`${instances}/message-async`)
      .send({ ...ids, messageName: 'Nothing' })
      .expect(200);
    await api().post(`${instances}/message-async`).send(ids).expect(400);
    await api()
      .post(`${instances}/variables-async`)
      .send({ ...ids, variables: { flag: { value: true, type: 'Boolean' } } })
      .expect(200);
    await api().post(`${instances}/variables-async`).send(ids).expect(400);
    for (const path of ['job-retries', 'job-retries-historic-query-based']) {
      await api()
        .post(`${instances}/${path}`)
        .send({ processInstances: [withTimer], retries: 1 })
        .expect(200);
      await api()
        .post(`${instances}/${path}`)
        .send({ processInstances: [instance] })
        .expect(400);
    }
    await api()
      .post(`${instances}/suspended-async`)
      .send({ ...ids, suspended: false })
      .expect(200);
    await api().post(`${instances}/suspended-async`).send({ suspended: true }).expect(400);
    await api().post(`${instances}/delete`).send({ deleteReason: 'no instances' }).expect(400);
  });

  it('answers the migration routes', async () => {
    const plan = (
      await api().post(rest('/migration/generate')).send({
        sourceProcessDefinitionId: v1,
        targetProcessDefinitionId: v2,
      })
    ).body as object;
    await api().post(rest('/migration/generate')).send({ sourceProcessDefinitionId: v1 }).expect(400);
    await api().post(rest('/migration/validate')).send(plan).expect(200);
    await api().post(rest('/migration/validate')).send({ sourceProcessDefinitionId: unknown }).expect(400);
    const other = await startById(stack.app, v1);
    await api()
      .post(rest('/migration/execute'))
      .send({ migrationPlan: plan, processInstanceIds: [other] })
      .expect(204);
    await api()
      .post(rest('/migration/execute'))
      .send({ processInstanceIds: [other] })
      .expect(400);
    const created = await api()
      .post(rest('/migration/executeAsync'))
      .send({ migrationPlan: plan, processInstanceIds: [instance] })
      .expect(200);
    batchId = created.body.id as string;
    await api()
      .post(rest('/migration/executeAsync'))
      .send({ processInstanceIds: [instance] })
      .expect(400);
  });

  it('answers the modification routes', async () => {
    const target = await startById(stack.app, v2);
    const cancelShip = { instructions: [{ type: 'startBeforeActivity', activityId: 'ship' }] };
    await api()
      .post(rest('/modification/execute'))
      .send({ processDefinitionId: v2, processInstanceIds: [target], ...cancelShip })
      .expect(204);
    await api().post(rest('/modification/execute')).send(cancelShip).expect(400);
    await api()
      .post(rest('/modification/executeAsync'))
      .send({ processDefinitionId: v2, processInstanceIds: [target], ...cancelShip })
      .expect(200);
    await api().post(rest('/modification/executeAsync')).send(cancelShip).expect(400);
    const modification = rest(`/process-instance/${target}/modification`);
    await api().post(modification).send(cancelShip).expect(204);
    await api()
      .post(modification)
      .send({ instructions: [{ type: 'cancel' }] })
      .expect(400);
    await api().post(`${modification}-async`).send(cancelShip).expect(200);
    await api().post(`${modification}-async`).send({ instructions: 'none' }).expect(400);
  });

  it('answers the batch routes', async () => {
    const batch = rest(`/batch/${batchId}`);
    for (const path of ['', '/count', '/statistics', '/statistics/count']) {
      await api()
        .get(rest(`/batch${path}`))
        .expect(200);
      await api()
        .get(rest(`/batch${path}?withoutTenantId=perhaps`))
        .expect(400);
    }
    await api().get(rest('/batch/overview')).expect(200);
    await api().get(rest('/batch/overview?state=sleeping')).expect(400);
    await api().get(rest('/batch/overview/count')).expect(200);
    await api().get(rest('/batch/overview/count?state=sleeping')).expect(400);
    // The batches created so far wait for a worker: one is read and suspended while it exists.
    await api().get(batch).expect(200);
    await api()
      .get(rest(`/batch/${unknown}`))
      .expect(404);
    await api().put(`${batch}/suspended`).send({ suspended: false }).expect(204);
    await api().put(`${batch}/suspended`).send({}).expect(400);
    await api()
      .put(rest(`/batch/${unknown}/suspended`))
      .send({ suspended: true })
      .expect(400);
    stopWorker = await startTestWorker(stack);
    await waitUntil(
      async () => (await api().get(rest(`/history/batch/${batchId}`))).body.endTime !== null,
      30_000,
    );
    await api().get(`${batch}/items`).expect(200);
    await api().get(`${batch}/items?state=lost`).expect(400);
    await api()
      .get(rest(`/batch/${unknown}/items`))
      .expect(404);
    await api().get(`${batch}/items/count`).expect(200);
    await api().get(`${batch}/items/count?state=lost`).expect(400);
    for (const path of ['/progress', '/progress/timeline', '/overview', '/failures/count']) {
      await api().get(`${batch}${path}`).expect(200);
      await api()
        .get(rest(`/batch/${unknown}${path}`))
        .expect(404);
    }
    for (const path of ['/failures', '/failures/items']) {
      await api().get(`${batch}${path}`).expect(200);
      await api().get(`${batch}${path}?firstResult=first`).expect(400);
      await api()
        .get(rest(`/batch/${unknown}${path}`))
        .expect(404);
    }
    for (const path of ['/failures/retry', '/failures/delete']) {
      await api().post(`${batch}${path}`).send({}).expect(200);
      await api().post(`${batch}${path}`).send({ reason: 7 }).expect(400);
      await api()
        .post(rest(`/batch/${unknown}${path}`))
        .send({})
        .expect(404);
    }
    const history = rest('/history/batch');
    await api().get(history).expect(200);
    await api().get(`${history}?completed=often`).expect(400);
    await api().get(`${history}/count`).expect(200);
    await api().get(`${history}/count?completed=often`).expect(400);
    await api().get(`${history}/${batchId}`).expect(200);
    await api().get(`${history}/${unknown}`).expect(404);
    await api().get(`${history}/${batchId}/progress`).expect(200);
    await api().get(`${history}/${unknown}/progress`).expect(404);
    await api().delete(`${history}/${batchId}`).expect(204);
    await api().delete(`${history}/${unknown}`).expect(400);
    const running = await api()
      .post(rest('/process-instance/suspended-async'))
      .send({ processInstanceIds: [instance], suspended: false })
      .expect(200);
    await api()
      .delete(rest(`/batch/${running.body.id as string}`))
      .expect(204);
    await api()
      .delete(rest(`/batch/${unknown}`))
      .expect(400);
    await api()
      .post(rest('/process-instance/delete'))
      .send({ processInstanceIds: [instance] })
      .expect(200);
    await api()
      .delete(rest(`/process-instance/${unknown}`))
      .expect(404);
    const last = await startById(stack.app, v1);
    await api()
      .delete(rest(`/process-instance/${last}`))
      .expect(204);
  });

  it('refuses a path parameter that is not valid URL encoding on every route with one', async () => {
    for (const [path, operations] of Object.entries(await coveredOperations())) {
      if (!path.includes('{')) continue;
      for (const method of Object.keys(operations)) {
        const url = path.replace(/\{\w+\}/g, '%E0%A4%A');
        const call = api()[method as 'get' | 'post' | 'put' | 'delete'](url);
        await (method === 'get' || method === 'delete' ? call : call.send({})).expect(400);
      }
    }
  });

  it('has answered every documented status of those routes', async () => {
    const document = { paths: await coveredOperations() };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.keys(operation.responses)
          .filter((status) => status !== 'default')
          .map((status) => `${method.toUpperCase()} ${path} ${status}`),
      ),
    );
    expect(documented.length).toBeGreaterThan(100);
    expect(documented.filter((answer) => !stack.contract.seen.has(answer))).toEqual([]);
    expect(stack.contract.violations).toEqual([]);
  });
});
