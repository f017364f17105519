import request from 'supertest';
import { timerJobId } from '@libs/queue';
import type { Component } from '../../apps/common/process';
import { startWorker } from '../../apps/worker/worker';
import { restVariables, startInstance, waitingIn } from '../support/instances';
import { waitUntil } from '../support/redis-server';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface Job {
  id: string;
  retries: number;
  exceptionMessage: string | null;
}

/** Timers end to end: real BullMQ workers on this file's own queue prefix fire them. */
describe('timers', () => {
  let stack: TestStack;
  let workers: readonly Component[] = [];
  const jobsOf = async (instanceId: string): Promise<Job[]> =>
    (await request(stack.app).get(`/engine-rest/job?processInstanceId=${instanceId}`).expect(200)).body;
  const onlyJobOf = async (instanceId: string): Promise<Job> => {
    const jobs = await jobsOf(instanceId);
    expect(jobs).toHaveLength(1);
    return jobs[0]!;
  };
  const waitUntilIn = (instanceId: string, activities: string[], timeoutMs = 15_000) =>
    waitUntil(
      async () => JSON.stringify(await waitingIn(stack.app, instanceId)) === JSON.stringify(activities),
      timeoutMs,
    );
  const historicActivity = async (instanceId: string, activityId: string) => {
    const response = await request(stack.app)
      .get(`/engine-rest/history/activity-instance?processInstanceId=${instanceId}&activityId=${activityId}`)
      .expect(200);
    expect(response.body).toHaveLength(1);
    return response.body[0];
  };

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'timers.bpmn', content: fixture('timers.bpmn') }]).expect(200);
    workers = await startWorker(stack.infrastructure, stack.services);
  });
  afterAll(async () => {
    for (const component of [...workers].reverse()) await component.stop();
    await stack.close();
  });

  it('fires an intermediate timer by itself, and the flow continues', async () => {
    const id = await startInstance(stack.app, 'timerWait', { variables: restVariables({ wait: 'PT1S' }) });
    expect(await waitingIn(stack.app, id)).toEqual(['wait']);
    await onlyJobOf(id);
    await waitUntilIn(id, ['afterWait']);
    expect(await jobsOf(id)).toEqual([]);
    const timer = await historicActivity(id, 'wait');
    expect(timer).toMatchObject({ activityType: 'intermediateTimer', canceled: false });
    expect(timer.durationInMillis).toBeGreaterThanOrEqual(900);
  });

  it('interrupts a user task with a boundary timer', async () => {
    const id = await startInstance(stack.app, 'timerBoundary', {
      variables: restVariables({ deadline: 'PT1S' }),
    });
    expect(await waitingIn(stack.app, id)).toEqual(['work']);
    await waitUntilIn(id, ['escalated']);
    expect(await historicActivity(id, 'work')).toMatchObject({ canceled: true, endTime: expect.any(String) });
    expect(await historicActivity(id, 'deadline')).toMatchObject({ activityType: 'boundaryTimer' });
    expect(await jobsOf(id)).toEqual([]);
  });

  it('fires a timer whose due date is moved into the past', async () => {
    const id = await startInstance(stack.app, 'timerWait', { variables: restVariables({ wait: 'P1D' }) });
    const job = await onlyJobOf(id);
    await request(stack.app)
      .put(`/engine-rest/job/${job.id}/duedate`)
      .send({ duedate: '2020-01-01T00:00:00.000+0000' })
      .expect(204);
    await waitUntilIn(id, ['afterWait']);
  });

  it('fires a timer at once on POST /job/{id}/execute', async () => {
    const id = await startInstance(stack.app, 'timerWait', { variables: restVariables({ wait: 'P1D' }) });
    const job = await onlyJobOf(id);
    await request(stack.app).post(`/engine-rest/job/${job.id}/execute`).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['afterWait']);
    await request(stack.app).get(`/engine-rest/job/${job.id}`).expect(404);
    await request(stack.app).post(`/engine-rest/job/${job.id}/execute`).expect(404);
  });

  it('turns a timer whose continuation keeps failing into a failed job, and runs it again on new retries', async () => {
    const id = await startInstance(stack.app, 'timerGateway', {
      variables: restVariables({ route: 'nowhere' }),
    });
    const { id: jobId } = await onlyJobOf(id);
    const failed = async () =>
      (await request(stack.app).get('/engine-rest/job?noRetriesLeft=true').expect(200)).body as Job[];
    await waitUntil(async () => (await failed()).some((job) => job.id === jobId), 30_000);

    const expected =
      "ENGINE-02004 No outgoing sequence flow for the element with id 'decide' could be selected for continuing the process.";
    expect(await onlyJobOf(id)).toMatchObject({ retries: 0, exceptionMessage: expected });
    expect(await waitingIn(stack.app, id)).toEqual(['pause']);
    const trace = await request(stack.app).get(`/engine-rest/job/${jobId}/stacktrace`).expect(200);
    expect(trace.type).toBe('text/plain');
    // The whole stack trace, as for asynchronous continuations; and, as in Camunda, a failedJob incident.
    expect(trace.text).toContain(expected);
    const incidents = await request(stack.app)
      .get(`/engine-rest/incident?processInstanceId=${id}`)
      .expect(200);
    expect(incidents.body).toEqual([
      expect.objectContaining({ incidentType: 'failedJob', configuration: jobId, activityId: 'pause' }),
    ]);
    const executed = await request(stack.app).post(`/engine-rest/job/${jobId}/execute`).expect(404);
    expect(executed.body).toEqual({ type: 'InvalidRequestException', message: expected, code: null });

    await request(stack.app)
      .put(`/engine-rest/process-instance/${id}/variables/route`)
      .send({ value: 'ship', type: 'String' })
      .expect(204);
    await request(stack.app).put(`/engine-rest/job/${jobId}/retries`).send({ retries: 1 }).expect(204);
    await waitUntilIn(id, ['ship']);
    expect(await jobsOf(id)).toEqual([]);
  });

  it('re-schedules due timers from the job rows after the queue lost them', async () => {
    const id = await startInstance(stack.app, 'timerWait', { variables: restVariables({ wait: 'PT2S' }) });
    const { id: jobId } = await onlyJobOf(id);
    const queue = stack.services.timerQueue.queue;
    expect(await queue.getJob(timerJobId(jobId))).toBeDefined();

    const redis = stack.infrastructure.producer;
    const keys = await redis.keys(`{${stack.config.queue.prefix}}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    expect(await queue.getJob(timerJobId(jobId))).toBeUndefined();

    expect(await stack.services.timers.reconcile()).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob(timerJobId(jobId))).toBeDefined();
    await waitUntilIn(id, ['afterWait']);
  });
});
