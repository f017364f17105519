import request from 'supertest';
import { asyncContinuationJobId } from '@libs/queue';
import type { Component } from '../../apps/common/process';
import { startWorker } from '../../apps/worker/worker';
import { startInstance, waitingIn } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface Job {
  id: string;
  type: string;
  retries: number;
  exceptionMessage: string | null;
  jobDefinitionId: string | null;
  activityId: string | null;
  executionId: string | null;
  dueDate: string | null;
  suspended: boolean;
}

interface TransitionInstance {
  id: string;
  activityId: string;
  executionId: string;
  parentActivityInstanceId: string;
  incidentIds: string[];
  incidents: Array<{ id: string; activityId: string }>;
}

/**
 * Asynchronous continuations end to end: the REST API, the rows, and (in the second part) real BullMQ
 * workers on this file's own queue prefix running the jobs.
 */
describe('asynchronous continuations', () => {
  let stack: TestStack;
  let workers: readonly Component[] = [];

  const jobsOf = async (instanceId: string): Promise<Job[]> =>
    (await request(stack.app).get(`/engine-rest/job?processInstanceId=${instanceId}`).expect(200)).body;
  const onlyJobOf = async (instanceId: string): Promise<Job> => {
    const jobs = await jobsOf(instanceId);
    expect(jobs).toHaveLength(1);
    return jobs[0]!;
  };
  const tree = async (instanceId: string) =>
    (
      await request(stack.app)
        .get(`/engine-rest/process-instance/${instanceId}/activity-instances`)
        .expect(200)
    ).body;
  const transitionsOf = async (instanceId: string): Promise<TransitionInstance[]> =>
    (await tree(instanceId)).childTransitionInstances;
  const tasksOf = async (instanceId: string): Promise<Array<{ id: string; taskDefinitionKey: string }>> =>
    (await request(stack.app).get(`/engine-rest/task?processInstanceId=${instanceId}`).expect(200)).body;
  const execute = (jobId: string) => request(stack.app).post(`/engine-rest/job/${jobId}/execute`);
  const waitUntilIn = (instanceId: string, activities: string[], timeoutMs = 15_000) =>
    waitUntil(
      async () => JSON.stringify(await waitingIn(stack.app, instanceId)) === JSON.stringify(activities),
      timeoutMs,
    );

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'async-continuations.bpmn', content: fixture('async-continuations.bpmn') },
      { name: 'async-after-service.bpmn', content: fixture('async-after-service.bpmn') },
    ]).expect(200);
  });
  afterAll(async () => {
    for (const component of [...workers].reverse()) await component.stop();
    await stack.close();
  });

  describe('without workers', () => {
    it('stops a start in asyncBefore: one transition instance, one message job, no task until it runs', async () => {
      const id = await startInstance(stack.app, 'asyncStart');

      const job = await onlyJobOf(id);
      expect(job).toMatchObject({ retries: 3, dueDate: null, exceptionMessage: null, priority: 0 });
      // Camunda reports async continuations as message jobs; the job's activity is the async one.
      const asMessage = await request(stack.app)
        .get(`/engine-rest/job?processInstanceId=${id}&messages=true&activityId=work`)
        .expect(200);
      expect(asMessage.body.map((found: Job) => found.id)).toEqual([job.id]);
      const asTimer = await request(stack.app)
        .get(`/engine-rest/job/count?processInstanceId=${id}&timers=true`)
        .expect(200);
      expect(asTimer.body.count).toBe(0);
      expect(await tasksOf(id)).toEqual([]);
      const instanceTree = await tree(id);
      expect(instanceTree.childActivityInstances).toEqual([]);
      expect(instanceTree.childTransitionInstances).toEqual([
        {
          id: job.executionId,
          parentActivityInstanceId: id,
          processInstanceId: id,
          processDefinitionId: instanceTree.processDefinitionId,
          activityId: 'work',
          targetActivityId: 'work',
          activityName: 'Work',
          activityType: 'userTask',
          executionId: job.executionId,
          incidentIds: [],
          incidents: [],
        },
      ]);
      // History records the async activity only once its job runs.
      const history = async () =>
        (
          await request(stack.app)
            .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&activityId=work`)
            .expect(200)
        ).body;
      expect(await history()).toEqual([]);

      await execute(job.id).expect(204);

      expect(await jobsOf(id)).toEqual([]);
      expect(await waitingIn(stack.app, id)).toEqual(['work']);
      expect((await tasksOf(id)).map((task) => task.taskDefinitionKey)).toEqual(['work']);
      expect(await history()).toHaveLength(1);
    });

    it('gives every instance of one async activity the same job definition', async () => {
      const [first, second] = [
        await startInstance(stack.app, 'asyncStart'),
        await startInstance(stack.app, 'asyncStart'),
      ];
      const [a, b] = [await onlyJobOf(first), await onlyJobOf(second)];
      expect(a.jobDefinitionId).toEqual(expect.any(String));
      expect(b.jobDefinitionId).toBe(a.jobDefinitionId);
      const count = await request(stack.app)
        .get(`/engine-rest/job/count?jobDefinitionId=${a.jobDefinitionId}&messages=true`)
        .expect(200);
      expect(count.body.count).toBeGreaterThanOrEqual(2);
    });

    it('stops after an asyncAfter user task is completed and takes the flow when the job runs', async () => {
      const id = await startInstance(stack.app, 'asyncReview');
      const [task] = await tasksOf(id);
      await request(stack.app).post(`/engine-rest/task/${task!.id}/complete`).send({}).expect(204);

      expect(await waitingIn(stack.app, id)).toEqual([]);
      expect((await transitionsOf(id)).map((transition) => transition.activityId)).toEqual(['review']);
      const job = await onlyJobOf(id);

      await execute(job.id).expect(204);

      expect(await waitingIn(stack.app, id)).toEqual(['archive']);
      expect(await transitionsOf(id)).toEqual([]);
    });

    it('runs the two exclusive jobs of one instance one after the other, never on stale state', async () => {
      const id = await startInstance(stack.app, 'asyncParallel');
      const jobs = await jobsOf(id);
      expect(jobs).toHaveLength(2);

      // Both at once: each run locks the instance first, so the second sees the first's join token.
      await Promise.all(jobs.map((job) => execute(job.id).expect(204)));

      expect(await waitingIn(stack.app, id)).toEqual(['after']);
      expect((await tasksOf(id)).map((task) => task.taskDefinitionKey)).toEqual(['after']);
      expect(await jobsOf(id)).toEqual([]);
    });

    it('stops after an asyncAfter service task ran: its history ends, one job, the flow taken when it runs', async () => {
      const id = await startInstance(stack.app, 'asyncAfterService');
      const job = await onlyJobOf(id);
      const charged = (
        await request(stack.app)
          .get(`/engine-rest/history/activity-instance?processInstanceId=${id}&activityId=charge`)
          .expect(200)
      ).body;

      expect(charged).toEqual([
        expect.objectContaining({ activityType: 'serviceTask', endTime: expect.any(String) }),
      ]);
      expect(await transitionsOf(id)).toEqual([
        expect.objectContaining({ id: job.executionId, activityId: 'charge', activityType: 'serviceTask' }),
      ]);
      expect(await tasksOf(id)).toEqual([]);

      await execute(job.id).expect(204);
      expect((await tasksOf(id)).map((task) => task.taskDefinitionKey)).toEqual(['ship']);
      expect(await jobsOf(id)).toEqual([]);
    });

    it('raises a failedJob incident when a job’s retries are set to 0, and resolves it with new ones', async () => {
      const id = await startInstance(stack.app, 'asyncStart');
      const job = await onlyJobOf(id);
      const incidents = async () =>
        (await request(stack.app).get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body;

      await request(stack.app).put(`/engine-rest/job/${job.id}/retries`).send({ retries: 0 }).expect(204);
      const [incident] = await incidents();
      await request(stack.app).put(`/engine-rest/job/${job.id}/retries`).send({ retries: 0 }).expect(204);

      expect(incident).toMatchObject({
        incidentType: 'failedJob',
        configuration: job.id,
        activityId: 'work',
        jobDefinitionId: job.jobDefinitionId,
        incidentMessage: null,
      });
      expect(await incidents()).toEqual([incident]);
      expect((await transitionsOf(id))[0]!.incidentIds).toEqual([incident.id]);
      await request(stack.app).put(`/engine-rest/job/${job.id}/retries`).send({ retries: 2 }).expect(204);
      expect(await incidents()).toEqual([]);
    });

    it('removes the async jobs when the instance is deleted', async () => {
      const id = await startInstance(stack.app, 'asyncParallel');
      expect(await jobsOf(id)).toHaveLength(2);

      await request(stack.app).delete(`/engine-rest/process-instance/${id}`).expect(204);

      expect(await jobsOf(id)).toEqual([]);
    });
  });

  describe('with workers', () => {
    let suspendedId: string;
    let suspendedJob: Job;
    beforeAll(async () => {
      suspendedId = await startInstance(stack.app, 'asyncStart');
      suspendedJob = await onlyJobOf(suspendedId);
      await request(stack.app)
        .put(`/engine-rest/process-instance/${suspendedId}/suspended`)
        .send({ suspended: true })
        .expect(204);
      workers = await startWorker(stack.infrastructure, stack.services);
    });

    it('runs an asyncBefore job by itself', async () => {
      const id = await startInstance(stack.app, 'asyncStart');
      await waitUntilIn(id, ['work']);
      expect(await jobsOf(id)).toEqual([]);
    });

    it('fails a job three times into an incident, and runs it again once its retries are set', async () => {
      const id = await startInstance(stack.app, 'asyncDecision');
      const incidentsOf = async () =>
        (await request(stack.app).get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body;
      await waitUntil(async () => (await incidentsOf()).length === 1, 20_000);

      const job = await onlyJobOf(id);
      expect(job.retries).toBe(0);
      expect(job.exceptionMessage).toEqual(expect.stringContaining('approved'));
      expect(job).toMatchObject({ failedActivityId: 'decide' });
      const failedAt = (activityId: string) =>
        request(stack.app).get(
          `/engine-rest/job/count?processInstanceId=${id}&failedActivityId=${activityId}`,
        );
      expect((await failedAt('decide').expect(200)).body.count).toBe(1);
      expect((await failedAt('approved').expect(200)).body.count).toBe(0);
      const stacktrace = await request(stack.app).get(`/engine-rest/job/${job.id}/stacktrace`).expect(200);
      expect(stacktrace.text).toContain('approved');
      const [incident] = await incidentsOf();
      expect(incident).toMatchObject({
        incidentType: 'failedJob',
        configuration: job.id,
        activityId: 'decide',
        failedActivityId: 'decide',
        processInstanceId: id,
        executionId: job.executionId,
        jobDefinitionId: job.jobDefinitionId,
        incidentMessage: job.exceptionMessage,
        incidentTimestamp: expect.any(String),
      });
      expect((await request(stack.app).get(`/engine-rest/incident/${incident.id}`).expect(200)).body).toEqual(
        incident,
      );
      const byDefinition = await request(stack.app)
        .get(`/engine-rest/incident/count?jobDefinitionIdIn=${job.jobDefinitionId}&incidentType=failedJob`)
        .expect(200);
      expect(byDefinition.body.count).toBe(1);
      const [transition] = await transitionsOf(id);
      expect(transition).toMatchObject({
        activityId: 'decide',
        incidentIds: [incident.id],
        incidents: [{ id: incident.id, activityId: 'decide' }],
      });

      await request(stack.app)
        .put(`/engine-rest/process-instance/${id}/variables/approved`)
        .send({ value: true, type: 'Boolean' })
        .expect(204);
      await request(stack.app).put(`/engine-rest/job/${job.id}/retries`).send({ retries: 1 }).expect(204);

      await waitUntilIn(id, ['approved']);
      expect(await incidentsOf()).toEqual([]);
      expect(await jobsOf(id)).toEqual([]);
    });

    it('parks the async job of a suspended instance and runs it once the instance is activated', async () => {
      // The worker picked up the job dispatched before the suspension, found the instance suspended
      // and let the queue entry go; the row stays, with all its retries.
      const queue = stack.services.asyncContinuationQueue.queue;
      await waitUntil(async () => !(await queue.getJob(asyncContinuationJobId(suspendedJob.id))), 15_000);
      expect(await waitingIn(stack.app, suspendedId)).toEqual([]);
      expect(await onlyJobOf(suspendedId)).toMatchObject({
        id: suspendedJob.id,
        retries: 3,
        suspended: true,
      });

      await request(stack.app)
        .put(`/engine-rest/process-instance/${suspendedId}/suspended`)
        .send({ suspended: false })
        .expect(204);

      await waitUntilIn(suspendedId, ['work']);
      expect(await jobsOf(suspendedId)).toEqual([]);
    });

    it('dispatches a runnable job the queue lost again from its row (reconciler)', async () => {
      const id = await startInstance(stack.app, 'asyncReview');
      const [task] = await tasksOf(id);
      for (const component of [...workers].reverse()) await component.stop();
      workers = [];
      await request(stack.app).post(`/engine-rest/task/${task!.id}/complete`).send({}).expect(204);
      const job = await onlyJobOf(id);
      await stack.services.asyncContinuationQueue.queue.remove(asyncContinuationJobId(job.id));

      workers = await startWorker(stack.infrastructure, stack.services);

      await waitUntilIn(id, ['archive']);
    });
  });
});
