import request from 'supertest';
import { startInstance } from '../support/instances';
import { deploy, fixture } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/** `start → sub(start → inside) → end`: a sub-process with a waiting task. */
const NESTED = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="statsNested" targetNamespace="x">
  <bpmn:process id="statsNested" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toSub" sourceRef="start" targetRef="sub" />
    <bpmn:subProcess id="sub">
      <bpmn:startEvent id="subStart" />
      <bpmn:sequenceFlow id="toInside" sourceRef="subStart" targetRef="inside" />
      <bpmn:userTask id="inside" />
    </bpmn:subProcess>
    <bpmn:sequenceFlow id="toEnd" sourceRef="sub" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`.replace(
  'id="statsNested" targetNamespace',
  'id="statsNestedDefinitions" targetNamespace',
);

/**
 * Camunda's statistics over REST: where the running instances of a definition wait, per activity
 * (leaf activity instances and transition instances, not scopes with children nor tokens at joins),
 * with failed jobs and incidents on request; and every definition's instances, failed jobs and incidents.
 */
describe('process-definition statistics', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const idOf = async (key: string) =>
    (await api().get(`/engine-rest/process-definition/key/${key}`).expect(200)).body.id as string;
  const activityStatistics = async (key: string, query = '') =>
    (await api().get(`/engine-rest/process-definition/key/${key}/statistics${query}`).expect(200)).body;
  const jobsOf = async (instanceId: string) =>
    (await api().get(`/engine-rest/job?processInstanceId=${instanceId}`).expect(200)).body as Array<{
      id: string;
    }>;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'async-continuations.bpmn', content: fixture('async-continuations.bpmn') },
      { name: 'stats-nested.bpmn', content: NESTED },
    ]).expect(200);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('counts tokens in transition instances and leaves a token waiting at a join out', async () => {
    const first = await startInstance(stack.app, 'asyncParallel');
    await startInstance(stack.app, 'asyncParallel');
    const plain = { failedJobs: 0, incidents: [] };

    expect(await activityStatistics('asyncParallel')).toEqual([
      { id: 'a', instances: 2, ...plain },
      { id: 'b', instances: 2, ...plain },
    ]);
    const [jobA] = await jobsOf(first);
    await api().post(`/engine-rest/job/${jobA!.id}/execute`).expect(204);

    const after = (await activityStatistics('asyncParallel')) as Array<{ id: string; instances: number }>;
    expect(after.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(after.map((entry) => entry.instances).sort()).toEqual([1, 2]);
  });

  it('counts the task inside a sub-process, not the sub-process', async () => {
    await startInstance(stack.app, 'statsNested');

    expect(await activityStatistics('statsNested')).toEqual([
      { id: 'inside', instances: 1, failedJobs: 0, incidents: [] },
    ]);
  });

  it('adds failed jobs and incidents when asked, and answers nothing for an unknown id', async () => {
    const id = await startInstance(stack.app, 'asyncDecision');
    const [job] = await jobsOf(id);
    for (let attempt = 0; attempt < 3; attempt++) {
      await api().post(`/engine-rest/job/${job!.id}/execute`).expect(404);
    }

    expect(await activityStatistics('asyncDecision')).toEqual([
      { id: 'decide', instances: 1, failedJobs: 0, incidents: [] },
    ]);
    expect(await activityStatistics('asyncDecision', '?failedJobs=true&incidents=true')).toEqual([
      {
        id: 'decide',
        instances: 1,
        failedJobs: 1,
        incidents: [{ incidentType: 'failedJob', incidentCount: 1 }],
      },
    ]);
    expect(await activityStatistics('asyncDecision', '?incidentsForType=other')).toEqual([
      { id: 'decide', instances: 1, failedJobs: 0, incidents: [] },
    ]);
    const byId = await api().get(`/engine-rest/process-definition/${await idOf('asyncDecision')}/statistics`);
    expect(byId.body).toEqual([{ id: 'decide', instances: 1, failedJobs: 0, incidents: [] }]);
    expect((await api().get('/engine-rest/process-definition/nope/statistics').expect(200)).body).toEqual([]);
  });

  it('answers every definition with its instances, failed jobs and incidents', async () => {
    const all = (
      await api()
        .get('/engine-rest/process-definition/statistics?failedJobs=true&rootIncidents=true')
        .expect(200)
    ).body as Array<{
      id: string;
      instances: number;
      failedJobs: number;
      incidents: unknown[];
      definition: { key: string };
    }>;
    const byKey = new Map(all.map((entry) => [entry.definition.key, entry]));

    expect(byKey.get('asyncParallel')).toMatchObject({
      id: await idOf('asyncParallel'),
      instances: 2,
      failedJobs: 0,
      incidents: [],
    });
    expect(byKey.get('asyncDecision')).toMatchObject({
      instances: 1,
      failedJobs: 1,
      incidents: [{ incidentType: 'failedJob', incidentCount: 1 }],
    });
    expect(byKey.get('asyncStart')).toMatchObject({ instances: 0, failedJobs: 0, incidents: [] });
  });

  it('refuses incidents together with incidentsForType or rootIncidents, as Camunda does', async () => {
    const activity = await api()
      .get(
        '/engine-rest/process-definition/key/asyncStart/statistics?incidents=true&incidentsForType=failedJob',
      )
      .expect(400);
    const definitions = await api()
      .get('/engine-rest/process-definition/statistics?incidents=true&rootIncidents=true')
      .expect(400);

    expect(activity.body).toEqual({
      type: 'InvalidRequestException',
      message: 'Only one of the query parameter incidents or incidentsForType can be set.',
      code: null,
    });
    expect(definitions.body.message).toBe(
      'Only one of the query parameter incidents or rootIncidents can be set.',
    );
  });
});
