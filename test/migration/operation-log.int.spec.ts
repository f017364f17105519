import request from 'supertest';
import { fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/** `GET /history/user-operation`: entries carry the authenticated user; Camunda's filters, sorting, paging. */
describe('GET /history/user-operation', () => {
  let stack: TestStack;
  const as = (user: string) => ({
    get: (path: string) => request(stack.app).get(`/engine-rest${path}`).auth(user, 'pw'),
    post: (path: string) => request(stack.app).post(`/engine-rest${path}`).auth(user, 'pw'),
  });

  /** Deploys approval v1 and v2 through the repository (the REST deployment would need credentials too). */
  const deployBoth = async () => {
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const result = await stack.services.repository.deploy({
        name: `audit-${version}`,
        source: null,
        tenantId: null,
        enableDuplicateFiltering: false,
        deployChangedOnly: false,
        resources: [
          {
            name: `audit-${version}.bpmn`,
            content: withKey(fixture(`migration/approval-${version}.bpmn`), 'approval', 'approvalAudit'),
          },
        ],
      });
      ids.push(result.definitions![0]!.id);
    }
    return ids as [string, string];
  };

  beforeAll(async () => {
    stack = await startTestStack({ env: { BASIC_AUTH_USERS: 'alice:pw,bob:pw' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('logs who migrated and modified, and filters, sorts and pages the entries', async () => {
    const [v1, v2] = await deployBoth();
    const start = async (user: string) =>
      (
        await as(user)
          .post(`/process-definition/${v1}/start`)
          .send({ variables: { initiator: { value: user, type: 'String' } } })
          .expect(200)
      ).body.id as string;
    const first = await start('alice');
    const second = await start('bob');
    const beforeMigration = new Date(Date.now() - 1000);
    const plan = (
      await as('alice')
        .post('/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
        .expect(200)
    ).body;
    await as('alice')
      .post('/migration/execute')
      .send({ migrationPlan: plan, processInstanceIds: [first] })
      .expect(204);
    await as('bob')
      .post(`/process-instance/${second}/modification`)
      .send({
        instructions: [{ type: 'startBeforeActivity', activityId: 'approve' }],
        annotation: 'second approver',
      })
      .expect(204);

    const byAlice = (await as('bob').get('/history/user-operation?userId=alice').expect(200)).body;
    expect(byAlice.map((e: { operationType: string }) => e.operationType)).toEqual([
      'Migrate',
      'Migrate',
      'Migrate',
    ]);
    const byBob = (
      await as('bob').get('/history/user-operation?userId=bob&entityType=ProcessInstance').expect(200)
    ).body;
    expect(byBob).toEqual([
      expect.objectContaining({
        operationType: 'ModifyProcessInstance',
        processInstanceId: second,
        processDefinitionId: v1,
        processDefinitionKey: 'approvalAudit',
        annotation: 'second approver',
        userId: 'bob',
      }),
    ]);
    expect(
      (await as('bob').get('/history/user-operation/count?processDefinitionKey=approvalAudit').expect(200))
        .body,
    ).toEqual({ count: 4 });
    const stamp = encodeURIComponent(beforeMigration.toISOString().replace('Z', '+0000'));
    expect(
      (await as('bob').get(`/history/user-operation/count?afterTimestamp=${stamp}`).expect(200)).body.count,
    ).toBe(4);
    expect(
      (await as('bob').get(`/history/user-operation/count?beforeTimestamp=${stamp}`).expect(200)).body.count,
    ).toBe(0);
    const sorted = (
      await as('bob')
        .get('/history/user-operation?sortBy=timestamp&sortOrder=desc&firstResult=0&maxResults=1')
        .expect(200)
    ).body;
    expect(sorted).toEqual([expect.objectContaining({ operationType: 'ModifyProcessInstance' })]);
    await as('bob').get('/history/user-operation?sortBy=userId&sortOrder=asc').expect(400);
  });
});
