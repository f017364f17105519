import { batchHarness, type BatchHarness } from './testing/batch-harness';

async function batchOf(h: BatchHarness, ids: string[]) {
  h.instances.add(...ids);
  return h.service.create({
    type: 'instance-migration',
    configuration: {},
    processInstanceIds: ids,
    tenantId: null,
    userId: null,
    emptyMessage: 'nothing selected',
  });
}

/** The job row holding `subjectId`. */
function jobOf(h: BatchHarness, batchId: string, subjectId: string): string {
  const item = h.tables.itemsOf(batchId).find((candidate) => candidate.subjectId === subjectId)!;
  return [...h.tables.jobs.values()].find(
    (job) => job.batchId === batchId && job.itemFirst <= item.id && item.id <= job.itemLast,
  )!.id;
}

describe('the batch reconciler', () => {
  it('dispatches what the rows say is pending: the seed while seeding, runnable jobs, the monitor once seeded', async () => {
    const h = batchHarness({ batchJobsPerSeed: 2, invocationsPerBatchJob: 1 });
    const seeding = await batchOf(h, ['a-1', 'a-2', 'a-3']);
    await h.steps.seed(seeding.id);
    const seeded = await batchOf(h, ['b-1', 'b-2']);
    await h.steps.seed(seeded.id);
    await h.steps.seed(seeded.id);
    h.failing.add('b-1');
    await h.steps.execute(seeded.id, jobOf(h, seeded.id, 'b-1'));
    const suspended = await batchOf(h, ['c-1']);
    await h.service.setSuspended(suspended.id, true);
    h.dispatcher.take();

    await expect(h.redispatcher.reconcile()).resolves.toBe(3);
    expect(h.dispatcher.take()).toEqual([
      { kind: 'seed', batchId: seeding.id, generation: 2 },
      {
        kind: 'execution',
        batchId: seeding.id,
        jobs: ['a-1', 'a-2']
          .map((id) => jobOf(h, seeding.id, id))
          .sort()
          .map((id) => ({ id, dispatch: 0, dueDate: null })),
      },
      {
        kind: 'execution',
        batchId: seeded.id,
        jobs: [{ id: jobOf(h, seeded.id, 'b-2'), dispatch: 0, dueDate: null }],
      },
      { kind: 'monitor', batchId: seeded.id, now: false },
    ]);
  });

  it('picks up a batch whose first dispatch was lost: its creation stands', async () => {
    const h = batchHarness();
    const dispatchSeed = h.dispatcher.dispatchSeed.bind(h.dispatcher);
    h.dispatcher.dispatchSeed = () => Promise.reject(new Error('Redis is down'));
    const batch = await batchOf(h, ['pi-1']);
    expect(h.dispatcher.take()).toEqual([]);

    h.dispatcher.dispatchSeed = dispatchSeed;
    await h.redispatcher.reconcile();
    expect(h.dispatcher.take()).toEqual([{ kind: 'seed', batchId: batch.id, generation: 0 }]);
  });
});
