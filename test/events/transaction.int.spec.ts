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

interface HistoryDto {
  readonly activityId: string;
  readonly activityType: string;
  readonly canceled: boolean;
}

const PROCESSES = ['transactionBooking', 'transactionWaiting'];

/** The booking process with `edit` applied, as a resource that must not deploy. */
const broken = (edit: (xml: string) => string) =>
  edit(withKey(fixture('events/transaction/transactionBooking.bpmn'), 'transactionBooking', 'brokenTx'));

/** Transaction sub-processes and cancel events through the HTTP API. */
describe('transactions through the HTTP API', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const get = (path: string) => api().get(`/engine-rest${path}`).expect(200);
  const post = (path: string, body: object = {}) => api().post(`/engine-rest${path}`).send(body);
  const tree = async (instanceId: string) =>
    (await get(`/process-instance/${instanceId}/activity-instances`)).body as TreeDto;
  const history = async (instanceId: string) =>
    (await get(`/history/activity-instance?processInstanceId=${instanceId}&sortBy=occurrence&sortOrder=asc`))
      .body as HistoryDto[];
  /** Deploys the fixture's process `key` twice as `newKey` (with `change` applied to v2), returns both ids. */
  const definitionIds = async (
    key: string,
    newKey: string,
    change: (xml: string) => string = (xml) => xml,
  ) => {
    const ids: string[] = [];
    for (const [index, edit] of [(xml: string) => xml, change].entries()) {
      const xml = edit(withKey(fixture(`events/transaction/${key}.bpmn`), key, newKey));
      const deployed = await deploy(stack.app, [{ name: `${newKey}-${index}.bpmn`, content: xml }]).expect(
        200,
      );
      const definitions = Object.values(deployed.body.deployedProcessDefinitions as object) as Array<{
        id: string;
      }>;
      ids.push(definitions[0]!.id);
    }
    return ids as [string, string];
  };

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(
      stack.app,
      PROCESSES.map((key) => ({ name: `${key}.bpmn`, content: fixture(`events/transaction/${key}.bpmn`) })),
    ).expect(200);
  });
  afterAll(() => stack.close());

  describe('running a transaction', () => {
    it('shows the transaction as a scope of type transaction in the tree', async () => {
      const instance = await Scenario.start(stack.app, 'transactionWaiting');
      const root = await tree(instance.id);
      const [tx] = root.childActivityInstances;
      expect([tx!.activityId, tx!.activityType, tx!.parentActivityInstanceId]).toEqual([
        'tx',
        'transaction',
        instance.id,
      ]);
      expect(tx!.childActivityInstances.map((child) => child.activityId).sort()).toEqual([
        'audit',
        'confirm',
      ]);
      expect(
        (await get(`/event-subscription?processInstanceId=${instance.id}&eventType=compensate`)).body.map(
          (s: { activityId: string; activityInstanceId?: string }) => s.activityId,
        ),
      ).toEqual(['undoBook']);
    });

    it('is left through its outgoing flow when it completes, without compensating', async () => {
      const instance = await Scenario.start(stack.app, 'transactionBooking');
      expect(await instance.complete('confirm', { confirmed: { value: true } })).toHaveProperty(
        'status',
        204,
      );
      expect(await instance.tree()).toEqual(['afterSuccess']);
      const path = await history(instance.id);
      expect(path.map((entry) => entry.activityId)).not.toContain('undoBookHotel');
      expect(path.find((entry) => entry.activityId === 'tx')).toMatchObject({
        activityType: 'transaction',
        canceled: false,
      });
      // The completed transaction keeps what it would compensate in its snapshot, as in Camunda.
      expect(
        (await get(`/event-subscription?processInstanceId=${instance.id}&eventType=compensate`)).body
          .map((s: { activityId: string }) => s.activityId)
          .sort(),
      ).toEqual(['tx', 'undoBookFlight', 'undoBookHotel']);
      await instance.complete('afterSuccess');
      expect(await instance.tree()).toBeNull();
    });

    it('compensates newest first on a cancel end event, then leaves through the cancel boundary event', async () => {
      const instance = await Scenario.start(stack.app, 'transactionBooking');
      expect(await instance.complete('confirm', { confirmed: { value: false } })).toHaveProperty(
        'status',
        204,
      );
      expect(await instance.tree()).toEqual(['afterCancellation']);
      const path = await history(instance.id);
      expect(path.map((entry) => entry.activityId)).toEqual([
        'start',
        'tx',
        'txStart',
        'bookHotel',
        'bookFlight',
        'confirm',
        'decide',
        'cancelEnd',
        'undoBookFlight',
        'undoBookHotel',
        'catchCancel',
        'afterCancellation',
      ]);
      const typeOf = (id: string) => path.find((entry) => entry.activityId === id);
      expect(typeOf('tx')).toMatchObject({ activityType: 'transaction', canceled: true });
      expect(typeOf('cancelEnd')).toMatchObject({ activityType: 'cancelEndEvent' });
      expect(typeOf('catchCancel')).toMatchObject({ activityType: 'cancelBoundaryCatch', canceled: false });
      expect((await get(`/event-subscription?processInstanceId=${instance.id}`)).body).toEqual([]);
      await instance.complete('afterCancellation');
      expect(await instance.tree()).toBeNull();
    });

    it('cancels the other activities and waits in the cancel end event beside a waiting handler', async () => {
      const instance = await Scenario.start(stack.app, 'transactionWaiting');
      await instance.complete('confirm');
      const root = await tree(instance.id);
      const [tx] = root.childActivityInstances;
      expect(tx!.activityType).toBe('transaction');
      expect(tx!.childActivityInstances.map((child) => [child.activityId, child.activityType])).toEqual([
        ['cancelEnd', 'cancelEndEvent'],
        ['undoBook', 'userTask'],
      ]);
      expect((await history(instance.id)).find((entry) => entry.activityId === 'audit')).toMatchObject({
        canceled: true,
      });
      await instance.complete('undoBook');
      expect(await instance.tree()).toEqual(['afterCancellation']);
    });
  });

  describe('deployment', () => {
    const refused = async (edit: (xml: string) => string) => {
      const response = await deploy(stack.app, [{ name: 'brokenTx.bpmn', content: broken(edit) }]).expect(
        400,
      );
      expect(response.body).toMatchObject({ type: 'ParseException', code: 0 });
      return (
        response.body.details['brokenTx.bpmn'].errors as Array<{ message: string; mainBpmnElementId: string }>
      ).map((error) => [error.mainBpmnElementId, error.message]);
    };

    it('refuses a cancel end event outside a transaction', async () => {
      const errors = await refused((xml) =>
        xml
          .replace('<transaction id="tx">', '<subProcess id="tx">')
          .replace('</transaction>', '</subProcess>'),
      );
      expect(errors).toEqual([
        ['cancelEnd', 'end event with cancelEventDefinition only supported inside transaction subprocess'],
        [
          'catchCancel',
          'boundary event with cancelEventDefinition only supported on transaction subprocesses',
        ],
      ]);
    });

    it('refuses a second cancel boundary event on a transaction', async () => {
      const errors = await refused((xml) =>
        xml.replace(
          '<userTask id="afterSuccess" />',
          '<userTask id="afterSuccess" /><boundaryEvent id="catchCancel2" attachedToRef="tx"><cancelEventDefinition /></boundaryEvent>',
        ),
      );
      expect(errors).toEqual([
        [
          'catchCancel2',
          'multiple boundary events with cancelEventDefinition not supported on same transaction subprocess',
        ],
      ]);
    });
  });

  describe('modification', () => {
    it('starts an activity inside a running transaction', async () => {
      const instance = await Scenario.start(stack.app, 'transactionWaiting');
      await instance.complete('audit');
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'startBeforeActivity', activityId: 'audit' }],
      }).expect(204);
      expect(await instance.tree()).toEqual(['tx/audit', 'tx/confirm']);
    });

    it('starts before a cancel end event in a new transaction, which leaves at once', async () => {
      const instance = await Scenario.start(stack.app, 'transactionBooking');
      await instance.complete('confirm', { confirmed: { value: true } });
      await post(`/process-instance/${instance.id}/modification`, {
        instructions: [{ type: 'startBeforeActivity', activityId: 'cancelEnd' }],
      }).expect(204);
      expect(await instance.tree()).toEqual(['afterCancellation', 'afterSuccess']);
      // The completed transaction is not compensated.
      expect((await history(instance.id)).map((entry) => entry.activityId)).not.toContain('undoBookHotel');
    });
  });

  describe('migration', () => {
    it('migrates instances waiting inside a transaction, keeping ids; the cancellation then runs on v2', async () => {
      const [v1, v2] = await definitionIds('transactionWaiting', 'transactionMigrated');
      const generated = await post('/migration/generate', {
        sourceProcessDefinitionId: v1,
        targetProcessDefinitionId: v2,
      }).expect(200);
      const mapped = (generated.body.instructions as Array<{ sourceActivityIds: string[] }>)
        .map((instruction) => instruction.sourceActivityIds[0])
        .sort();
      // A cancel boundary event and a cancel end event are not migratable instances (Camunda's list).
      expect(mapped).toEqual(['afterCancellation', 'audit', 'bookBoundary', 'confirm', 'fork', 'tx']);
      const instances = [
        await Scenario.startDefinition(stack.app, v1),
        await Scenario.startDefinition(stack.app, v1),
      ];
      const before = await tree(instances[0]!.id);
      await post('/migration/execute', {
        migrationPlan: generated.body,
        processInstanceIds: instances.map((instance) => instance.id),
      }).expect(204);
      const after = await tree(instances[0]!.id);
      expect(after.processDefinitionId).toBe(v2);
      expect(after.childActivityInstances[0]!.id).toBe(before.childActivityInstances[0]!.id);
      expect(after.childActivityInstances[0]!.activityType).toBe('transaction');
      for (const instance of instances) {
        await instance.complete('confirm');
        expect(await instance.tree()).toEqual(['tx/cancelEnd', 'tx/undoBook']);
        await instance.complete('undoBook');
        expect(await instance.tree()).toEqual(['afterCancellation']);
      }
    });

    it('migrates a transaction to an embedded sub-process, which shares its behaviour', async () => {
      const [v1, v2] = await definitionIds('transactionWaiting', 'transactionToSubProcess', (xml) =>
        xml
          .replace('<transaction id="tx">', '<subProcess id="tx">')
          .replace('</transaction>', '</subProcess>')
          .replace(
            '<endEvent id="cancelEnd"><cancelEventDefinition /></endEvent>',
            '<endEvent id="cancelEnd" />',
          )
          .replace(/<boundaryEvent id="catchCancel".*<\/boundaryEvent>/, '')
          .replace(/<sequenceFlow id="f2" [^>]*>/, ''),
      );
      const instance = await Scenario.startDefinition(stack.app, v1);
      const before = await tree(instance.id);
      await post('/migration/execute', {
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: ['tx', 'audit', 'confirm', 'bookBoundary'].map((id) => ({
            sourceActivityIds: [id],
            targetActivityIds: [id],
          })),
        },
        processInstanceIds: [instance.id],
      }).expect(204);
      const after = await tree(instance.id);
      expect([after.childActivityInstances[0]!.id, after.childActivityInstances[0]!.activityType]).toEqual([
        before.childActivityInstances[0]!.id,
        'subProcess',
      ]);
      await instance.complete('confirm');
      await instance.complete('audit');
      expect(await instance.tree()).toBeNull();
    });

    it('refuses to migrate a cancel end event waiting for its compensation', async () => {
      const [v1, v2] = await definitionIds('transactionWaiting', 'transactionCancelling');
      const instance = await Scenario.startDefinition(stack.app, v1);
      await instance.complete('confirm');
      const cancelEnd = (await tree(instance.id)).childActivityInstances[0]!.childActivityInstances.find(
        (child) => child.activityId === 'cancelEnd',
      )!;
      const refused = await post('/migration/execute', {
        migrationPlan: {
          sourceProcessDefinitionId: v1,
          targetProcessDefinitionId: v2,
          instructions: ['tx', 'cancelEnd', 'undoBook'].map((id) => ({
            sourceActivityIds: [id],
            targetActivityIds: [id],
          })),
        },
        processInstanceIds: [instance.id],
      }).expect(400);
      expect(refused.body.validationReport.activityInstanceValidationReports).toContainEqual(
        expect.objectContaining({
          activityInstanceId: cancelEnd.id,
          sourceScopeId: 'cancelEnd',
          failures: ['The type of the source activity is not supported for activity instance migration'],
        }),
      );
    });
  });
});
