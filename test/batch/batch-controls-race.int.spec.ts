import request from 'supertest';
import type { RunningProcess } from '../support/processes';
import { waitUntil } from '../support/redis-server';
import { seedWaitingOrders } from '../support/instances';
import { startTestStack, type TestStack } from '../support/test-stack';
import { spawnWorkerProcess, stopWorkerProcesses } from '../support/worker';

const INSTANCES = 3_000;

interface Item {
  readonly processInstanceId: string;
  readonly state: string;
  readonly batchJobId: string | null;
}

/**
 * Suspending, activating and deleting work race with the execution jobs that are running: toggled every
 * 100 ms during a deletion batch on two worker processes, they never answer 5xx, the batch never sits
 * idle after activation (the reconciler is too slow to rescue it here), and a deletion of a running
 * execution job either abandons its items (204) or says it could not (404, the run completed them).
 * The deletion batch makes a second application visible: a deleted instance cannot be deleted again.
 */
describe('batch controls racing with running jobs', () => {
  let stack: TestStack;
  let workers: RunningProcess[] = [];
  const api = () => request(stack.app);

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '25', BATCH_JOBS_PER_SEED: '10', BATCH_POLL_TIME_MS: '1000' },
    });
  });
  afterAll(async () => {
    await stopWorkerProcesses(workers);
    await stack.close();
  });

  const items = async (batchId: string): Promise<Item[]> =>
    (await api().get(`/engine-rest/batch/${batchId}/items`).expect(200)).body as Item[];

  it('toggles suspension every 100 ms and deletes running jobs without a 5xx, an idle batch or a false answer', async () => {
    await seedWaitingOrders(stack, 'toggled', INSTANCES);
    // The reconciler would re-dispatch lost work after 10 minutes: far too late to hide a lost activation.
    workers = [0, 1].map(() => spawnWorkerProcess(stack, { WORKER_RECONCILE_INTERVAL_MS: '600000' }));
    const batchId = (
      await api()
        .post('/engine-rest/process-instance/delete')
        .send({ processInstanceQuery: { processDefinitionKey: 'toggled' } })
        .expect(200)
    ).body.id as string;

    const answers: number[] = [];
    const deletions: Array<{ jobId: string; status: number; items: string[] }> = [];
    let toggling = true;
    const ended = async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404;
    const toggle = async () => {
      let suspended = false;
      while (toggling) {
        const response = await api()
          .put(`/engine-rest/batch/${batchId}/suspended`)
          .send({ suspended: !suspended });
        // Once the batch has completed there is nothing to toggle (400, as in Camunda).
        if (response.status === 400 && (await ended())) return;
        answers.push(response.status);
        suspended = !suspended;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // A suspended batch cannot complete, so it is still there to activate.
      if (suspended)
        answers.push(
          (await api().put(`/engine-rest/batch/${batchId}/suspended`).send({ suspended: false })).status,
        );
    };
    const deleteRunningJobs = async () => {
      const deadline = Date.now() + 20_000;
      while (deletions.length < 3 && Date.now() < deadline) {
        const [active] = await stack.services.batchQueues.execution.getActive();
        if (!active) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        const jobId = active.data.jobId;
        const held = (await items(batchId)).filter((item) => item.batchJobId === jobId);
        const status = (await api().delete(`/engine-rest/job/${jobId}`)).status;
        if (held.length > 0)
          deletions.push({ jobId, status, items: held.map((item) => item.processInstanceId) });
      }
    };
    const toggled = toggle();
    await deleteRunningJobs();
    expect(deletions.length).toBe(3);
    await waitUntil(async () => answers.length >= 30 || (await ended()), 30_000, 50);
    toggling = false;
    await toggled;
    expect(answers.length).toBeGreaterThanOrEqual(10);
    expect(answers.filter((status) => status !== 204)).toEqual([]);

    // Active again: the batch finishes on its own, long before any reconciler pass.
    await waitUntil(
      async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404,
      30_000,
      100,
    );
    const outcome = new Map((await items(batchId)).map((item) => [item.processInstanceId, item.state]));
    expect([...outcome.values()].filter((state) => state === 'failed')).toEqual([]);
    for (const deletion of deletions) {
      expect([204, 404]).toContain(deletion.status);
      // 204: the job was deleted before it ran, its items abandoned; 404: its run had completed them.
      const expected = deletion.status === 204 ? 'pending' : 'done';
      expect(deletion.items.map((id) => outcome.get(id))).toEqual(deletion.items.map(() => expected));
    }
    const abandoned = [...outcome.values()].filter((state) => state === 'pending').length;
    const running = await api()
      .get('/engine-rest/process-instance/count?processDefinitionKey=toggled')
      .expect(200);
    expect(running.body.count).toBe(abandoned);
    expect(outcome.size).toBe(INSTANCES);
  }, 120_000);
});
