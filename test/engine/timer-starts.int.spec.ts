import request from 'supertest';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

interface JobDto {
  id: string;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  executionId: string | null;
  dueDate: string;
  retries: number;
}

/** Timer start events over REST: one job per latest definition, executed instead of waited for. */
describe('timer start events through the HTTP API', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  const jobsOf = async (key: string) =>
    (await request(stack.app).get(`/engine-rest/job?processDefinitionKey=${key}`).expect(200))
      .body as JobDto[];
  const instancesOf = async (key: string) =>
    (await request(stack.app).get(`/engine-rest/process-instance?processDefinitionKey=${key}`).expect(200))
      .body as Array<{ id: string; definitionId: string }>;
  const execute = (jobId: string) => request(stack.app).post(`/engine-rest/job/${jobId}/execute`);

  it('creates one job per definition at deployment, with its definition and no instance', async () => {
    const deployed = await deploy(stack.app, [
      { name: 'timer-starts.bpmn', content: fixture('signals/timer-starts.bpmn') },
    ]).expect(200);
    const definitions = Object.values(deployed.body.deployedProcessDefinitions) as Array<{
      id: string;
      key: string;
    }>;
    const dateDefinition = definitions.find((definition) => definition.key === 'timerDate')!;
    expect(await jobsOf('timerDate')).toEqual([
      expect.objectContaining({
        processInstanceId: null,
        executionId: null,
        processDefinitionId: dateDefinition.id,
        processDefinitionKey: 'timerDate',
        dueDate: '2031-01-01T08:00:00.000+0000',
        retries: 3,
      }),
    ]);
    const [cycle] = await jobsOf('timerCycle');
    expect(cycle).toMatchObject({ processInstanceId: null, processDefinitionKey: 'timerCycle' });
    expect(await instancesOf('timerCycle')).toEqual([]);
  });

  it('starts an instance when the job is executed, and a cycle schedules its next job until it is done', async () => {
    const [first] = await jobsOf('timerCycle');
    await execute(first!.id).expect(204);
    const started = await instancesOf('timerCycle');
    expect(started).toHaveLength(1);
    const path = await request(stack.app)
      .get(
        `/engine-rest/history/activity-instance?processInstanceId=${started[0]!.id}&sortBy=occurrence&sortOrder=asc`,
      )
      .expect(200);
    expect(path.body.map((entry: { activityId: string }) => entry.activityId)).toEqual([
      'everyHour',
      'report',
    ]);

    const [second] = await jobsOf('timerCycle');
    expect(second!.id).not.toBe(first!.id);
    expect(new Date(second!.dueDate).getTime() - new Date(first!.dueDate).getTime()).toBe(3_600_000);
    await execute(second!.id).expect(204);
    expect(await instancesOf('timerCycle')).toHaveLength(2);
    expect(await jobsOf('timerCycle')).toEqual([]);
    await execute(second!.id).expect(404);
  });

  it('fires a date timer once', async () => {
    const [job] = await jobsOf('timerDate');
    await execute(job!.id).expect(204);
    expect(await instancesOf('timerDate')).toHaveLength(1);
    expect(await jobsOf('timerDate')).toEqual([]);
  });

  it('replaces the job of the previous version when a new version is deployed, and brings it back when that goes', async () => {
    const v1 = await deploy(stack.app, [
      { name: 'cycle-only.bpmn', content: fixture('signals/timer-starts.bpmn') },
    ]).expect(200);
    const [v1Job] = await jobsOf('timerCycle');
    const v1Id = (
      Object.values(v1.body.deployedProcessDefinitions) as Array<{ id: string; key: string }>
    ).find((definition) => definition.key === 'timerCycle')!.id;
    expect(v1Job!.processDefinitionId).toBe(v1Id);

    const withoutTimer = fixture('signals/timer-starts.bpmn').replace(
      /<startEvent id="everyHour">[\s\S]*?<\/startEvent>/,
      '<startEvent id="everyHour" />',
    );
    const v2 = await deploy(stack.app, [{ name: 'cycle-only.bpmn', content: withoutTimer }]).expect(200);
    expect(await jobsOf('timerCycle')).toEqual([]);

    await request(stack.app).delete(`/engine-rest/deployment/${v2.body.id}`).expect(204);
    const [restored] = await jobsOf('timerCycle');
    expect(restored).toMatchObject({ processDefinitionId: v1Id, processInstanceId: null });
  });

  it('refuses a timer start event whose timer cannot be read, deploying nothing', async () => {
    const broken = fixture('signals/timer-starts.bpmn').replace('R2/PT1H', 'every hour');
    const response = await deploy(stack.app, [{ name: 'broken.bpmn', content: broken }]).expect(400);
    expect(response.body.message).toBe(
      "Cannot deploy process 'timerCycle': Cannot parse the timer cycle 'every hour' of timer event 'everyHour'",
    );
  });
});
