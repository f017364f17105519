import request from 'supertest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { deployVersions, startById } from '../support/migration';

/**
 * A batch over all instances of a definition is counted from the kept per-definition count, any other
 * query by a count bounded at 10,000 instances: both must give the same `totalJobs` after starts,
 * deletions and migrations. A larger selection gets the optimizer's estimate.
 */
const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `SELECT ${d} AS d`).join(' UNION ALL ');

describe('batch selection count', () => {
  let stack: TestStack;
  const api = () => request(stack.app);

  beforeAll(async () => {
    // No worker: the batches are only created and inspected.
    stack = await startTestStack({ env: { BATCH_INVOCATIONS_PER_JOB: '1' } });
  });
  afterAll(async () => stack.close());

  const totalJobsOf = async (processInstanceQuery: Record<string, unknown>) => {
    const response = await api().post('/engine-rest/process-instance/delete').send({ processInstanceQuery });
    return response.status === 200 ? (response.body.totalJobs as number) : response.body.message;
  };

  it('counts the running instances of a definition exactly, by the kept count and by a scan', async () => {
    const { v1, v2 } = await deployVersions(stack.app, 'approval', 'approvalCounted');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(await startById(stack.app, v1, { initiator: { value: 'x', type: 'String' } }));
    for (const id of ids.slice(0, 3)) await api().delete(`/engine-rest/process-instance/${id}`).expect(204);
    await api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: [{ sourceActivityIds: ['approve'], targetActivityIds: ['approve'] }],
        },
        processInstanceIds: ids.slice(3, 7),
      })
      .expect(204);

    expect(await totalJobsOf({ processDefinitionId: v1 })).toBe(5);
    expect(await totalJobsOf({ processDefinitionId: v1, active: true })).toBe(5);
    expect(await totalJobsOf({ processDefinitionId: v2 })).toBe(4);
    expect(await totalJobsOf({ processDefinitionId: v2, active: true })).toBe(4);
  });

  it('falls back to the scan when nothing is kept for a definition (rows written behind the store)', async () => {
    const sql = stack.infrastructure.dataSource;
    for (const id of ['behind-1', 'behind-2', 'behind-3'])
      await sql.query(
        `INSERT INTO ru_process_instance (id, definition_id, definition_key, suspended, start_time, revision)
         VALUES (?, 'written:1:behind', 'written', 0, NOW(3), 1)`,
        [id],
      );
    expect(await totalJobsOf({ processDefinitionId: 'written:1:behind' })).toBe(3);
  });

  it('estimates a selection beyond 10,000 instances instead of counting it', async () => {
    const sql = stack.infrastructure.dataSource;
    // 12,345 rows of a definition written behind the store (digits cross-joined: 0 … 12,344).
    await sql.query(
      `INSERT INTO ru_process_instance (id, definition_id, definition_key, suspended, start_time, revision)
       SELECT CONCAT('estimated-', n), 'estimated:1:x', 'estimated', 0, NOW(3), 1
         FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d AS n
                 FROM (${digits}) a, (${digits}) b, (${digits}) c, (${digits}) e, (${digits}) f) numbers
        WHERE n < 12345`,
    );
    await sql.query('ANALYZE TABLE ru_process_instance');

    const small = await totalJobsOf({
      processDefinitionId: 'estimated:1:x',
      active: true,
      businessKey: 'none',
    });
    expect(small).toBe('processInstanceIds is empty');
    const estimated = await totalJobsOf({ processDefinitionId: 'estimated:1:x', active: true });
    expect(estimated).toBeGreaterThan(10_000);
    expect(estimated).toBeLessThan(12_345 * 3);
  });

  it('answers an empty definition with Camunda 400 and creates nothing', async () => {
    const { v2 } = await deployVersions(stack.app, 'approval', 'approvalEmpty');
    const before = (await api().get('/engine-rest/batch/count').expect(200)).body.count as number;
    expect(await totalJobsOf({ processDefinitionId: v2 })).toBe('processInstanceIds is empty');
    expect((await api().get('/engine-rest/batch/count').expect(200)).body.count).toBe(before);
  });
});
