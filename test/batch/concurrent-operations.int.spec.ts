import request from 'supertest';
import { sqlOf, type Sql } from '@libs/persistence';
import { startMany } from '../support/instances';
import type { RunningProcess } from '../support/processes';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';
import { spawnWorkerProcess, stopWorkerProcesses } from '../support/worker';

const INSTANCES = 2_000;
/** Instances whose `approve` is completed before the batches start. */
const EARLY = 100;
/**
 * Instances only the migration batch touches (no modification batch, no REST traffic), so that at
 * least some migrations succeed however the race between the batches goes.
 */
const MIGRATION_ONLY = 50;
/** The activities of each version (`review-v1`: approve → check, `review-v2`: approve → ship). */
const ACTIVITIES = { v1: ['approve', 'check'], v2: ['approve', 'ship'] };

/**
 * Every change of an instance is serialisable: a migration batch, a modification batch, REST task
 * completions and REST modifications run at the same time over the same instances, on two worker
 * processes, and every instance ends in one of the states a serial order of those operations gives.
 * An operation that no longer fits an instance (a migration of an instance that waits in `check`, which
 * v2 lacks; a modification of an instance already on v2) fails visibly for that instance.
 */
describe('concurrent operations on the same instances', () => {
  let stack: TestStack;
  let workers: RunningProcess[] = [];
  let sql: Sql;
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      // One job per seed run: the two batches' jobs alternate in the queue, so the jobs of both batches
      // that cover the same instances run at the same time.
      env: { BATCH_INVOCATIONS_PER_JOB: '25', BATCH_JOBS_PER_SEED: '1', BATCH_POLL_TIME_MS: '1000' },
    });
    sql = sqlOf(stack.infrastructure.dataSource);
  });
  afterAll(async () => {
    await stopWorkerProcesses(workers);
    await stack.close();
  });

  const deployVersion = async (version: 'v1' | 'v2') => {
    const xml = fixture(`concurrency/review-${version}.bpmn`);
    const response = await deploy(stack.app, [{ name: `review-${version}.bpmn`, content: xml }]).expect(200);
    return Object.keys(response.body.deployedProcessDefinitions as object)[0]!;
  };

  /** Ended, or every job created and each one left has failed (a failed job waits for retries). */
  const batchSettled = async (batchId: string) => {
    const response = await api().get(`/engine-rest/batch/statistics?batchId=${batchId}`).expect(200);
    const [batch] = response.body as Array<{
      totalJobs: number;
      jobsCreated: number;
      remainingJobs: number;
      failedJobs: number;
    }>;
    return !batch || (batch.jobsCreated === batch.totalJobs && batch.remainingJobs === batch.failedJobs);
  };

  /**
   * REST traffic on `instanceIds` until `done()`: task completions and modifications. Returns 5xx
   * answers.
   */
  const restTraffic = async (done: () => boolean, instanceIds: readonly string[]) => {
    const targets = new Set(instanceIds);
    const serverErrors: string[] = [];
    const note = (what: string, response: request.Response) => {
      if (response.status >= 500)
        serverErrors.push(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    };
    let round = 0;
    while (!done()) {
      round += 1;
      const tasks = await api()
        .get(
          `/engine-rest/task?taskDefinitionKey=approve&firstResult=${(round * 37) % INSTANCES}&maxResults=8`,
        )
        .expect(200);
      await Promise.all(
        (tasks.body as Array<{ id: string; processInstanceId: string }>)
          .filter((task) => targets.has(task.processInstanceId))
          .map(async (task) =>
            note('complete', await api().post(`/engine-rest/task/${task.id}/complete`).send({})),
          ),
      );
      const instanceId = instanceIds[(round * 7919) % instanceIds.length]!;
      note(
        'modify',
        await api()
          .post(`/engine-rest/process-instance/${instanceId}/modification`)
          .send({ instructions: [{ type: 'startBeforeActivity', activityId: 'approve' }] }),
      );
    }
    return serverErrors;
  };

  it('leaves every instance in a serial outcome of two batches and REST calls racing on it', async () => {
    const v1 = await deployVersion('v1');
    await startMany(stack, 'review', INSTANCES);
    const v2 = await deployVersion('v2');
    const instanceIds = (await sql.select<{ id: string }>('SELECT id FROM ru_process_instance')).map(
      (r) => r.id,
    );
    expect(instanceIds).toHaveLength(INSTANCES);
    const plan = (
      await api()
        .post('/engine-rest/migration/generate')
        .send({ sourceProcessDefinitionId: v1, targetProcessDefinitionId: v2 })
        .expect(200)
    ).body as object;

    // Some instances move on to `check` first: their migration must fail (v2 has no `check`).
    const early = await api()
      .get(`/engine-rest/task?taskDefinitionKey=approve&maxResults=${EARLY}`)
      .expect(200);
    const earlyTasks = early.body as Array<{ id: string; processInstanceId: string }>;
    for (const task of earlyTasks) {
      await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
    }
    const earlyIds = new Set(earlyTasks.map((task) => task.processInstanceId));
    const migrationOnly = instanceIds.filter((id) => !earlyIds.has(id)).slice(0, MIGRATION_ONLY);
    const raced = instanceIds.filter((id) => !migrationOnly.includes(id));

    workers = [spawnWorkerProcess(stack), spawnWorkerProcess(stack)];
    const [modification, migration] = await Promise.all([
      api()
        .post('/engine-rest/modification/executeAsync')
        .send({
          processDefinitionId: v1,
          instructions: [
            { type: 'startBeforeActivity', activityId: 'check' },
            { type: 'cancel', activityId: 'approve' },
          ],
          processInstanceIds: raced,
        })
        .expect(200),
      api()
        .post('/engine-rest/migration/executeAsync')
        .send({ migrationPlan: plan, processInstanceQuery: { processDefinitionId: v1 } })
        .expect(200),
    ]);
    const batchIds = [modification.body.id as string, migration.body.id as string];
    let ended = false;
    const traffic = restTraffic(() => ended, raced);
    await waitUntil(async () => (await Promise.all(batchIds.map(batchSettled))).every(Boolean), 120_000, 250);
    ended = true;
    expect(await traffic).toEqual([]);

    // Every instance waits only in activities its definition has.
    const waiting = await sql.select<{ id: string; definition_id: string; activity_id: string }>(
      `SELECT p.id, p.definition_id, a.activity_id FROM ru_process_instance p
         JOIN ru_activity_instance a ON a.process_instance_id = p.id`,
    );
    const foreign = waiting.filter(
      (row) => !ACTIVITIES[row.definition_id === v1 ? 'v1' : 'v2'].includes(row.activity_id),
    );
    expect(foreign).toEqual([]);
    expect(new Set(waiting.map((row) => row.id)).size).toBe(INSTANCES);

    // Runtime and history agree on definition and activity, for instances and activity instances.
    const disagreeing = await sql.select(
      `SELECT a.id, p.definition_id, h.definition_id AS history_definition, a.activity_id, h.activity_id AS history_activity
         FROM ru_activity_instance a
         JOIN ru_process_instance p ON p.id = a.process_instance_id
         LEFT JOIN hi_activity_instance h ON h.id = a.id
        WHERE h.id IS NULL OR h.definition_id <> p.definition_id OR h.activity_id <> a.activity_id OR h.end_time IS NOT NULL`,
    );
    expect(disagreeing).toEqual([]);
    const [instanceHistory] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_process_instance p JOIN hi_process_instance h ON h.id = p.id
        WHERE h.definition_id = p.definition_id AND h.end_time IS NULL`,
    );
    expect(Number(instanceHistory!.n)).toBe(INSTANCES);

    // One task per user-task activity instance, of that activity, and no task without one.
    const [taskless] = await sql.select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ru_activity_instance a LEFT JOIN ru_task t ON t.activity_instance_id = a.id
        WHERE a.activity_type = 'userTask' AND t.id IS NULL`,
    );
    expect(Number(taskless!.n)).toBe(0);
    const strayTasks = await sql.select(
      `SELECT t.id FROM ru_task t LEFT JOIN ru_activity_instance a ON a.id = t.activity_instance_id
        WHERE a.id IS NULL OR a.activity_id <> t.task_definition_key OR a.process_instance_id <> t.process_instance_id`,
    );
    expect(strayTasks).toEqual([]);
    const duplicates = await sql.select(
      'SELECT activity_instance_id FROM ru_task GROUP BY activity_instance_id HAVING COUNT(*) > 1',
    );
    expect(duplicates).toEqual([]);

    // Every item has an outcome, and a migration item's outcome is the instance's version.
    const items = await sql.select<{ batch_id: string; state: string; definition_id: string }>(
      `SELECT i.batch_id, CASE WHEN i.state = 'pending' AND EXISTS (SELECT 1 FROM batch_item_range r
                WHERE r.batch_id = i.batch_id AND i.id BETWEEN r.item_first AND r.item_last) THEN 'done' ELSE i.state END AS state,
              p.definition_id
         FROM batch_item i JOIN ru_process_instance p ON p.id = i.process_instance_id`,
    );
    expect(items).toHaveLength(2 * INSTANCES - MIGRATION_ONLY);
    expect(items.filter((item) => item.state === 'pending')).toEqual([]);
    const migrationItems = items.filter((item) => item.batch_id === migration.body.id);
    expect(migrationItems.filter((item) => (item.state === 'done') !== (item.definition_id === v2))).toEqual(
      [],
    );
    // Both outcomes happened: instances moved on before the migration reached them, others did not
    // (at least those only the migration touched).
    expect(migrationItems.filter((item) => item.state === 'failed').length).toBeGreaterThanOrEqual(EARLY);
    expect(migrationItems.filter((item) => item.state === 'done').length).toBeGreaterThanOrEqual(
      MIGRATION_ONLY,
    );
  }, 240_000);
});
