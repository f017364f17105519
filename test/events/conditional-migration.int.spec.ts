import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { waitUntil } from '../support/redis-server';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';
import { startTestWorker } from '../support/worker';

const INSTANCES = 200;

interface Instruction {
  sourceActivityIds: string[];
  targetActivityIds: string[];
  updateEventTrigger: boolean;
}

/** Migration and modification of instances waiting in conditional events, synchronously and in a batch. */
describe('migrating and modifying conditional events', () => {
  let stack: TestStack;
  let stopWorker: () => Promise<void>;
  const api = () => request(stack.app);
  const get = (path: string) => api().get(`/engine-rest${path}`).expect(200);
  const post = (path: string, body: object = {}) => api().post(`/engine-rest${path}`).send(body);
  const subscriptions = async (query: string) =>
    (await get(`/event-subscription?maxResults=10000&${query}`)).body as Array<{
      id: string;
      activityId: string;
      processInstanceId: string;
      eventType: string;
    }>;
  /** Deploys two versions of a fixture's process under a fresh key; returns their definition ids. */
  const versions = async (file: string, key: string, fresh: string): Promise<[string, string]> => {
    const ids: string[] = [];
    for (const version of ['v1', 'v2']) {
      const xml = withKey(fixture(`events/${file}.bpmn`), key, fresh);
      const deployed = await deploy(stack.app, [{ name: `${fresh}-${version}.bpmn`, content: xml }]).expect(
        200,
      );
      ids.push(Object.keys(deployed.body.deployedProcessDefinitions as object)[0]!);
    }
    return ids as [string, string];
  };
  const generate = async (source: string, target: string) =>
    (
      await post('/migration/generate', {
        sourceProcessDefinitionId: source,
        targetProcessDefinitionId: target,
      }).expect(200)
    ).body as {
      sourceProcessDefinitionId: string;
      targetProcessDefinitionId: string;
      instructions: Instruction[];
    };

  beforeAll(async () => {
    stack = await startTestStack({
      env: { BATCH_INVOCATIONS_PER_JOB: '20', BATCH_JOBS_PER_SEED: '5', BATCH_POLL_TIME_MS: '60000' },
    });
    stopWorker = await startTestWorker(stack);
  });
  afterAll(async () => {
    await stopWorker();
    await stack.close();
  });

  describe('migration', () => {
    it('generates conditional events with updateEventTrigger, as Camunda does', async () => {
      const [v1, v2] = await versions('conditional-boundary', 'condBoundary', 'condGenerate');
      const plan = await generate(v1, v2);
      expect(plan.instructions).toEqual(
        expect.arrayContaining([
          { sourceActivityIds: ['work'], targetActivityIds: ['work'], updateEventTrigger: false },
          {
            sourceActivityIds: ['urgentBoundary'],
            targetActivityIds: ['urgentBoundary'],
            updateEventTrigger: true,
          },
          {
            sourceActivityIds: ['noteBoundary'],
            targetActivityIds: ['noteBoundary'],
            updateEventTrigger: true,
          },
        ]),
      );
    });

    it('reports a conditional event mapped without updateEventTrigger and refuses to execute it', async () => {
      const [v1, v2] = await versions('conditional-intermediate', 'condIntermediate', 'condInvalid');
      const instance = await Scenario.startDefinition(stack.app, v1);
      const plan = {
        sourceProcessDefinitionId: v1,
        targetProcessDefinitionId: v2,
        instructions: [{ sourceActivityIds: ['waitForApproval'], targetActivityIds: ['waitForApproval'] }],
      };
      const report = await post('/migration/validate', plan).expect(200);
      expect(report.body).toEqual({
        instructionReports: [
          {
            instruction: {
              sourceActivityIds: ['waitForApproval'],
              targetActivityIds: ['waitForApproval'],
              updateEventTrigger: false,
            },
            failures: ['Conditional event has to migrate with update event trigger.'],
          },
        ],
        variableReports: {},
      });
      const refused = await post('/migration/execute', {
        migrationPlan: plan,
        processInstanceIds: [instance.id],
      }).expect(400);
      expect(refused.body.type).toBe('MigrationPlanValidationException');
      expect(refused.body.message).toContain('Conditional event has to migrate with update event trigger.');
      expect((await get(`/process-instance/${instance.id}`)).body.definitionId).toBe(v1);
    });

    it('keeps an intermediate conditional subscription and waits for the target condition', async () => {
      const [v1, v2] = await versions('conditional-intermediate', 'condIntermediate', 'condMigrate');
      const instance = await Scenario.startDefinition(stack.app, v1, { approved: { value: false } });
      const [before] = await subscriptions(`processInstanceId=${instance.id}`);

      await post('/migration/execute', {
        migrationPlan: await generate(v1, v2),
        processInstanceIds: [instance.id],
      }).expect(204);

      const after = await subscriptions(`processInstanceId=${instance.id}`);
      expect(after).toEqual([{ ...before, activityId: 'waitForApproval' }]);
      expect((await get(`/process-instance/${instance.id}`)).body.definitionId).toBe(v2);
      await api()
        .put(`/engine-rest/process-instance/${instance.id}/variables/approved`)
        .send({ value: true })
        .expect(204);
      expect(await instance.tree()).toEqual(['ship']);
    });

    it(`migrates ${INSTANCES} instances waiting in conditional events in a batch on a worker`, async () => {
      const [v1, v2] = await versions('conditional-event-sub-processes', 'condEsp', 'condEspBatch');
      const definition = (await stack.services.repository.getDefinition(v1))!;
      await stack.services.runtime.start(
        definition,
        Array.from({ length: INSTANCES }, () => ({ businessKey: null, variables: {} })),
      );
      const instances = new Set(
        (
          (await get(`/process-instance?processDefinitionId=${v1}&maxResults=10000`)).body as Array<{
            id: string;
          }>
        ).map((instance) => instance.id),
      );
      const ofV1 = (await subscriptions('eventType=conditional')).filter((s) =>
        instances.has(s.processInstanceId),
      );
      expect(ofV1).toHaveLength(2 * INSTANCES);

      const created = await post('/migration/executeAsync', {
        migrationPlan: await generate(v1, v2),
        processInstanceQuery: { processDefinitionId: v1 },
      }).expect(200);
      const batchId = created.body.id as string;
      await waitUntil(async () => (await api().get(`/engine-rest/batch/${batchId}`)).status === 404, 120_000);

      const count = async (definitionId: string) =>
        (await get(`/process-instance/count?processDefinitionId=${definitionId}`)).body.count;
      expect(await count(v1)).toBe(0);
      expect(await count(v2)).toBe(INSTANCES);
      const after = (await subscriptions('eventType=conditional')).filter((s) =>
        instances.has(s.processInstanceId),
      );
      expect(after.map((s) => s.id).sort()).toEqual(ofV1.map((s) => s.id).sort());
      const history = (await get(`/history/batch/${batchId}`)).body;
      expect(history.endTime).not.toBeNull();

      const migrated = after[0]!.processInstanceId;
      await api()
        .put(`/engine-rest/process-instance/${migrated}/variables/cancelled`)
        .send({ value: true })
        .expect(204);
      const tree = (await get(`/process-instance/${migrated}/activity-instances`)).body;
      expect(tree.processDefinitionId).toBe(v2);
      expect(tree.childActivityInstances.map((c: { activityId: string }) => c.activityId)).toEqual([
        'cancelEsp',
      ]);
    });
  });

  describe('modification', () => {
    it('starting before an interrupting conditional boundary event cancels its host', async () => {
      await versions('conditional-boundary', 'condBoundary', 'condModify');
      const instance = await Scenario.start(stack.app, 'condModify');
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'startBeforeActivity', activityId: 'urgentBoundary' }],
      }).expect(204);
      expect(await instance.tree()).toEqual(['escalate']);
      expect(await subscriptions(`processInstanceId=${instance.id}`)).toEqual([]);
    });

    it('starting before an intermediate conditional event waits there with its own subscription', async () => {
      await versions('conditional-intermediate', 'condIntermediate', 'condModifyWait');
      const instance = await Scenario.start(stack.app, 'condModifyWait', { approved: { value: true } });
      expect(await instance.tree()).toEqual(['ship']);
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [
          {
            type: 'startBeforeActivity',
            activityId: 'waitForApproval',
            variables: { approved: { value: false } },
          },
        ],
      }).expect(204);
      expect(await instance.tree()).toEqual(['ship', 'waitForApproval']);
      expect((await subscriptions(`processInstanceId=${instance.id}`)).map((s) => s.eventType)).toEqual([
        'conditional',
      ]);

      const waiting = (
        await get(`/process-instance/${instance.id}/activity-instances`)
      ).body.childActivityInstances.find(
        (child: { activityId: string }) => child.activityId === 'waitForApproval',
      );
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'cancel', activityInstanceId: waiting.id }],
      }).expect(204);
      expect(await instance.tree()).toEqual(['ship']);
      expect(await subscriptions(`processInstanceId=${instance.id}`)).toEqual([]);
    });

    it('starting before a conditional event sub-process start event interrupts the process', async () => {
      await versions('conditional-event-sub-processes', 'condEsp', 'condModifyEsp');
      const instance = await Scenario.start(stack.app, 'condModifyEsp');
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'startBeforeActivity', activityId: 'cancelStart' }],
      }).expect(204);
      expect(await instance.tree()).toEqual(['cancelEsp/cancelTask']);
      expect(await subscriptions(`processInstanceId=${instance.id}`)).toEqual([]);
    });
  });

  describe('the set-variables batch', () => {
    it('fires the conditional events its variables satisfy in every selected instance', async () => {
      await versions('conditional-boundary', 'condBoundary', 'condVarsAsync');
      const instances = [
        await Scenario.start(stack.app, 'condVarsAsync'),
        await Scenario.start(stack.app, 'condVarsAsync'),
      ];
      const created = await post('/process-instance/variables-async', {
        processInstanceIds: instances.map((instance) => instance.id),
        variables: { urgent: { value: true, type: 'Boolean' } },
      }).expect(200);
      await waitUntil(
        async () => (await api().get(`/engine-rest/batch/${created.body.id as string}`)).status === 404,
        60_000,
      );
      for (const instance of instances) expect(await instance.tree()).toEqual(['escalate']);
    });
  });
});
