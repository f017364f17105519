import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { Scenario } from '../support/scenario';
import { startTestStack, type TestStack } from '../support/test-stack';

interface TreeDto {
  readonly id: string;
  readonly processDefinitionId: string;
  readonly activityId: string;
  readonly activityType: string;
  readonly parentActivityInstanceId: string | null;
  readonly childActivityInstances: readonly TreeDto[];
}

const PROCESSES = [
  'compensationOrder',
  'compensationRef',
  'compensationEnd',
  'compensationNothing',
  'compensationSub',
  'compensationEsp',
  'compensationMi',
];

/** Compensation through the HTTP API: handlers, throws, snapshots, modification and migration. */
describe('compensation through the HTTP API', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const get = (path: string) => api().get(`/engine-rest${path}`).expect(200);
  const post = (path: string, body: object = {}) => api().post(`/engine-rest${path}`).send(body);
  const subscriptions = async (instanceId: string) =>
    (
      (await get(`/event-subscription?processInstanceId=${instanceId}`)).body as Array<
        Record<string, unknown>
      >
    )
      .map((s) => `${String(s.eventType)}:${String(s.eventName)}@${String(s.activityId)}`)
      .sort();
  const tree = async (instanceId: string) =>
    (await get(`/process-instance/${instanceId}/activity-instances`)).body as TreeDto;
  /** Deploys the fixture's process `key` twice as `newKey` (with `change` applied to v2), returns both ids. */
  const versions = async (key: string, newKey: string, change: (xml: string) => string = (xml) => xml) => {
    const ids: string[] = [];
    for (const [index, edit] of [(xml: string) => xml, change].entries()) {
      const xml = edit(withKey(fixture(`events/compensation/${key}.bpmn`), key, newKey));
      const deployed = await deploy(stack.app, [{ name: `${newKey}-${index}.bpmn`, content: xml }]).expect(
        200,
      );
      const definitions = Object.values(deployed.body.deployedProcessDefinitions as object) as Array<{
        id: string;
        key: string;
      }>;
      ids.push(definitions.find((definition) => definition.key === newKey)!.id);
    }
    return ids as [string, string];
  };
  const startById = async (definitionId: string) =>
    (await post(`/process-definition/${definitionId}/start`).expect(200)).body.id as string;
  const migrate = (source: string, target: string, pairs: Array<[string, string]>, ids: string[]) =>
    post('/migration/execute', {
      migrationPlan: {
        sourceProcessDefinitionId: source,
        targetProcessDefinitionId: target,
        instructions: pairs.map(([from, to]) => ({ sourceActivityIds: [from], targetActivityIds: [to] })),
      },
      processInstanceIds: ids,
    });

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(
      stack.app,
      PROCESSES.map((key) => ({ name: `${key}.bpmn`, content: fixture(`events/compensation/${key}.bpmn`) })),
    ).expect(200);
  });
  afterAll(() => stack.close());

  describe('running compensation', () => {
    it('runs the handlers of completed activities in reverse order of completion', async () => {
      const instance = await Scenario.start(stack.app, 'compensationOrder');
      for (const task of ['A', 'B', 'C']) expect((await instance.complete(task)).status).toBe(204);
      expect(await instance.path()).toEqual([
        'start',
        'A',
        'B',
        'C',
        'throw',
        'undoC',
        'undoB',
        'undoA',
        'after',
      ]);
      expect(await instance.tree()).toEqual(['after']);
      expect(await subscriptions(instance.id)).toEqual([]);
    });

    it('keeps a compensate subscription per completed activity, listed like Camunda', async () => {
      const instance = await Scenario.start(stack.app, 'compensationRef');
      await instance.complete('A');
      const [subscription] = (await get(`/event-subscription?processInstanceId=${instance.id}`)).body;
      expect(subscription).toEqual({
        id: expect.any(String),
        eventType: 'compensate',
        eventName: null,
        executionId: instance.id,
        processInstanceId: instance.id,
        activityId: 'undoA',
        createdDate: expect.any(String),
        tenantId: null,
      });
      expect(
        (await get(`/event-subscription?eventType=compensate&processInstanceId=${instance.id}`)).body,
      ).toHaveLength(1);
    });

    it('compensates only the activityRef, leaving the others compensable', async () => {
      const instance = await Scenario.start(stack.app, 'compensationRef');
      await instance.complete('A');
      await instance.complete('B');
      expect(await instance.path()).toEqual(['start', 'A', 'B', 'throw', 'undoA', 'after']);
      expect(await subscriptions(instance.id)).toEqual(['compensate:null@undoB']);
    });

    it('passes a throw with nothing to compensate', async () => {
      const instance = await Scenario.start(stack.app, 'compensationNothing');
      expect(await instance.tree()).toEqual(['after']);
      expect(await instance.path()).toEqual(['start', 'throw', 'after']);
    });

    it('waits in the end event while a user task handler waits beside it, then ends', async () => {
      const instance = await Scenario.start(stack.app, 'compensationEnd');
      await instance.complete('A');
      const root = await tree(instance.id);
      expect(root.childActivityInstances.map((child) => [child.activityId, child.activityType])).toEqual([
        ['end', 'compensationEndEvent'],
        ['undoA', 'userTask'],
      ]);
      expect(
        root.childActivityInstances.every((child) => child.parentActivityInstanceId === instance.id),
      ).toBe(true);
      expect(await instance.complete('undoA')).toHaveProperty('status', 204);
      expect(await instance.tree()).toBeNull();
      const history = (
        await get(`/history/activity-instance?processInstanceId=${instance.id}&activityId=undoA`)
      ).body;
      expect(history).toEqual([
        expect.objectContaining({ activityType: 'userTask', canceled: false, endTime: expect.any(String) }),
      ]);
      const ended = (await get(`/history/process-instance/${instance.id}`)).body;
      expect(ended.state).toBe('COMPLETED');
    });

    it('re-enters a completed sub-process with its variables to run its handlers', async () => {
      const instance = await Scenario.start(stack.app, 'compensationSub');
      expect(await subscriptions(instance.id)).toEqual([
        'compensate:null@booking',
        'compensate:null@cancelHotel',
      ]);
      // The snapshot's variable is no process variable.
      expect((await get(`/process-instance/${instance.id}/variables`)).body).toEqual({});

      await instance.complete('confirm');
      expect(await instance.tree()).toEqual(['booking/cancelHotel', 'throw']);
      // The handler sees the sub-process's local variable again.
      const task = (await get(`/task?processInstanceId=${instance.id}`)).body[0];
      expect((await get(`/task/${task.id}/variables/hotel`)).body.value).toBe('Ritz');

      await instance.complete('cancelHotel');
      expect(await instance.tree()).toBeNull();
    });

    it('starts a compensation event sub-process inside the re-entered sub-process', async () => {
      const instance = await Scenario.start(stack.app, 'compensationEsp');
      await instance.complete('confirm');
      expect(await instance.tree()).toEqual(['booking/compensationSubProcess/review', 'throw']);
      expect(await instance.path()).toContain('cancelFlight');
      await instance.complete('review');
      expect(await instance.tree()).toBeNull();
    });

    it('compensates every inner instance of a multi-instance activity in its body', async () => {
      const instance = await Scenario.start(stack.app, 'compensationMi');
      await instance.complete('confirm');
      expect(await instance.tree()).toEqual([
        'bookHotel#multiInstanceBody/undoBookHotel',
        'bookHotel#multiInstanceBody/undoBookHotel',
        'bookHotel#multiInstanceBody/undoBookHotel',
        'end',
      ]);
      for (const task of (await get(`/task?processInstanceId=${instance.id}`)).body as Array<{
        id: string;
      }>) {
        await post(`/task/${task.id}/complete`).expect(204);
      }
      expect(await instance.tree()).toBeNull();
    });
  });

  describe('modification', () => {
    it('refuses to start before a compensation boundary event and changes nothing', async () => {
      const instance = await Scenario.start(stack.app, 'compensationOrder');
      const response = await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'startBeforeActivity', activityId: 'ABoundary' }],
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.body.message).toBe(
        'Cannot start before activity ABoundary; activity is a compensation boundary event.',
      );
      expect(await instance.tree()).toEqual(['A']);
    });

    it('starts a compensation throw event, which compensates what completed', async () => {
      const instance = await Scenario.start(stack.app, 'compensationRef');
      await instance.complete('A');
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'startBeforeActivity', activityId: 'throw' }],
      }).expect(204);
      expect(await instance.tree()).toEqual(['B', 'after']);
      expect(await subscriptions(instance.id)).toEqual([]);
    });
  });

  describe('migration', () => {
    it('reports a compensate subscription whose boundary event has no instruction, on the root', async () => {
      const [v1, v2] = await versions('compensationRef', 'compensationRefUnmapped');
      const id = await startById(v1);
      await api().post(
        `/engine-rest/task/${(await get(`/task?processInstanceId=${id}`)).body[0].id}/complete`,
      );
      const refused = await migrate(v1, v2, [['B', 'B']], [id]).expect(400);
      expect(refused.body).toMatchObject({
        type: 'MigratingProcessInstanceValidationException',
        validationReport: {
          processInstanceId: id,
          failures: [],
          activityInstanceValidationReports: [
            {
              migrationInstruction: null,
              activityInstanceId: id,
              sourceScopeId: v1,
              failures: [
                "Cannot migrate subscription for compensation handler 'undoA'. There is no migration instruction for the compensation boundary event",
              ],
            },
          ],
        },
      });
      expect((await get(`/process-instance/${id}`)).body.definitionId).toBe(v1);
    });

    it('migrates the subscription with its boundary event; compensation then runs on v2', async () => {
      const [v1, v2] = await versions('compensationRef', 'compensationRefMapped', (xml) =>
        xml.replaceAll('ABoundary', 'ABoundaryV2'),
      );
      const id = await startById(v1);
      await api().post(
        `/engine-rest/task/${(await get(`/task?processInstanceId=${id}`)).body[0].id}/complete`,
      );
      const before = (await get(`/event-subscription?processInstanceId=${id}`)).body;
      await migrate(
        v1,
        v2,
        [
          ['B', 'B'],
          ['ABoundary', 'ABoundaryV2'],
        ],
        [id],
      ).expect(204);
      expect((await get(`/event-subscription?processInstanceId=${id}`)).body).toEqual(before);
      const instance = await Scenario.start(stack.app, 'compensationNothing');
      expect(instance.id).not.toBe(id);
      const task = (await get(`/task?processInstanceId=${id}`)).body[0];
      await post(`/task/${task.id}/complete`).expect(204);
      const path = (
        await get(`/history/activity-instance?processInstanceId=${id}&sortBy=occurrence&sortOrder=asc`)
      ).body.map((entry: { activityId: string }) => entry.activityId);
      expect(path.slice(-3)).toEqual(['throw', 'undoA', 'after']);
    });

    it('moves a snapshot with its mapped sub-process and keeps its variables', async () => {
      const [v1, v2] = await versions('compensationSub', 'compensationSubMoved', (xml) =>
        xml.replaceAll('"booking"', '"bookingV2"'),
      );
      const id = await startById(v1);
      await migrate(
        v1,
        v2,
        [
          ['confirm', 'confirm'],
          ['booking', 'bookingV2'],
          ['bookHotelBoundary', 'bookHotelBoundary'],
        ],
        [id],
      ).expect(204);
      expect(await subscriptions(id)).toEqual(['compensate:null@bookingV2', 'compensate:null@cancelHotel']);
      const task = (await get(`/task?processInstanceId=${id}`)).body[0];
      await post(`/task/${task.id}/complete`).expect(204);
      const root = await tree(id);
      const booking = root.childActivityInstances.find((c) => c.activityId === 'bookingV2')!;
      expect(booking.childActivityInstances.map((c) => c.activityId)).toEqual(['cancelHotel']);
      const handler = (await get(`/task?processInstanceId=${id}`)).body[0];
      expect((await get(`/task/${handler.id}/variables/hotel`)).body.value).toBe('Ritz');
    });

    it('needs the compensation start event for a snapshot with a compensation event sub-process', async () => {
      const [v1, v2] = await versions('compensationEsp', 'compensationEspStart');
      const id = await startById(v1);
      const pairs: Array<[string, string]> = [
        ['confirm', 'confirm'],
        ['booking', 'booking'],
        ['bookFlightBoundary', 'bookFlightBoundary'],
      ];
      const refused = await migrate(v1, v2, pairs, [id]).expect(400);
      expect(refused.body.validationReport.activityInstanceValidationReports).toEqual([
        {
          migrationInstruction: null,
          activityInstanceId: id,
          sourceScopeId: v1,
          failures: [
            "Cannot migrate subscription for compensation handler 'compensationSubProcess'. There is no migration instruction for the compensation start event",
          ],
        },
      ]);
      await migrate(v1, v2, [...pairs, ['compensationStart', 'compensationStart']], [id]).expect(204);
      expect(await subscriptions(id)).toEqual([
        'compensate:null@cancelFlight',
        'compensate:null@compensationSubProcess',
      ]);
      const task = (await get(`/task?processInstanceId=${id}`)).body[0];
      await post(`/task/${task.id}/complete`).expect(204);
      const root = await tree(id);
      expect(root.processDefinitionId).toBe(v2);
      const booking = root.childActivityInstances.find((child) => child.activityId === 'booking')!;
      expect(booking.childActivityInstances.map((child) => child.activityId)).toEqual([
        'compensationSubProcess',
      ]);
    });

    it('refuses a sub-process mapped outside the hierarchy of its compensation boundary event', async () => {
      const [v1, v2] = await versions('compensationSub', 'compensationSubFlat');
      const refused = await post('/migration/validate', {
        sourceProcessDefinitionId: v1,
        targetProcessDefinitionId: v2,
        instructions: [
          { sourceActivityIds: ['booking'], targetActivityIds: ['confirm'] },
          { sourceActivityIds: ['bookHotelBoundary'], targetActivityIds: ['bookHotelBoundary'] },
        ],
      }).expect(200);
      expect(JSON.stringify(refused.body)).toContain(
        "The closest mapped ancestor 'booking' is mapped to scope 'confirm' which is not an ancestor of target scope 'bookHotelBoundary'",
      );
    });

    it('refuses to migrate an active compensation throw', async () => {
      const [v1, v2] = await versions('compensationEnd', 'compensationEndActive');
      const id = await startById(v1);
      await api().post(
        `/engine-rest/task/${(await get(`/task?processInstanceId=${id}`)).body[0].id}/complete`,
      );
      const root = await tree(id);
      const end = root.childActivityInstances.find((c) => c.activityId === 'end')!;
      const refused = await migrate(
        v1,
        v2,
        [
          ['end', 'end'],
          ['undoA', 'undoA'],
        ],
        [id],
      ).expect(400);
      expect(refused.body.validationReport.activityInstanceValidationReports).toContainEqual(
        expect.objectContaining({
          activityInstanceId: end.id,
          sourceScopeId: 'end',
          failures: ['The type of the source activity is not supported for activity instance migration'],
        }),
      );
    });
  });
});
