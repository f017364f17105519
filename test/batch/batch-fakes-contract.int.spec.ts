import { JobRepository, transactionsOf } from '@libs/persistence';
import { batchRepositories } from '@libs/batch';
import { batchHarness, type BatchHarness } from '../../libs/batch/testing/batch-harness';
import type { Dispatch } from '../../libs/batch/testing/fake-batch-ports';
import { useMigratedDatabase } from '../support/migrated-database';

/** Gives a failed execution job new retries, as `PUT /job/{id}/retries` does. */
type GiveRetries = (jobId: string) => Promise<void>;

/** The dispatches without the random batch and job ids: kinds, generations, how many jobs of which generation. */
const dispatched = (calls: readonly Dispatch[]) =>
  calls.map(({ batchId: _batchId, ...call }) =>
    call.kind === 'execution' || call.kind === 'remove'
      ? { ...call, jobs: call.jobs.map((job) => [job.dispatch, job.dueDate ?? null]) }
      : call,
  );

/**
 * What a batch looks like from outside, without ids and times: its progress, items, jobs, history, the
 * dispatches and the instances changed since the last look.
 */
async function observe(h: BatchHarness, batchId: string) {
  const { transactions } = h;
  const batch = await h.service.get(batchId);
  const items = await h.service.items(batchId, undefined);
  const jobs = await h.stores.jobs.jobsOfBatch(transactions.plain(), batchId);
  const rows = await transactions.run((sql) =>
    Promise.all(jobs.map((job) => h.stores.jobs.lockBatchJob(sql, job.id))),
  );
  const [history] = await h.service.historic({ batchId });
  return {
    batch: batch && {
      totalJobs: batch.totalJobs,
      jobsCreated: batch.jobsCreated,
      seedingDone: batch.seedingDone,
      suspended: batch.suspended,
      dispatch: batch.dispatch,
      started: batch.executionStartTime !== null,
      remainingJobs: batch.remainingJobs,
      completedJobs: batch.completedJobs,
      failedJobs: batch.failedJobs,
    },
    items: items.map((item) => ({
      subject: item.subjectId,
      state: item.state,
      error: item.error === null ? null : (JSON.parse(item.error) as { type: string }).type,
      inJob: item.jobId !== null,
      updated: item.updated !== null,
    })),
    counts: await Promise.all(
      (['done', 'failed', 'pending'] as const).map((state) => h.service.countItems(batchId, state)),
    ),
    jobs: rows
      .map(
        (row) => row && [row.itemLast - row.itemFirst + 1, row.retries, row.suspended, row.exceptionMessage],
      )
      .sort(),
    ended: history && history.endTime !== null,
    applied: h.instances.applied.splice(0),
    dispatched: dispatched(h.dispatcher.take()),
  };
}

/** The job holding `subject`, from the batch's items. */
async function jobOf(h: BatchHarness, batchId: string, subject: string): Promise<string> {
  const item = (await h.service.items(batchId, undefined)).find((each) => each.subjectId === subject);
  return item!.jobId!;
}

/** A batch's life: seeding in pages, a failed job, suspension, activation, a retry, completion. */
async function story(h: BatchHarness, giveRetries: GiveRetries) {
  const ids = ['pi-1', 'pi-2', 'pi-3', 'pi-4', 'pi-5'];
  h.instances.add(...ids);
  const { id } = await h.service.create({
    type: 'instance-migration',
    configuration: {},
    processInstanceIds: ids,
    tenantId: null,
    userId: null,
    emptyMessage: 'nothing selected',
  });
  const trace: unknown[] = [];
  const look = async (outcome?: string) => trace.push(outcome, await observe(h, id));
  await look();
  await look(await h.steps.seed(id));
  h.failing.add('pi-2');
  const failedJob = await jobOf(h, id, 'pi-1');
  await look(await h.steps.execute(id, failedJob));
  await look(await h.steps.execute(id, failedJob));
  await look(await h.steps.execute(id, await jobOf(h, id, 'pi-3')));
  await look(await h.steps.seed(id));
  await h.service.setSuspended(id, true);
  await look(await h.steps.execute(id, await jobOf(h, id, 'pi-5')));
  await h.service.setSuspended(id, false);
  await look(await h.steps.monitor(id));
  h.failing.clear();
  await giveRetries(failedJob);
  await look(await h.steps.execute(id, failedJob));
  await look(await h.steps.execute(id, await jobOf(h, id, 'pi-5')));
  await look(await h.steps.monitor(id));
  return trace;
}

/**
 * The in-memory stores the batch steps' unit tests run on must answer as the repositories do: the same
 * story told on both gives the same trace.
 */
describe('the in-memory batch stores', () => {
  const migrated = useMigratedDatabase();

  it('answer as the repositories do, through a whole batch story', async () => {
    const options = { batchJobsPerSeed: 2, invocationsPerBatchJob: 2 };
    const transactions = transactionsOf(migrated());
    const real = batchHarness({ ...options, backend: { stores: batchRepositories(), transactions } });
    const jobRows = new JobRepository();
    const onMySql = await story(real, async (jobId) => {
      await transactions.run((sql) => jobRows.setRetries(sql, [jobId], 1, undefined));
    });

    const fake = batchHarness(options);
    const inMemory = await story(fake, async (jobId) => {
      fake.jobs.setRetries(jobId, 1);
    });

    expect(inMemory).toEqual(onMySql);
    expect(onMySql).toContain('failed-before');
    expect(onMySql.at(-2)).toBe('completed');
  });
});
