import type { Queue } from 'bullmq';
import request from 'supertest';
import { QUEUES } from '@libs/queue';
import { waitUntil } from '../support/redis-server';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';
import { deployVersions, startById, startInstancesOf } from '../support/migration';
import { restVariables } from '../support/instances';
import { variablesOf } from '@libs/engine';

interface Job {
  id: string;
  activityId: string;
  executionId: string;
  jobDefinitionId: string;
  processDefinitionId: string;
  retries: number;
  exceptionMessage: string | null;
}

/**
 * Migrating instances whose tokens wait in asynchronous continuations (transition instances), over
 * REST: the job moves with its token (same id, the target's job definition), a new target scope is
 * instantiated around it, an asyncAfter token takes the target's flow, a failed job keeps its
 * incident, unmapped tokens are reported; and a batch over 1,000 instances with pending jobs.
 */
describe('migration of transition instances', () => {
  let stack: TestStack;
  let v1: string;
  let v2: string;
  const api = () => request(stack.app);
  const jobsOf = async (instanceId: string): Promise<Job[]> =>
    (await api().get(`/engine-rest/job?processInstanceId=${instanceId}`).expect(200)).body;
  const onlyJob = async (instanceId: string): Promise<Job> => {
    const jobs = await jobsOf(instanceId);
    expect(jobs).toHaveLength(1);
    return jobs[0]!;
  };
  const tree = async (instanceId: string) =>
    (await api().get(`/engine-rest/process-instance/${instanceId}/activity-instances`).expect(200)).body;
  const taskKeys = async (instanceId: string): Promise<string[]> =>
    (await api().get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200)).body.map(
      (task: { taskDefinitionKey: string }) => task.taskDefinitionKey,
    );
  /** The variables the open task of an instance sees (its scopes' locals included). */
  const taskVariables = async (instanceId: string): Promise<Record<string, { value: unknown }>> => {
    const [task] = (await api().get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200)).body;
    return (await api().get(`/engine-rest/task/${task.id}/variables`).expect(200)).body;
  };
  /** The ids of the instance's jobs at `activityId` (Camunda's job has no activity id field). */
  const jobsAt = async (instanceId: string, activityId: string): Promise<string[]> =>
    (
      await api().get(`/engine-rest/job?processInstanceId=${instanceId}&activityId=${activityId}`).expect(200)
    ).body.map((job: Job) => job.id);
  const completeTask = async (instanceId: string) => {
    const [task] = (await api().get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200)).body;
    await api().post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
  };
  const migrate = (
    instanceIds: string[],
    instructions: Array<[string, string]>,
    extra: Record<string, unknown> = {},
  ) =>
    api()
      .post('/engine-rest/migration/execute')
      .send({
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: instructions.map(([source, target]) => ({
            sourceActivityIds: [source],
            targetActivityIds: [target],
          })),
        },
        processInstanceIds: instanceIds,
        ...extra,
      });
  /** The job definition of `triage`'s asyncBefore in v2, as a fresh v2 instance's job shows it. */
  const triageJobDefinition = async (definitionId = v2): Promise<string> => {
    const fresh = await startById(stack.app, definitionId);
    const job = await onlyJob(fresh);
    await api().delete(`/engine-rest/process-instance/${fresh}`).expect(204);
    return job.jobDefinitionId;
  };

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '100', BATCH_JOBS_PER_SEED: '5', BATCH_POLL_TIME_MS: '60000' },
    });
    ({ v1, v2 } = await deployVersions(stack.app, 'waiting', 'waiting'));
  });
  afterAll(async () => {
    await stack.close();
  });

  describe('without workers', () => {
    it('moves an asyncBefore token with its job into a new sub-process, running its input mapping', async () => {
      const id = await startById(stack.app, v1, restVariables({ approved: true }));
      const before = await onlyJob(id);

      await migrate([id], [['check', 'triage']]).expect(204);

      const after = await onlyJob(id);
      expect(after).toMatchObject({
        id: before.id,
        executionId: before.executionId,
        processDefinitionId: v2,
        jobDefinitionId: await triageJobDefinition(),
      });
      expect(after.jobDefinitionId).not.toBe(before.jobDefinitionId);
      expect(await jobsAt(id, 'triage')).toEqual([before.id]);
      const root = await tree(id);
      expect(root.childTransitionInstances).toEqual([]);
      expect(root.childActivityInstances).toHaveLength(1);
      const intake = root.childActivityInstances[0];
      expect(intake.activityId).toBe('intake');
      expect(intake.childTransitionInstances).toEqual([
        expect.objectContaining({
          id: before.executionId,
          activityId: 'triage',
          parentActivityInstanceId: intake.id,
        }),
      ]);

      await api().post(`/engine-rest/job/${before.id}/execute`).expect(204);
      expect(await taskKeys(id)).toEqual(['triaged']);
      expect((await taskVariables(id))['channel']).toMatchObject({ value: 'migrated' });
    });

    it('moves two concurrent tokens into one new sub-process instance', async () => {
      const started = await api()
        .post(`/engine-rest/process-definition/${v1}/start`)
        .send({
          variables: restVariables({ approved: true }),
          startInstructions: [
            { type: 'startBeforeActivity', activityId: 'check' },
            { type: 'startBeforeActivity', activityId: 'check' },
          ],
        })
        .expect(200);
      const id = started.body.id as string;
      expect(await jobsOf(id)).toHaveLength(2);

      await migrate([id], [['check', 'triage']]).expect(204);

      const root = await tree(id);
      expect(root.childActivityInstances.map((child: { activityId: string }) => child.activityId)).toEqual([
        'intake',
      ]);
      expect(
        root.childActivityInstances[0].childTransitionInstances.map(
          (t: { activityId: string }) => t.activityId,
        ),
      ).toEqual(['triage', 'triage']);
      for (const job of await jobsOf(id)) await api().post(`/engine-rest/job/${job.id}/execute`).expect(204);
      expect(await taskKeys(id)).toEqual(['triaged', 'triaged']);
    });

    it('skips the new scope’s input mapping with skipIoMappings', async () => {
      const id = await startById(stack.app, v1, restVariables({ approved: true }));

      await migrate([id], [['check', 'triage']], { skipIoMappings: true }).expect(204);

      await api()
        .post(`/engine-rest/job/${(await onlyJob(id)).id}/execute`)
        .expect(204);
      expect(await taskKeys(id)).toEqual(['triaged']);
      expect((await taskVariables(id))['channel']).toBeUndefined();
    });

    it('moves an asyncAfter token onto the target’s outgoing flow', async () => {
      const id = await startById(stack.app, v1, restVariables({ approved: true }));
      await api()
        .post(`/engine-rest/job/${(await onlyJob(id)).id}/execute`)
        .expect(204);
      await completeTask(id);
      const parked = await onlyJob(id);
      expect(await jobsAt(id, 'review')).toEqual([parked.id]);

      await migrate([id], [['review', 'review']]).expect(204);

      const moved = await onlyJob(id);
      expect(moved).toMatchObject({ id: parked.id, processDefinitionId: v2 });
      expect(moved.jobDefinitionId).not.toBe(parked.jobDefinitionId);
      await api().post(`/engine-rest/job/${moved.id}/execute`).expect(204);
      expect(await taskKeys(id)).toEqual(['archive']);
    });

    it('reports an unmapped transition instance and changes nothing', async () => {
      const id = await startById(stack.app, v1, restVariables({ approved: true }));
      const before = await onlyJob(id);

      const response = await migrate([id], [['review', 'review']]).expect(400);

      expect(response.body.type).toBe('MigratingProcessInstanceValidationException');
      expect(response.body.validationReport.transitionInstanceValidationReports).toEqual([
        {
          migrationInstruction: null,
          transitionInstanceId: before.executionId,
          sourceScopeId: 'check',
          failures: ["There is no migration instruction for this instance's activity"],
        },
      ]);
      expect(response.body.message).toContain(`Cannot migrate transition instance '${before.executionId}'`);
      expect(await onlyJob(id)).toEqual(before);
    });

    it('carries a failed job’s incident along, and fixing the job on the target runs it there', async () => {
      const id = await startById(stack.app, v1);
      const job = await onlyJob(id);
      for (let attempt = 0; attempt < 3; attempt++) {
        await api().post(`/engine-rest/job/${job.id}/execute`).expect(404);
      }
      const [incident] = (await api().get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body;
      expect(incident).toMatchObject({ activityId: 'check', processDefinitionId: v1, configuration: job.id });

      await migrate([id], [['check', 'triage']]).expect(204);

      const moved = await onlyJob(id);
      expect(moved).toMatchObject({
        retries: 0,
        exceptionMessage: job.exceptionMessage ?? expect.any(String),
      });
      const incidents = (await api().get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body;
      expect(incidents).toEqual([
        expect.objectContaining({
          id: incident.id,
          activityId: 'triage',
          processDefinitionId: v2,
          jobDefinitionId: moved.jobDefinitionId,
          configuration: job.id,
        }),
      ]);
      expect((await tree(id)).childActivityInstances[0].childTransitionInstances[0].incidentIds).toEqual([
        incident.id,
      ]);
      await api().put(`/engine-rest/job/${job.id}/retries`).send({ retries: 1 }).expect(204);
      await api().post(`/engine-rest/job/${job.id}/execute`).expect(204);
      expect(await taskKeys(id)).toEqual(['triaged']);
    });
  });

  describe('a batch over 1,000 instances with pending jobs', () => {
    let asyncQueue: Queue;
    let stopWorker: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      // Batches run on the worker; the asynchronous continuations stay queued until the queue resumes.
      asyncQueue = stack.infrastructure.queues.queue(QUEUES.asyncContinuation);
      await asyncQueue.pause();
    });
    afterAll(async () => {
      await stopWorker?.();
      await asyncQueue.close();
    });

    it('moves every token and its job to the target, where the jobs then run', async () => {
      const many = await deployVersions(stack.app, 'waiting', 'waitingMany');
      const ids = await startInstancesOf(stack, many.v1, 1000, variablesOf({ approved: true }));
      const target = await triageJobDefinition(many.v2);
      stopWorker = await startTestWorker(stack);

      const batch = (
        await api()
          .post('/engine-rest/migration/executeAsync')
          .send({
            migrationPlan: {
              sourceProcessDefinitionId: many.v1,
              targetProcessDefinitionId: many.v2,
              instructions: [{ sourceActivityIds: ['check'], targetActivityIds: ['triage'] }],
            },
            processInstanceIds: ids,
          })
          .expect(200)
      ).body;
      await waitUntil(async () => (await api().get(`/engine-rest/batch/${batch.id}`)).status === 404, 60_000);

      const count = async (query: string) =>
        (await api().get(`/engine-rest/${query}`).expect(200)).body.count as number;
      expect(await count(`job/count?jobDefinitionId=${target}`)).toBe(1000);
      expect(await count(`process-instance/count?processDefinitionId=${many.v2}`)).toBe(1000);
      expect(await count(`process-instance/count?processDefinitionId=${many.v1}`)).toBe(0);

      await asyncQueue.resume();
      const triaged = `task/count?taskDefinitionKey=triaged&processDefinitionId=${many.v2}`;
      await waitUntil(async () => (await count(triaged)) === 1000, 60_000);
      expect(await count(`job/count?processDefinitionId=${many.v2}`)).toBe(0);
    });
  });
});
