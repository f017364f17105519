import request from 'supertest';
import { asyncContinuationJobId } from '@libs/queue';
import { startInstance, waitingIn } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface Job {
  id: string;
  executionId: string;
}

interface TransitionInstance {
  id: string;
  activityId: string;
}

/**
 * Modification of instances that wait in transition instances (asynchronous continuations) over REST:
 * cancelling them by id and with their activity, starting before an asyncBefore activity (with
 * variables) and running the job, and Camunda's error for an unknown transition instance. No
 * workers run here: jobs run only through `POST /job/{id}/execute`.
 */
describe('modification of transition instances', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const modify = (id: string, body: object) =>
    api().post(`/engine-rest/process-instance/${id}/modification`).send(body);
  const jobsOf = async (id: string): Promise<Job[]> =>
    (await api().get(`/engine-rest/job?processInstanceId=${id}`).expect(200)).body;
  const transitionsOf = async (id: string): Promise<TransitionInstance[]> =>
    (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body
      .childTransitionInstances;
  const queued = async (jobId: string) =>
    (await stack.services.asyncContinuationQueue.queue.getJob(asyncContinuationJobId(jobId))) !== undefined;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'async-continuations.bpmn', content: fixture('async-continuations.bpmn') },
    ]).expect(200);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('cancels a transition instance by id: its job, row and queue entry go, and the instance ends', async () => {
    const id = await startInstance(stack.app, 'asyncStart');
    const [job] = await jobsOf(id);
    expect(await transitionsOf(id)).toEqual([expect.objectContaining({ id: job!.executionId })]);
    expect(await queued(job!.id)).toBe(true);

    await modify(id, {
      instructions: [{ type: 'cancel', transitionInstanceId: job!.executionId }],
    }).expect(204);

    expect(await waitingIn(stack.app, id)).toBeNull();
    expect(await jobsOf(id)).toEqual([]);
    expect(await queued(job!.id)).toBe(false);
    const historic = await api().get(`/engine-rest/history/process-instance/${id}`).expect(200);
    expect(historic.body.state).toBe('EXTERNALLY_TERMINATED');
  });

  it('cancels by activity id only that activity’s transition instances, then the last one ends the instance', async () => {
    const id = await startInstance(stack.app, 'asyncParallel');
    const jobs = await jobsOf(id);
    const transitions = await transitionsOf(id);
    expect(transitions.map((transition) => transition.activityId).sort()).toEqual(['a', 'b']);
    const jobOf = (activityId: string) =>
      jobs.find((job) => job.executionId === transitions.find((t) => t.activityId === activityId)?.id);

    await modify(id, { instructions: [{ type: 'cancel', activityId: 'a' }] }).expect(204);

    expect((await transitionsOf(id)).map((transition) => transition.activityId)).toEqual(['b']);
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ id: jobOf('b')!.id })]);
    expect(await queued(jobOf('a')!.id)).toBe(false);

    await modify(id, { instructions: [{ type: 'cancel', activityId: 'b' }] }).expect(204);
    expect(await waitingIn(stack.app, id)).toBeNull();
    expect(await jobsOf(id)).toEqual([]);
  });

  it('starts before an asyncBefore task with variables; running the job creates the task with them', async () => {
    const id = await startInstance(stack.app, 'asyncStart');
    const [first] = await jobsOf(id);
    await api().post(`/engine-rest/job/${first!.id}/execute`).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['work']);

    await modify(id, {
      instructions: [
        {
          type: 'startBeforeActivity',
          activityId: 'work',
          variables: {
            shared: { value: 'everyone', type: 'String', local: false },
            mine: { value: 7, type: 'Integer', local: true },
          },
        },
      ],
    }).expect(204);

    const [parked] = await jobsOf(id);
    expect(await transitionsOf(id)).toEqual([
      expect.objectContaining({ id: parked!.executionId, activityId: 'work' }),
    ]);
    expect(await waitingIn(stack.app, id)).toEqual(['work']);
    const processVariables = await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200);
    expect(Object.keys(processVariables.body)).toEqual(['shared']);

    await api().post(`/engine-rest/job/${parked!.id}/execute`).expect(204);

    expect(await jobsOf(id)).toEqual([]);
    expect(await waitingIn(stack.app, id)).toEqual(['work', 'work']);
    const tasks: Array<{ id: string; executionId: string }> = (
      await api().get(`/engine-rest/task?processInstanceId=${id}`).expect(200)
    ).body;
    expect(tasks).toHaveLength(2);
    const seen = await Promise.all(
      tasks.map(async (task) => (await api().get(`/engine-rest/task/${task.id}/variables`).expect(200)).body),
    );
    expect(seen).toContainEqual({
      shared: expect.objectContaining({ value: 'everyone', type: 'String' }),
      mine: expect.objectContaining({ value: 7, type: 'Integer' }),
    });
    expect(seen).toContainEqual({ shared: expect.objectContaining({ value: 'everyone' }) });
  });

  it('cancelling a failed transition instance deletes its failedJob incident', async () => {
    const id = await startInstance(stack.app, 'asyncDecision');
    const [job] = await jobsOf(id);
    const incidentsOf = async () =>
      (await api().get(`/engine-rest/incident?processInstanceId=${id}`).expect(200)).body as unknown[];
    // Without `approved` the gateway fails: three runs use up the retries into an incident.
    for (let run = 0; run < 3; run++) await api().post(`/engine-rest/job/${job!.id}/execute`);
    expect(await incidentsOf()).toHaveLength(1);
    await modify(id, { instructions: [{ type: 'startBeforeActivity', activityId: 'approved' }] }).expect(204);

    await modify(id, {
      instructions: [{ type: 'cancel', transitionInstanceId: job!.executionId }],
    }).expect(204);

    expect(await incidentsOf()).toEqual([]);
    expect(await jobsOf(id)).toEqual([]);
    expect(await waitingIn(stack.app, id)).toEqual(['approved']);
  });

  it('answers an unknown transition instance with Camunda’s NotValidException and changes nothing', async () => {
    const id = await startInstance(stack.app, 'asyncStart');
    const [job] = await jobsOf(id);

    const response = await modify(id, {
      instructions: [{ type: 'cancel', transitionInstanceId: 'nope' }],
    }).expect(400);

    expect(response.body).toEqual({
      type: 'NotValidException',
      message:
        "Cannot perform instruction: Cancel transition instance 'nope'; Transition instance 'nope' does not exist: transitionInstance is null",
      code: 0,
    });
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ id: job!.id })]);
    expect(await transitionsOf(id)).toHaveLength(1);
  });

  it('cancels transition instances with cancelCurrentActiveActivityInstances on /modification/execute', async () => {
    const id = await startInstance(stack.app, 'asyncStart');
    const [old] = await jobsOf(id);
    const definitionId = (await api().get(`/engine-rest/process-instance/${id}`).expect(200)).body
      .definitionId;

    await api()
      .post('/engine-rest/modification/execute')
      .send({
        processDefinitionId: definitionId,
        instructions: [
          { type: 'startBeforeActivity', activityId: 'work' },
          { type: 'cancel', activityId: 'work', cancelCurrentActiveActivityInstances: true },
        ],
        processInstanceIds: [id],
      })
      .expect(204);

    const jobs = await jobsOf(id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.id).not.toBe(old!.id);
    expect(await transitionsOf(id)).toEqual([expect.objectContaining({ id: jobs[0]!.executionId })]);
  });
});
