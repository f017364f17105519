import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface Job {
  id: string;
  processInstanceId: string;
  dueDate: string;
  retries: number;
  suspended: boolean;
}

/** No worker runs in this file: timers stay where the requests put them. */
describe('job queries and job settings', () => {
  let stack: TestStack;
  const byInstance = new Map<string, string>();
  const get = (path: string) => request(stack.app).get(`/engine-rest/job${path}`);
  const ids = (jobs: Job[]) => jobs.map((job) => job.processInstanceId);
  const jobOf = async (instanceId: string): Promise<Job> => {
    const [job] = (await get(`?processInstanceId=${instanceId}`).expect(200)).body as Job[];
    return job!;
  };
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
  const restDate = (date: Date) => `${date.toISOString().slice(0, 23)}+0000`;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [{ name: 'timers.bpmn', content: fixture('timers.bpmn') }]).expect(200);
    for (const [name, wait] of [
      ['day', 'P1D'],
      ['twoDays', 'P2D'],
      ['hours', 'PT10H'],
    ] as const) {
      byInstance.set(
        name,
        await startInstance(stack.app, 'timerWait', { variables: { wait: { value: wait } } }),
      );
    }
    byInstance.set(
      'boundary',
      await startInstance(stack.app, 'timerBoundary', { variables: { deadline: { value: 'P3D' } } }),
    );
  });
  afterAll(() => stack.close());

  it('describes a timer job in Camunda’s JobDto shape', async () => {
    const instanceId = byInstance.get('day')!;
    const instance = (await request(stack.app).get(`/engine-rest/process-instance/${instanceId}`).expect(200))
      .body;
    const [job] = (await get(`?processInstanceId=${instanceId}`).expect(200)).body;
    const [definition] = (
      await request(stack.app)
        .get(`/engine-rest/job-definition?processDefinitionId=${instance.definitionId}&activityIdIn=wait`)
        .expect(200)
    ).body;
    expect(job).toEqual({
      id: expect.any(String),
      // The timer event's job definition (`timer-intermediate-transition`).
      jobDefinitionId: definition.id,
      processInstanceId: instanceId,
      processDefinitionId: instance.definitionId,
      processDefinitionKey: 'timerWait',
      executionId: expect.any(String),
      exceptionMessage: null,
      failedActivityId: null,
      retries: 3,
      dueDate: expect.stringMatching(/\+0000$/),
      suspended: false,
      priority: 0,
      tenantId: null,
      createTime: expect.stringMatching(/\+0000$/),
      batchId: null,
    });
    const due = Date.parse(job.dueDate.replace('+0000', 'Z'));
    expect(Math.abs(due - inDays(1).getTime())).toBeLessThan(60_000);
    expect((await get(`/${job.id}`).expect(200)).body).toEqual(job);
  });

  it('answers 404 for an unknown job, its stack trace and its execution', async () => {
    expect((await get('/nope').expect(404)).body).toEqual({
      type: 'InvalidRequestException',
      message: 'Job with id nope does not exist',
      code: null,
    });
    await get('/nope/stacktrace').expect(404);
    const executed = await request(stack.app).post('/engine-rest/job/nope/execute').expect(404);
    expect(executed.body.message).toBe("No job found with id 'nope'");
    const job = await jobOf(byInstance.get('hours')!);
    const trace = await get(`/${job.id}/stacktrace`).expect(404);
    expect(trace.body.type).toBe('InvalidRequestException');
  });

  it('refuses to delete a timer (part of its instance) and answers 404 for an unknown job', async () => {
    const job = await jobOf(byInstance.get('hours')!);
    const refused = await request(stack.app).delete(`/engine-rest/job/${job.id}`).expect(400);
    expect(refused.body).toEqual({
      type: 'InvalidRequestException',
      message: `Job '${job.id}' is a timer of a process instance; only batch jobs can be deleted (deleting it would strand its token: cancel the waiting activity with a process-instance modification instead)`,
      code: null,
    });
    expect((await get(`/${job.id}`).expect(200)).body.id).toBe(job.id);
    const unknown = await request(stack.app).delete('/engine-rest/job/nope').expect(404);
    expect(unknown.body).toEqual({
      type: 'InvalidRequestException',
      message: "No job found with id 'nope'",
      code: null,
    });
  });

  it('filters by instance, definition, activity, type and retries', async () => {
    expect((await get('/count').expect(200)).body).toEqual({ count: 4 });
    expect(ids((await get('?activityId=deadline').expect(200)).body)).toEqual([byInstance.get('boundary')]);
    expect((await get('/count?processDefinitionKey=timerWait').expect(200)).body).toEqual({ count: 3 });
    const two = [byInstance.get('day')!, byInstance.get('hours')!];
    expect(ids((await get(`?processInstanceIds=${two.join(',')}`).expect(200)).body).sort()).toEqual(
      [...two].sort(),
    );
    const job = await jobOf(byInstance.get('day')!);
    expect((await get(`?jobIds=${job.id},other&executionId=${job.id}`).expect(200)).body).toEqual([]);
    expect(ids((await get(`?jobId=${job.id}`).expect(200)).body)).toEqual([byInstance.get('day')]);
    expect((await get('/count?timers=true&withRetriesLeft=true').expect(200)).body).toEqual({ count: 4 });
    expect((await get('/count?messages=true').expect(200)).body).toEqual({ count: 0 });
    expect((await get('/count?noRetriesLeft=true').expect(200)).body).toEqual({ count: 0 });
    expect((await get('/count?withException=true').expect(200)).body).toEqual({ count: 0 });
    expect((await get('/count?jobDefinitionId=anything').expect(200)).body).toEqual({ count: 0 });
    const both = await get('?timers=true&messages=true').expect(400);
    expect(both.body.message).toBe('Cannot combine onlyTimers() with onlyMessages() in the same query');
  });

  it('filters by due date conditions, by GET and by POST', async () => {
    const within = `lt_${encodeURIComponent(restDate(inDays(1.5)))}`;
    const lower = (await get(`?dueDates=${within}&sortBy=jobDueDate&sortOrder=asc`).expect(200)).body;
    expect(ids(lower)).toEqual([byInstance.get('hours'), byInstance.get('day')]);
    const between = `gt_${encodeURIComponent(restDate(inDays(0.5)))},${within}`;
    expect(ids((await get(`?dueDates=${between}`).expect(200)).body)).toEqual([byInstance.get('day')]);
    const posted = await request(stack.app)
      .post('/engine-rest/job')
      .send({
        dueDates: [{ operator: 'gt', value: restDate(inDays(1.5)) }],
        sorting: [{ sortBy: 'jobDueDate', sortOrder: 'desc' }],
      })
      .expect(200);
    expect(ids(posted.body)).toEqual([byInstance.get('boundary'), byInstance.get('twoDays')]);
    const count = await request(stack.app)
      .post('/engine-rest/job/count')
      .send({ processDefinitionKey: 'timerWait', unknownField: 1 })
      .expect(200);
    expect(count.body).toEqual({ count: 3 });

    const operator = await get(`?dueDates=eq_${encodeURIComponent(restDate(inDays(1)))}`).expect(400);
    expect(operator.body.message).toBe('Invalid due date comparator specified: eq');
    await get('?dueDates=lt_tomorrow').expect(400);
    await get('?dueDates=tomorrow').expect(400);
    await request(stack.app)
      .post('/engine-rest/job')
      .send({ dueDates: [{ operator: 'lt', value: 'soon' }] })
      .expect(400);
  });

  it('sorts and pages', async () => {
    const ascending = (await get('?sortBy=jobDueDate&sortOrder=asc').expect(200)).body as Job[];
    expect(ids(ascending)).toEqual(
      ['hours', 'day', 'twoDays', 'boundary'].map((name) => byInstance.get(name)),
    );
    const page = await get('?sortBy=jobDueDate&sortOrder=asc&firstResult=1&maxResults=2').expect(200);
    expect(page.body).toEqual(ascending.slice(1, 3));
    const byId = (await get('?sortBy=jobId&sortOrder=desc').expect(200)).body as Job[];
    expect(byId.map((job) => job.id)).toEqual(
      ascending
        .map((job) => job.id)
        .sort()
        .reverse(),
    );
    await get('?sortBy=dueDate&sortOrder=asc').expect(400);
    await get('?sortOrder=asc').expect(400);
  });

  it('reports the suspension of the job’s instance', async () => {
    const instanceId = byInstance.get('twoDays')!;
    const suspend = (suspended: boolean) =>
      request(stack.app)
        .put(`/engine-rest/process-instance/${instanceId}/suspended`)
        .send({ suspended })
        .expect(204);
    await suspend(true);
    try {
      const suspended = (await get('?suspended=true').expect(200)).body as Job[];
      expect(suspended.map((job) => [job.processInstanceId, job.suspended])).toEqual([[instanceId, true]]);
      expect(ids((await get('?active=true').expect(200)).body)).not.toContain(instanceId);
    } finally {
      await suspend(false);
    }
  });

  it('sets retries and due dates; unknown jobs are 404s', async () => {
    const instanceId = byInstance.get('hours')!;
    const job = await jobOf(instanceId);
    const put = (path: string, body: object) => request(stack.app).put(`/engine-rest/job/${path}`).send(body);

    await put(`${job.id}/retries`, { retries: 5 }).expect(204);
    expect(await jobOf(instanceId)).toMatchObject({ retries: 5, dueDate: job.dueDate });
    await put(`${job.id}/retries`, { retries: -2 }).expect(204);
    expect(ids((await get('?noRetriesLeft=true').expect(200)).body)).toEqual([instanceId]);
    await put(`${job.id}/retries`, { retries: 3, dueDate: '2030-01-02T03:04:05.000+0100' }).expect(204);
    expect(await jobOf(instanceId)).toMatchObject({ retries: 3, dueDate: '2030-01-02T02:04:05.000+0000' });

    expect((await get('/count?executable=true').expect(200)).body).toEqual({ count: 0 });
    await put(`${job.id}/duedate`, { duedate: '2001-01-01T00:00:00.000+0000', cascade: false }).expect(204);
    expect(await jobOf(instanceId)).toMatchObject({ dueDate: '2001-01-01T00:00:00.000+0000' });
    expect(ids((await get('?executable=true').expect(200)).body)).toEqual([instanceId]);
    await put(`${job.id}/duedate`, { duedate: restDate(inDays(1)) }).expect(204);

    const unknown = await put('nope/retries', { retries: 1 }).expect(404);
    expect(unknown.body).toEqual({
      type: 'InvalidRequestException',
      message: "ENGINE-13053 No job found with id 'nope'.'",
      code: null,
    });
    expect((await put('nope/duedate', { duedate: null }).expect(404)).body.message).toBe(
      "No job found with id 'nope'.",
    );
    await put(`${job.id}/retries`, {}).expect(400);
    await put(`${job.id}/retries`, { retries: 'many' }).expect(400);
    await put(`${job.id}/retries`, { retries: 1, dueDate: 'later' }).expect(400);
    await put(`${job.id}/duedate`, { duedate: 'later' }).expect(400);
    expect(await jobOf(instanceId)).toMatchObject({ retries: 3 });
  });
});
