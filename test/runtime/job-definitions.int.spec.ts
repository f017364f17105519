import request from 'supertest';
import { asyncContinuationJobId, timerJobId } from '@libs/queue';
import type { Component } from '../../apps/common/process';
import { startWorker } from '../../apps/worker/worker';
import { restVariables, startInstance, waitingIn } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface JobDefinition {
  id: string;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  activityId: string | null;
  jobType: string;
  jobConfiguration: string | null;
  overridingJobPriority: number | null;
  suspended: boolean;
  tenantId: string | null;
  deploymentId: string | null;
}

interface Job {
  id: string;
  jobDefinitionId: string | null;
  priority: number;
  suspended: boolean;
  dueDate: string | null;
}

/**
 * Job definitions, job suspension and job priority through the REST API, on real MariaDB and Redis;
 * the last part with real workers on this file's own queue prefix.
 */
describe('job definitions, job suspension and job priority', () => {
  let stack: TestStack;
  let workers: readonly Component[] = [];
  let deploymentId: string;

  const get = async (path: string) => (await request(stack.app).get(`/engine-rest${path}`).expect(200)).body;
  const put = (path: string, body: object) => request(stack.app).put(`/engine-rest${path}`).send(body);
  const definitionsOf = async (key: string): Promise<JobDefinition[]> =>
    get(`/job-definition?processDefinitionKey=${key}&sortBy=activityId&sortOrder=asc`);
  const definitionOf = async (key: string, activityId: string): Promise<JobDefinition> =>
    (await definitionsOf(key)).find((definition) => definition.activityId === activityId)!;
  const jobsOf = async (instanceId: string): Promise<Job[]> => get(`/job?processInstanceId=${instanceId}`);
  const onlyJobOf = async (instanceId: string): Promise<Job> => {
    const jobs = await jobsOf(instanceId);
    expect(jobs).toHaveLength(1);
    return jobs[0]!;
  };
  const startPrioritised = (prio: number) =>
    startInstance(stack.app, 'prioritised', { variables: restVariables({ prio }) });

  beforeAll(async () => {
    stack = await startTestStack();
    const deployed = await deploy(stack.app, [
      { name: 'job-definitions.bpmn', content: fixture('job-definitions.bpmn') },
    ]).expect(200);
    deploymentId = deployed.body.id;
  });
  afterAll(async () => {
    for (const component of [...workers].reverse()) await component.stop();
    await stack.close();
  });

  describe('without workers', () => {
    it('lists the job definitions of a deployed definition: its async continuation and its timers', async () => {
      const definitions = await definitionsOf('prioritised');
      const processDefinitionId = definitions[0]!.processDefinitionId;
      expect(processDefinitionId).toMatch(/^prioritised:1:/);
      const common = {
        processDefinitionId,
        processDefinitionKey: 'prioritised',
        overridingJobPriority: null,
        suspended: false,
        tenantId: null,
        deploymentId,
      };
      expect(definitions).toEqual([
        {
          ...common,
          id: expect.any(String),
          activityId: 'deadline',
          jobType: 'timer-transition',
          jobConfiguration: 'DURATION: PT2H',
        },
        {
          ...common,
          id: expect.any(String),
          activityId: 'later',
          jobType: 'timer-intermediate-transition',
          jobConfiguration: 'DURATION: PT1H',
        },
        {
          ...common,
          id: expect.any(String),
          activityId: 'work',
          jobType: 'async-continuation',
          jobConfiguration: 'async-before',
        },
      ]);
      const [deadline] = definitions;
      expect(await get(`/job-definition/${deadline!.id}`)).toEqual(deadline);
      expect(await get('/job-definition/count?processDefinitionKey=prioritised')).toEqual({ count: 3 });
      const byActivity = await get(
        '/job-definition?activityIdIn=work,later&processDefinitionKey=prioritised',
      );
      expect(byActivity.map((found: JobDefinition) => found.activityId).sort()).toEqual(['later', 'work']);
      const byBody = await request(stack.app)
        .post('/engine-rest/job-definition')
        .send({ jobType: 'async-continuation', processDefinitionId, jobConfiguration: 'async-before' })
        .expect(200);
      expect(byBody.body.map((found: JobDefinition) => found.activityId)).toEqual(['work']);
      const counted = await request(stack.app)
        .post('/engine-rest/job-definition/count')
        .send({ processDefinitionKey: 'plainAsync' })
        .expect(200);
      expect(counted.body).toEqual({ count: 1 });
    });

    it('answers 404 for an unknown job definition and 400 for an unknown sort key', async () => {
      const missing = await request(stack.app).get('/engine-rest/job-definition/nope').expect(404);
      expect(missing.body).toMatchObject({
        type: 'InvalidRequestException',
        message: 'Job Definition with id nope does not exist',
      });
      await request(stack.app).get('/engine-rest/job-definition?sortBy=nope&sortOrder=asc').expect(400);
    });

    it('gives each job its definition and the priority camunda:jobPriority declares', async () => {
      const id = await startPrioritised(12);
      const job = await onlyJobOf(id);
      // The activity's own priority, an expression.
      expect(job).toMatchObject({
        jobDefinitionId: (await definitionOf('prioritised', 'work')).id,
        priority: 12,
        suspended: false,
      });

      await request(stack.app).post(`/engine-rest/job/${job.id}/execute`).expect(204);
      const timer = await onlyJobOf(id);
      // The boundary timer's own priority.
      expect(timer).toMatchObject({
        jobDefinitionId: (await definitionOf('prioritised', 'deadline')).id,
        priority: 7,
      });

      const [task] = await get(`/task?processInstanceId=${id}`);
      await request(stack.app).post(`/engine-rest/task/${task.id}/complete`).send({}).expect(204);
      // The intermediate timer declares none: the process's priority.
      expect(await onlyJobOf(id)).toMatchObject({
        jobDefinitionId: (await definitionOf('prioritised', 'later')).id,
        priority: 5,
      });
    });

    it('sets a job priority and filters and sorts jobs by it', async () => {
      const low = await onlyJobOf(await startPrioritised(1));
      const high = await onlyJobOf(await startPrioritised(2));

      await put(`/job/${high.id}/priority`, { priority: 1000 }).expect(204);

      expect((await get(`/job/${high.id}`)).priority).toBe(1000);
      const atLeast = await get('/job?priorityHigherThanOrEquals=1000');
      expect(atLeast.map((job: Job) => job.id)).toEqual([high.id]);
      const atMost = await get('/job?priorityLowerThanOrEquals=1&processDefinitionKey=prioritised');
      expect(atMost.map((job: Job) => job.id)).toContain(low.id);
      expect(atMost.map((job: Job) => job.id)).not.toContain(high.id);
      const sorted = await get('/job?sortBy=jobPriority&sortOrder=desc&processDefinitionKey=prioritised');
      expect(sorted[0].id).toBe(high.id);
    });

    it("answers Camunda's errors for a job priority without a value or for an unknown job", async () => {
      const job = await onlyJobOf(await startPrioritised(3));
      const missing = await put(`/job/${job.id}/priority`, {}).expect(400);
      expect(missing.body).toMatchObject({
        type: 'RestException',
        message: `Priority for job '${job.id}' cannot be null.`,
      });
      const unknown = await put('/job/nope/priority', { priority: 1 }).expect(404);
      expect(unknown.body).toMatchObject({
        type: 'InvalidRequestException',
        message: "No job found with id 'nope'",
      });
      await put(`/job/${job.id}/priority`, { priority: 'high' }).expect(400);
    });

    it('overrides the priority of a job definition, for its existing jobs with includeJobs and for new jobs', async () => {
      const work = await definitionOf('prioritised', 'work');
      const existing = await onlyJobOf(await startPrioritised(4));

      await put(`/job-definition/${work.id}/jobPriority`, { priority: 99 }).expect(204);
      expect((await get(`/job/${existing.id}`)).priority).toBe(4);
      expect(await get(`/job-definition/${work.id}`)).toMatchObject({ overridingJobPriority: 99 });
      const overridden = await get('/job-definition?withOverridingJobPriority=true');
      expect(overridden.map((found: JobDefinition) => found.id)).toEqual([work.id]);
      // New jobs of the definition get the override, whatever their activity declares.
      expect((await onlyJobOf(await startPrioritised(4))).priority).toBe(99);

      await put(`/job-definition/${work.id}/jobPriority`, { priority: 77, includeJobs: true }).expect(204);
      expect((await get(`/job/${existing.id}`)).priority).toBe(77);

      const reset = await put(`/job-definition/${work.id}/jobPriority`, {
        priority: null,
        includeJobs: true,
      });
      expect(reset.status).toBe(400);
      expect(reset.body.message).toBe(
        `Cannot reset priority for job definition ${work.id} with includeJobs=true`,
      );
      await put(`/job-definition/${work.id}/jobPriority`, { priority: null }).expect(204);
      expect(await get(`/job-definition/${work.id}`)).toMatchObject({ overridingJobPriority: null });
      expect((await onlyJobOf(await startPrioritised(4))).priority).toBe(4);

      const unknown = await put('/job-definition/nope/jobPriority', { priority: 1 }).expect(404);
      expect(unknown.body).toMatchObject({
        type: 'InvalidRequestException',
        message: "Job definition with id 'nope' does not exist",
      });
    });

    it("lists a batch's seed, monitor and execution job definitions, configured with the batch id", async () => {
      const instanceId = await startInstance(stack.app, 'plainAsync');
      const batch = (
        await request(stack.app)
          .post('/engine-rest/process-instance/delete')
          .send({ processInstanceIds: [instanceId] })
          .expect(200)
      ).body;

      const definitions: JobDefinition[] = await get(`/job-definition?jobConfiguration=${batch.id}`);
      const common = {
        processDefinitionId: null,
        processDefinitionKey: null,
        activityId: null,
        jobConfiguration: batch.id,
        overridingJobPriority: null,
        suspended: false,
        tenantId: null,
        deploymentId: null,
      };
      expect(definitions.sort((a, b) => a.jobType.localeCompare(b.jobType))).toEqual([
        { ...common, id: batch.monitorJobDefinitionId, jobType: 'batch-monitor-job' },
        { ...common, id: batch.seedJobDefinitionId, jobType: 'batch-seed-job' },
        { ...common, id: batch.batchJobDefinitionId, jobType: 'instance-deletion' },
      ]);

      // They follow their batch's suspension, and cannot be suspended on their own.
      await put(`/batch/${batch.id}/suspended`, { suspended: true }).expect(204);
      expect(await get(`/job-definition/count?jobConfiguration=${batch.id}&suspended=true`)).toEqual({
        count: 3,
      });
      const refused = await put(`/job-definition/${batch.seedJobDefinitionId}/suspended`, {
        suspended: false,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain(`belongs to batch '${batch.id}'`);
      await request(stack.app).delete(`/engine-rest/batch/${batch.id}`).expect(204);
      expect(await get(`/job-definition/count?jobConfiguration=${batch.id}`)).toEqual({ count: 0 });
    });

    it("answers Camunda's errors for a suspension without exactly one selector, and refuses an executionDate", async () => {
      const none = await put('/job-definition/suspended', { suspended: true }).expect(400);
      expect(none.body.message).toBe(
        'Either jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.',
      );
      const two = await put('/job-definition/suspended', {
        suspended: true,
        processDefinitionId: 'a',
        processDefinitionKey: 'b',
      }).expect(400);
      expect(two.body.message).toBe(
        'Only one of jobDefinitionId, processDefinitionId or processDefinitionKey should be set to update the suspension state.',
      );
      const byId = await put('/job-definition/suspended', { suspended: true, jobDefinitionId: 'a' }).expect(
        400,
      );
      expect(byId.body.message).toBe(
        'Either processDefinitionId or processDefinitionKey can be set to update the suspension state.',
      );
      const delayed = await put('/job-definition/suspended', {
        suspended: true,
        processDefinitionKey: 'plainAsync',
        executionDate: '2030-01-01T00:00:00.000+0000',
      }).expect(400);
      expect(delayed.body.message).toContain('executionDate is not supported');
      expect(await get('/job-definition/count?processDefinitionKey=plainAsync&suspended=true')).toEqual({
        count: 0,
      });

      const jobNone = await put('/job/suspended', { suspended: true }).expect(400);
      expect(jobNone.body.message).toBe(
        'Either jobId, jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey should be set to update the suspension state.',
      );
      const jobById = await put('/job/suspended', { suspended: true, jobId: 'x' }).expect(400);
      expect(jobById.body.message).toBe(
        'Either jobDefinitionId, processInstanceId, processDefinitionId or processDefinitionKey can be set to update the suspension state.',
      );
    });
  });

  describe('with workers', () => {
    beforeAll(async () => {
      workers = await startWorker(stack.infrastructure, stack.services);
    });

    const waitUntilIn = (instanceId: string, activities: string[]) =>
      waitUntil(
        async () => JSON.stringify(await waitingIn(stack.app, instanceId)) === JSON.stringify(activities),
        15_000,
      );
    /** A job a worker left alone: the queue let its entry go and the row is still there, suspended. */
    const staysSuspended = async (instanceId: string) => {
      const job = await onlyJobOf(instanceId);
      const queue = stack.services.asyncContinuationQueue.queue;
      await waitUntil(async () => !(await queue.getJob(asyncContinuationJobId(job.id))), 15_000);
      expect(await waitingIn(stack.app, instanceId)).toEqual([]);
      expect(await onlyJobOf(instanceId)).toMatchObject({ id: job.id, suspended: true });
    };

    it('suspends a job definition with its jobs: workers leave them, and new jobs are created suspended, until it is activated', async () => {
      const step = await definitionOf('plainAsync', 'step');
      await put(`/job-definition/${step.id}/suspended`, { suspended: true, includeJobs: true }).expect(204);
      expect(await get(`/job-definition/${step.id}`)).toMatchObject({ suspended: true });

      const created = await startInstance(stack.app, 'plainAsync');
      await staysSuspended(created);
      const suspendedJobs = await get(`/job?jobDefinitionId=${step.id}&suspended=true`);
      expect(suspendedJobs.map((job: Job) => job.id)).toContain((await onlyJobOf(created)).id);
      expect(await get(`/job/count?jobDefinitionId=${step.id}&active=true`)).toEqual({ count: 0 });

      await put('/job-definition/suspended', {
        suspended: false,
        includeJobs: true,
        processDefinitionKey: 'plainAsync',
      }).expect(204);

      await waitUntilIn(created, ['done']);
      expect(await jobsOf(created)).toEqual([]);
      expect(await get(`/job-definition/${step.id}`)).toMatchObject({ suspended: false });
    });

    it('suspends a job definition without its jobs: existing jobs run, new ones wait', async () => {
      const step = await definitionOf('plainAsync', 'step');
      await put(`/job-definition/${step.id}/suspended`, { suspended: true }).expect(204);
      const created = await startInstance(stack.app, 'plainAsync');
      await staysSuspended(created);

      // Activating the job alone lets it run.
      await put(`/job/${(await onlyJobOf(created)).id}/suspended`, { suspended: false }).expect(204);
      await waitUntilIn(created, ['done']);
      await put(`/job-definition/${step.id}/suspended`, { suspended: false }).expect(204);
    });

    it('suspends single jobs and the jobs of an instance; activation runs them', async () => {
      await stopWorkers();
      const byJob = await startInstance(stack.app, 'plainAsync');
      const byInstance = await startInstance(stack.app, 'plainAsync');
      await put(`/job/${(await onlyJobOf(byJob)).id}/suspended`, { suspended: true }).expect(204);
      await put('/job/suspended', { suspended: true, processInstanceId: byInstance }).expect(204);
      workers = await startWorker(stack.infrastructure, stack.services);
      await staysSuspended(byJob);
      await staysSuspended(byInstance);

      await put(`/job/${(await onlyJobOf(byJob)).id}/suspended`, { suspended: false }).expect(204);
      await put('/job/suspended', { suspended: false, processDefinitionKey: 'plainAsync' }).expect(204);

      await waitUntilIn(byJob, ['done']);
      await waitUntilIn(byInstance, ['done']);
    });

    it('leaves a suspended timer that is due, and fires it once it is activated', async () => {
      const id = await startPrioritised(1);
      // A worker runs the async job; the boundary timer waits then.
      await waitUntilIn(id, ['work']);
      const timer = await onlyJobOf(id);
      await put(`/job/${timer.id}/suspended`, { suspended: true }).expect(204);
      await put(`/job/${timer.id}/duedate`, { duedate: null }).expect(204);
      const queue = stack.services.timerQueue.queue;
      await waitUntil(async () => !(await queue.getJob(timerJobId(timer.id))), 15_000);
      expect(await waitingIn(stack.app, id)).toEqual(['work']);
      expect(await get(`/job/${timer.id}`)).toMatchObject({ suspended: true });

      await put(`/job/${timer.id}/suspended`, { suspended: false }).expect(204);

      await waitUntil(async () => (await waitingIn(stack.app, id)) === null, 15_000);
    });

    it("suspends an instance's jobs with the instance and activates them with it", async () => {
      await stopWorkers();
      const id = await startInstance(stack.app, 'plainAsync');
      await put(`/process-instance/${id}/suspended`, { suspended: true }).expect(204);
      expect(await onlyJobOf(id)).toMatchObject({ suspended: true });
      expect(await get(`/job/count?processInstanceId=${id}&active=true`)).toEqual({ count: 0 });
      workers = await startWorker(stack.infrastructure, stack.services);
      await staysSuspended(id);

      await put(`/process-instance/${id}/suspended`, { suspended: false }).expect(204);

      await waitUntilIn(id, ['done']);
    });
  });

  async function stopWorkers(): Promise<void> {
    for (const component of [...workers].reverse()) await component.stop();
    workers = [];
  }
});
