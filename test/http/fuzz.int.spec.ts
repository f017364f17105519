import { once } from 'node:events';
import type { Server } from 'node:http';
import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { restVariables, startInstance } from '../support/instances';
import { describeRequest, generateRequests, send, type Targets } from '../support/hostile-requests';
import { SeededRandom } from '../support/seeded-random';
import { tableRowCounts } from '../support/table-counts';
import { startTestStack, type TestStack } from '../support/test-stack';

const SEED = 20_240_502;
const REQUESTS = 3_000;

/**
 * Thousands of generated hostile requests over every route (garbage and malformed path parameters,
 * malformed percent-escapes, over-long and huge values, non-finite numbers, wrong JSON types, deep
 * nesting, huge id arrays, broken multipart, bad dates and sort keys, unknown parameters), from a
 * fixed seed, against the real app with real data: none may be answered with a 5xx, and no table may
 * gain or lose a row.
 */
describe('hostile requests', () => {
  let stack: TestStack;
  let server: Server;
  let targets: Targets;

  beforeAll(async () => {
    stack = await startTestStack();
    targets = await seed(stack);
    server = stack.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  it(`answers ${REQUESTS} generated hostile requests with 4xx and changes nothing`, async () => {
    const before = await tableRowCounts(stack.infrastructure.dataSource);
    const hugeIds = Array.from({ length: 100_001 }, (_, i) => `fuzz-${i}`);
    const requests = generateRequests(new SeededRandom(SEED), targets, hugeIds, REQUESTS);
    const failures: string[] = [];
    for (const req of requests) {
      const outcome = await send(server, req).then(
        (response) => (response.status >= 500 ? `${response.status} ${JSON.stringify(response.body)}` : null),
        (error: unknown) => `no answer: ${String(error)}`,
      );
      if (outcome !== null) failures.push(`${outcome}\n    ← ${describeRequest(req)}`);
    }
    if (failures.length > 0) {
      console.log(`${failures.length} of ${REQUESTS} hostile requests failed:\n${failures.join('\n')}`);
    }
    const after = await tableRowCounts(stack.infrastructure.dataSource);
    expect({ failures, rows: after }).toEqual({ failures: [], rows: before });
  }, 240_000);
});

/** Deploys definitions (one with a tenant), starts instances of each and creates a batch. */
async function seed(stack: TestStack): Promise<Targets> {
  const { app } = stack;
  const deployments: string[] = [];
  for (const [name, fields] of [
    ['order.bpmn', {}],
    ['order-v2.bpmn', {}],
    ['payment.bpmn', {}],
    ['timers.bpmn', {}],
    ['review.bpmn', { 'tenant-id': 'tenant-a' }],
  ] as const) {
    const response = await deploy(app, [{ name, content: fixture(name) }], fields).expect(200);
    deployments.push(response.body.id as string);
  }
  const definitions = (await request(app).get('/engine-rest/process-definition').expect(200)).body as Array<{
    id: string;
    key: string;
    version: number;
  }>;
  const instances = [
    await startInstance(app, 'order', { variables: restVariables({ amount: 42, note: 'n' }) }),
    await startInstance(app, 'order', { businessKey: 'B-1' }),
    await startInstance(app, 'payment'),
    await startInstance(app, 'timerBoundary', { variables: { deadline: { value: 'PT1H' } } }),
  ];
  await request(app)
    .post('/engine-rest/process-definition/key/documents/tenant-id/tenant-a/start')
    .send({})
    .expect(200);
  const [v1, v2] = definitions
    .filter((definition) => definition.key === 'order')
    .sort((a, b) => a.version - b.version);
  const batch = await request(app)
    .post('/engine-rest/migration/executeAsync')
    .send({
      migrationPlan: {
        sourceProcessDefinitionId: v1!.id,
        targetProcessDefinitionId: v2!.id,
        instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
      },
      processInstanceIds: [instances[0]],
    })
    .expect(200);
  const ids = async (path: string) =>
    ((await request(app).get(`/engine-rest/${path}`).expect(200)).body as Array<{ id: string }>).map(
      (e) => e.id,
    );
  return {
    deployment: deployments,
    definition: definitions.map((definition) => definition.id),
    key: [...new Set(definitions.map((definition) => definition.key))],
    tenant: ['tenant-a'],
    instance: await ids('process-instance'),
    variable: ['amount', 'note'],
    task: await ids('task'),
    externalTask: await ids('external-task'),
    job: await ids('job'),
    jobDefinition: [batch.body.batchJobDefinitionId as string],
    batch: [batch.body.id as string],
  };
}
