import type { BatchType } from './batch-types';
import { RecordingDispatcher, type Dispatch } from './testing/fake-batch-ports';
import { batchHarness, type BatchHarness, type BatchHarnessOptions } from './testing/batch-harness';

/** A batch over instances `ids` (all known to the fake runtime), created through the service. */
async function batchOf(h: BatchHarness, ids: string[], type: BatchType = 'instance-migration') {
  h.instances.add(...ids);
  const batch = await h.service.create({
    type,
    configuration: {},
    processInstanceIds: ids,
    tenantId: null,
    userId: null,
    emptyMessage: 'nothing selected',
  });
  h.dispatcher.take();
  return batch;
}

const instances = (count: number) => Array.from({ length: count }, (_, i) => `pi-${i + 1}`);

/** The subjects of each execution job row, in item order. */
function slicesOf(h: BatchHarness, batchId: string): string[][] {
  const subject = new Map(h.tables.itemsOf(batchId).map((item) => [item.id, item.subjectId]));
  return [...h.tables.jobs.values()]
    .filter((job) => job.batchId === batchId)
    .sort((a, b) => a.itemFirst - b.itemFirst)
    .map((job) =>
      Array.from({ length: job.itemLast - job.itemFirst + 1 }, (_, i) => subject.get(job.itemFirst + i)!),
    );
}

/** The job row holding `subjectId`. */
function jobOf(h: BatchHarness, batchId: string, subjectId: string): string {
  const item = h.tables.itemsOf(batchId).find((candidate) => candidate.subjectId === subjectId)!;
  return [...h.tables.jobs.values()].find(
    (job) => job.batchId === batchId && job.itemFirst <= item.id && item.id <= job.itemLast,
  )!.id;
}

async function seeded(options: BatchHarnessOptions, count: number) {
  const h = batchHarness({ batchJobsPerSeed: 100, ...options });
  const batch = await batchOf(h, instances(count));
  await expect(h.steps.seed(batch.id)).resolves.toBe('seeded');
  h.dispatcher.take();
  return { h, batch };
}

const kinds = (calls: readonly Dispatch[]) => calls.map((call) => call.kind);

/** Runs whatever was dispatched, as the workers would, until nothing is; returns each step's outcome. */
async function drain(h: BatchHarness): Promise<string[]> {
  const outcomes: string[] = [];
  for (let calls = h.dispatcher.take(); calls.length > 0; calls = h.dispatcher.take()) {
    for (const call of calls) {
      if (call.kind === 'seed') outcomes.push(`seed ${await h.steps.seed(call.batchId)}`);
      if (call.kind === 'monitor') outcomes.push(`monitor ${await h.steps.monitor(call.batchId)}`);
      if (call.kind === 'execution')
        for (const job of call.jobs) outcomes.push(`execute ${await h.steps.execute(call.batchId, job.id)}`);
    }
  }
  return outcomes;
}

describe('a batch', () => {
  it('runs to its end from its own dispatches: seed pages, jobs, the last job waking the monitor', async () => {
    const h = batchHarness({ batchJobsPerSeed: 2, invocationsPerBatchJob: 2 });
    h.instances.add(...instances(5));
    const batch = await h.service.create({
      type: 'instance-modification',
      configuration: {},
      processInstanceIds: instances(5),
      tenantId: null,
      userId: null,
      emptyMessage: 'nothing selected',
    });

    expect(await drain(h)).toEqual([
      'seed seeding',
      'execute done',
      'execute done',
      'seed seeded',
      'execute done',
      'monitor completed',
      'monitor gone',
    ]);
    expect(h.instances.applied).toEqual(instances(5));
    expect(await h.service.historic({ batchId: batch.id, completed: true })).toHaveLength(1);
  });
});

describe('the batch seed', () => {
  it('cuts explicit items into jobs of invocationsPerBatchJob, batchJobsPerSeed jobs per run, then starts the monitor', async () => {
    const h = batchHarness({ batchJobsPerSeed: 2, invocationsPerBatchJob: 2 });
    const batch = await batchOf(h, instances(5));
    expect(batch.totalJobs).toBe(3);

    await expect(h.steps.seed(batch.id)).resolves.toBe('seeding');
    expect(slicesOf(h, batch.id)).toEqual([
      ['pi-1', 'pi-2'],
      ['pi-3', 'pi-4'],
    ]);
    const first = h.dispatcher.take();
    expect(kinds(first)).toEqual(['execution', 'seed']);
    expect(RecordingDispatcher.executionJobIds(first)).toHaveLength(2);
    expect(first[1]).toEqual({ kind: 'seed', batchId: batch.id, generation: 2 });

    await expect(h.steps.seed(batch.id)).resolves.toBe('seeded');
    expect(slicesOf(h, batch.id)).toEqual([['pi-1', 'pi-2'], ['pi-3', 'pi-4'], ['pi-5']]);
    const second = h.dispatcher.take();
    expect(kinds(second)).toEqual(['execution', 'monitor']);
    expect(second[1]).toEqual({ kind: 'monitor', batchId: batch.id, now: true });
    expect(await h.service.get(batch.id)).toMatchObject({
      jobsCreated: 3,
      totalJobs: 3,
      seedingDone: true,
      remainingJobs: 3,
      completedJobs: 0,
    });
  });

  it('turns a query selection into items chunk by chunk, leaving out instances started after creation', async () => {
    const h = batchHarness({ batchJobsPerSeed: 2, invocationsPerBatchJob: 2, selectionChunk: 2 });
    h.tables.instances = [
      ...instances(5).map((id, i) => ({ id, seq: i + 1, processDefinitionId: 'order:1' })),
      { id: 'other', seq: 6, processDefinitionId: 'invoice:1' },
    ];
    const batch = await h.service.create({
      type: 'instance-migration',
      configuration: {},
      processInstanceQuery: { processDefinitionId: 'order:1' },
      tenantId: null,
      userId: null,
      emptyMessage: 'nothing selected',
    });
    h.tables.instances.push({ id: 'late', seq: 7, processDefinitionId: 'order:1' });
    expect(h.tables.itemsOf(batch.id)).toEqual([]);

    const outcomes = [];
    for (let run = 0; run < 3; run += 1) outcomes.push(await h.steps.seed(batch.id));
    expect(outcomes).toEqual(['seeding', 'seeding', 'seeded']);
    expect(h.tables.itemsOf(batch.id).map((item) => item.subjectId)).toEqual(instances(5));
    expect(slicesOf(h, batch.id)).toEqual([['pi-1', 'pi-2'], ['pi-3', 'pi-4'], ['pi-5']]);
    expect(await h.service.get(batch.id)).toMatchObject({ selectionDone: true, seedingDone: true });
  });

  it('refuses a selection of nothing, leaving no batch behind', async () => {
    const h = batchHarness();
    await expect(
      h.service.create({
        type: 'instance-migration',
        configuration: {},
        processInstanceIds: [],
        tenantId: null,
        userId: null,
        emptyMessage: 'nothing selected',
      }),
    ).rejects.toMatchObject({ type: 'BadUserRequestException' });
    expect(h.tables.batches.size).toBe(0);
    expect(h.tables.history.size).toBe(0);
  });
});

describe('a batch execution job', () => {
  it('marks its items done, runs the operation once per instance, goes, and wakes the monitor when it was the last', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 2 }, 3);
    const [first, last] = [jobOf(h, batch.id, 'pi-1'), jobOf(h, batch.id, 'pi-3')];

    await expect(h.steps.execute(batch.id, first)).resolves.toBe('done');
    expect(h.tables.jobs.has(first)).toBe(false);
    expect(h.instances.applied).toEqual(['pi-1', 'pi-2']);
    expect(h.instances.states.get('pi-1')?.definitionId).toBe('migrated:1');
    expect(h.instances.afterCommits).toBe(1);
    expect(h.dispatcher.take()).toEqual([]);
    expect(await h.service.countItems(batch.id, 'done')).toBe(2);
    expect((await h.service.get(batch.id))?.executionStartTime).toEqual(h.clock.now);

    await expect(h.steps.execute(batch.id, last)).resolves.toBe('done');
    expect(h.dispatcher.take()).toEqual([{ kind: 'monitor', batchId: batch.id, now: true }]);
    expect((await h.service.items(batch.id, undefined)).map((item) => [item.state, item.jobId])).toEqual([
      ['done', null],
      ['done', null],
      ['done', null],
    ]);
  });

  it('records failed items with their error and fails the job: retries 0 and the exception message', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 3 }, 3);
    h.failing.add('pi-2');
    h.instances.states.delete('pi-3');
    const job = jobOf(h, batch.id, 'pi-1');

    await expect(h.steps.execute(batch.id, job)).resolves.toBe('failed');
    expect(h.jobs.row(job)).toMatchObject({ retries: 0 });
    expect(h.jobs.row(job).exceptionMessage).toContain("cannot handle 'pi-2'");
    expect(h.jobs.row(job).exceptionMessage).toContain('and 1 more failed');
    const items = await h.service.items(batch.id, undefined);
    expect(items.map((item) => [item.subjectId, item.state, item.jobId])).toEqual([
      ['pi-1', 'done', job],
      ['pi-2', 'failed', job],
      ['pi-3', 'failed', job],
    ]);
    expect(JSON.parse(items[1]!.error!)).toMatchObject({ type: 'ProcessEngineException' });
    expect(JSON.parse(items[2]!.error!)).toMatchObject({ type: 'NotFoundException' });
    expect(await h.service.get(batch.id)).toMatchObject({ failedJobs: 1, remainingJobs: 1 });
    expect(h.dispatcher.take()).toEqual([]);

    await expect(h.steps.execute(batch.id, job)).resolves.toBe('failed-before');
    expect(h.instances.applied).toEqual(['pi-1']);
  });

  it('after new retries runs again only the items that have not succeeded', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 3 }, 3);
    h.failing.add('pi-2');
    const job = jobOf(h, batch.id, 'pi-1');
    await expect(h.steps.execute(batch.id, job)).resolves.toBe('failed');

    h.failing.clear();
    h.jobs.setRetries(job, 1);
    await expect(h.steps.execute(batch.id, job)).resolves.toBe('done');
    expect(h.instances.applied).toEqual(['pi-1', 'pi-3', 'pi-2']);
    expect(h.tables.jobs.has(job)).toBe(false);
    const counts = await Promise.all(
      (['done', 'failed', 'pending'] as const).map((state) => h.service.countItems(batch.id, state)),
    );
    expect(counts).toEqual([3, 0, 0]);
    expect(h.dispatcher.take()).toEqual([{ kind: 'monitor', batchId: batch.id, now: true }]);
  });

  it('waits for its due date unless forced', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 1 }, 2);
    const [early, late] = [jobOf(h, batch.id, 'pi-1'), jobOf(h, batch.id, 'pi-2')];
    const dueDate = new Date(h.clock.now.getTime() + 60_000);
    h.jobs.setRetries(early, 2, dueDate);
    h.jobs.setRetries(late, 2, dueDate);

    await expect(h.steps.execute(batch.id, early)).resolves.toBe('not-due');
    expect(h.instances.applied).toEqual([]);
    await expect(h.steps.execute(batch.id, early, { force: true })).resolves.toBe('done');

    h.clock.now = dueDate;
    await expect(h.steps.execute(batch.id, late)).resolves.toBe('done');
    expect(h.instances.applied).toEqual(['pi-1', 'pi-2']);
  });

  it('changes nothing when the operation fails for a reason other than an instance (the queue retries it)', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 2 }, 2);
    const job = jobOf(h, batch.id, 'pi-1');
    const applyEach = h.instances.applyEach.bind(h.instances);
    h.instances.applyEach = () => Promise.reject(new Error('connection lost'));

    await expect(h.steps.execute(batch.id, job)).rejects.toThrow('connection lost');
    expect(h.jobs.row(job)).toMatchObject({ retries: 3, exceptionMessage: null });
    expect(await h.service.countItems(batch.id, 'pending')).toBe(2);

    h.instances.applyEach = applyEach;
    await expect(h.steps.execute(batch.id, job)).resolves.toBe('done');
  });

  it('applies a job-subject batch (set-job-retries) to its items without the instance runtime', async () => {
    const h = batchHarness({ batchJobsPerSeed: 100, invocationsPerBatchJob: 3 });
    const batch = await batchOf(h, ['job-a', 'job-b', 'job-c'], 'set-job-retries');
    await h.steps.seed(batch.id);
    h.failing.add('job-b');

    await expect(h.steps.execute(batch.id, jobOf(h, batch.id, 'job-a'))).resolves.toBe('failed');
    expect(h.jobSubjectsDone).toEqual(['job-a', 'job-c']);
    expect(h.instances.applied).toEqual([]);
    expect(await h.service.countItems(batch.id, 'failed')).toBe(1);
  });
});

describe('the batch monitor', () => {
  it('polls while seeding or jobs remain, a failed one included', async () => {
    const h = batchHarness({ batchJobsPerSeed: 2, invocationsPerBatchJob: 1 });
    const batch = await batchOf(h, instances(3));
    await expect(h.steps.seed(batch.id)).resolves.toBe('seeding');
    for (const id of ['pi-1', 'pi-2']) await h.steps.execute(batch.id, jobOf(h, batch.id, id));
    await expect(h.steps.monitor(batch.id)).resolves.toBe('poll');
    await expect(h.steps.seed(batch.id)).resolves.toBe('seeded');

    h.failing.add('pi-3');
    await expect(h.steps.execute(batch.id, jobOf(h, batch.id, 'pi-3'))).resolves.toBe('failed');
    await expect(h.steps.monitor(batch.id)).resolves.toBe('poll');
    expect(await h.service.get(batch.id)).toBeDefined();
  });

  it('completes the batch when no job is left: history ends, the runtime batch goes, items stay', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 2 }, 3);
    for (const job of [...h.tables.jobs.keys()]) await h.steps.execute(batch.id, job);
    h.clock.now = new Date(h.clock.now.getTime() + 5_000);

    await expect(h.steps.monitor(batch.id)).resolves.toBe('completed');
    expect(await h.service.get(batch.id)).toBeUndefined();
    const [history] = await h.service.historic({ batchId: batch.id });
    expect(history?.endTime).toEqual(h.clock.now);
    expect(await h.service.countItems(batch.id, 'done')).toBe(3);
    await expect(h.steps.monitor(batch.id)).resolves.toBe('gone');
  });
});

describe('a suspended batch', () => {
  it('parks its seed and jobs, and its monitor polls', async () => {
    const h = batchHarness({ batchJobsPerSeed: 1, invocationsPerBatchJob: 1 });
    const batch = await batchOf(h, instances(2));
    await h.steps.seed(batch.id);
    await h.service.setSuspended(batch.id, true);
    h.dispatcher.take();

    await expect(h.steps.seed(batch.id)).resolves.toBe('parked');
    await expect(h.steps.execute(batch.id, jobOf(h, batch.id, 'pi-1'))).resolves.toBe('parked');
    await expect(h.steps.monitor(batch.id)).resolves.toBe('poll');
    expect(h.tables.jobs.size).toBe(1);
    expect(h.instances.applied).toEqual([]);
    expect(h.dispatcher.take()).toEqual([]);
    expect(await h.service.get(batch.id)).toMatchObject({ jobsCreated: 1, completedJobs: 0 });
  });

  it('does not complete until activated, when its monitor is dispatched again', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 2 }, 2);
    await h.steps.execute(batch.id, jobOf(h, batch.id, 'pi-1'));
    await h.service.setSuspended(batch.id, true);
    h.dispatcher.take();

    await expect(h.steps.monitor(batch.id)).resolves.toBe('poll');
    await h.service.setSuspended(batch.id, false);
    expect(h.dispatcher.take()).toEqual([{ kind: 'monitor', batchId: batch.id, now: false }]);
    await expect(h.steps.monitor(batch.id)).resolves.toBe('completed');
  });

  it('is dispatched again when activated, its seed and jobs under a new generation', async () => {
    const h = batchHarness({ batchJobsPerSeed: 1, invocationsPerBatchJob: 1 });
    const batch = await batchOf(h, instances(2));
    await h.steps.seed(batch.id);
    expect(h.dispatcher.take()[1]).toEqual({ kind: 'seed', batchId: batch.id, generation: 1 });
    const job = jobOf(h, batch.id, 'pi-1');
    await h.service.setSuspended(batch.id, true);
    await h.service.setSuspended(batch.id, false);

    const calls = h.dispatcher.take();
    expect(kinds(calls)).toEqual(['seed', 'execution']);
    expect(calls[0]).toEqual({ kind: 'seed', batchId: batch.id, generation: 2 });
    expect(calls[1]).toEqual({
      kind: 'execution',
      batchId: batch.id,
      jobs: [{ id: job, dispatch: 1, dueDate: null }],
    });
    await expect(h.steps.execute(batch.id, job)).resolves.toBe('done');
    await expect(h.steps.seed(batch.id)).resolves.toBe('seeding');
    expect(slicesOf(h, batch.id)).toEqual([['pi-2']]);
  });
});

describe('a deleted batch', () => {
  it('has its queued work removed, and any step that still runs finds it gone', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 1 }, 2);
    const jobs = [...h.tables.jobs.keys()].sort();
    await h.service.delete(batch.id, false);

    const [removal] = h.dispatcher.take();
    expect(removal).toMatchObject({ kind: 'remove', batchId: batch.id, seedGenerations: [2] });
    expect(removal?.kind === 'remove' && removal.jobs.map((job) => job.id).sort()).toEqual(jobs);
    await expect(h.steps.seed(batch.id)).resolves.toBe('gone');
    await expect(h.steps.execute(batch.id, jobs[0]!)).resolves.toBe('gone');
    await expect(h.steps.monitor(batch.id)).resolves.toBe('gone');
    expect(h.instances.applied).toEqual([]);
    expect(await h.service.historic({ batchId: batch.id })).toEqual([
      expect.objectContaining({ endTime: h.clock.now }),
    ]);
  });

  it('with cascade takes its history and items too', async () => {
    const { h, batch } = await seeded({ invocationsPerBatchJob: 1 }, 2);
    await h.service.delete(batch.id, true);
    expect(await h.service.historic({ batchId: batch.id })).toEqual([]);
    expect(await h.service.countItems(batch.id)).toBe(0);
    await expect(h.service.delete(batch.id, false)).rejects.toMatchObject({
      type: 'BadUserRequestException',
    });
  });
});
