import request from 'supertest';
import { waitingIn } from '../support/instances';
import { historicInstance, historyPath } from '../support/migration';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

/**
 * `POST /process-definition/…/start` with `startInstructions` (Camunda's instantiation at activities):
 * the answer, the activity-instance tree, history, asynchronous targets and Camunda's errors.
 */
describe('starting a process instance at activities', () => {
  let stack: TestStack;
  let definitionId: string;
  const KEY = 'repairAt';
  const api = () => request(stack.app);
  const start = (body: object) =>
    api().post(`/engine-rest/process-definition/${definitionId}/start`).send(body);
  const startIn = async (body: object) => (await start(body).expect(200)).body as { id: string };
  const tree = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body;
  const cannotInstantiate = (reason: string) =>
    `Cannot instantiate process definition ${definitionId}: ${reason}`;

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'repair.bpmn', content: withKey(fixture('repair.bpmn'), 'repair', KEY) },
      { name: 'async.bpmn', content: fixture('async-continuations.bpmn') },
      { name: 'io.bpmn', content: fixture('input-output.bpmn') },
    ]).expect(200);
    definitionId = (await api().get(`/engine-rest/process-definition/key/${KEY}`).expect(200)).body.id;
  });
  afterAll(async () => {
    await stack.close();
  });

  it('starts inside the sub-process with process and instruction variables, and history starts there', async () => {
    const response = await start({
      businessKey: 'B-7',
      variables: { amount: { value: 100, type: 'Integer' } },
      startInstructions: [
        {
          type: 'startBeforeActivity',
          activityId: 'inner',
          variables: {
            shared: { value: 'everyone', type: 'String', local: false },
            mine: { value: 7, type: 'Integer', local: true },
          },
        },
      ],
      withVariablesInReturn: true,
    }).expect(200);

    const id = response.body.id as string;
    expect(response.body).toMatchObject({
      definitionId,
      businessKey: 'B-7',
      ended: false,
      suspended: false,
      links: [
        { method: 'GET', rel: 'self', href: expect.stringMatching(new RegExp(`/process-instance/${id}$`)) },
      ],
      variables: {
        amount: { value: 100, type: 'Integer', valueInfo: {} },
        shared: { value: 'everyone', type: 'String', valueInfo: {} },
      },
    });
    expect(await tree(id)).toMatchObject({
      activityId: definitionId,
      childActivityInstances: [{ activityId: 'work', childActivityInstances: [{ activityId: 'inner' }] }],
    });
    expect(await historyPath(stack.app, id)).toEqual(['work', 'inner']);
    expect(await historicInstance(stack.app, id)).toMatchObject({
      state: 'ACTIVE',
      businessKey: 'B-7',
      startActivityId: 'inner',
    });
  });

  it('starts the same task twice and on a transition, by key as well', async () => {
    const { id } = (
      await api()
        .post(`/engine-rest/process-definition/key/${KEY}/start`)
        .send({
          startInstructions: [
            { type: 'startBeforeActivity', activityId: 'review' },
            { type: 'startBeforeActivity', activityId: 'review' },
            { type: 'startTransition', transitionId: 'toArchive' },
          ],
        })
        .expect(200)
    ).body;

    expect(await waitingIn(stack.app, id)).toEqual(['archive', 'review', 'review']);
    expect(await historicInstance(stack.app, id)).toMatchObject({ startActivityId: 'review' });
  });

  it('starts after an activity, recording the activity its flow leads to as start activity', async () => {
    const { id } = await startIn({
      startInstructions: [{ type: 'startAfterActivity', activityId: 'inner' }],
    });

    // inner → workEnd completes the sub-process, whose token then waits in the join.
    expect(await waitingIn(stack.app, id)).toEqual(['join']);
    expect(await historicInstance(stack.app, id)).toMatchObject({ startActivityId: 'workEnd' });
  });

  it('parks an asyncBefore target as a transition instance whose job continues it', async () => {
    const asyncDefinition = (await api().get('/engine-rest/process-definition/key/asyncStart').expect(200))
      .body.id as string;
    const { id } = (
      await api()
        .post(`/engine-rest/process-definition/${asyncDefinition}/start`)
        .send({ startInstructions: [{ type: 'startBeforeActivity', activityId: 'work' }] })
        .expect(200)
    ).body;

    expect(await tree(id)).toMatchObject({
      childActivityInstances: [],
      childTransitionInstances: [{ activityId: 'work', targetActivityId: 'work' }],
    });
    const jobs = (await api().get(`/engine-rest/job?processInstanceId=${id}`).expect(200)).body;
    expect(jobs).toEqual([expect.objectContaining({ processInstanceId: id, retries: 3, dueDate: null })]);
    expect(await historicInstance(stack.app, id)).toMatchObject({ startActivityId: 'work' });
    await api().post(`/engine-rest/job/${jobs[0].id}/execute`).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['work']);
  });

  it('answers an instance that ended within its start as ended, and history completed', async () => {
    const { body } = await start({
      startInstructions: [{ type: 'startBeforeActivity', activityId: 'end' }],
    }).expect(200);

    expect(body).toMatchObject({ ended: true });
    await api().get(`/engine-rest/process-instance/${body.id}/activity-instances`).expect(404);
    expect(await historicInstance(stack.app, body.id)).toMatchObject({
      state: 'COMPLETED',
      startActivityId: 'end',
    });
  });

  it('ignores cancel instructions, as Camunda does at instantiation', async () => {
    const onlyCancel = await startIn({ startInstructions: [{ type: 'cancel', activityId: 'review' }] });
    expect(await waitingIn(stack.app, onlyCancel.id)).toEqual(['inner', 'review']);

    const mixed = await startIn({
      startInstructions: [
        { type: 'cancel', activityInstanceId: 'whatever' },
        { type: 'startBeforeActivity', activityId: 'archive' },
      ],
    });
    expect(await waitingIn(stack.app, mixed.id)).toEqual(['archive']);
  });

  it('runs the input mappings of the scopes it creates, unless skipIoMappings', async () => {
    const startSpend = async (skip: boolean) => {
      const { id } = (
        await api()
          .post('/engine-rest/process-definition/key/io/start')
          .send({
            variables: { amount: { value: 5, type: 'Integer' } },
            startInstructions: [{ type: 'startBeforeActivity', activityId: 'spend' }],
            skipIoMappings: skip,
            skipCustomListeners: skip,
          })
          .expect(200)
      ).body;
      const state = (await stack.services.runtime.load(id))!;
      return state.variables.map((variable) => `${variable.name}=${String(variable.value.value)}`).sort();
    };

    expect(await startSpend(false)).toEqual(['amount=5', 'budget=10', 'starter=null']);
    expect(await startSpend(true)).toEqual(['amount=5', 'starter=null']);
  });

  describe('errors', () => {
    const instancesOf = async () =>
      (await api().get(`/engine-rest/process-instance/count?processDefinitionId=${definitionId}`).expect(200))
        .body.count as number;

    it('answers an unknown first activity or transition with Camunda’s message, starting nothing', async () => {
      const before = await instancesOf();
      for (const instruction of [
        { type: 'startBeforeActivity', activityId: 'nowhere' },
        { type: 'startTransition', transitionId: 'nowhere' },
      ]) {
        const response = await start({ startInstructions: [instruction] }).expect(400);
        expect(response.body).toEqual({
          type: 'RestException',
          message: cannotInstantiate(
            `Element 'nowhere' does not exist in process ${definitionId}: targetElement is null`,
          ),
          code: 0,
        });
      }
      const later = await start({
        startInstructions: [
          { type: 'startBeforeActivity', activityId: 'review' },
          { type: 'startBeforeActivity', activityId: 'nowhere' },
        ],
      }).expect(400);
      expect(later.body.message).toBe(
        cannotInstantiate(
          `Cannot perform instruction: Start before activity 'nowhere'; Element 'nowhere' does not exist in process '${definitionId}': element is null`,
        ),
      );
      expect(await instancesOf()).toBe(before);
    });

    it('answers a start after an activity with two outgoing flows', async () => {
      const response = await start({
        startInstructions: [{ type: 'startAfterActivity', activityId: 'fork' }],
      }).expect(400);
      expect(response.body.message).toBe(
        cannotInstantiate(
          'Cannot start after activity fork; activity has more than one outgoing sequence flow',
        ),
      );
    });

    it('answers an instruction without its activity or transition as an invalid request', async () => {
      for (const [type, field] of [
        ['startBeforeActivity', 'activityId'],
        ['startAfterActivity', 'activityId'],
        ['startTransition', 'transitionId'],
      ]) {
        const response = await start({ startInstructions: [{ type }] }).expect(400);
        expect(response.body).toEqual({
          type: 'InvalidRequestException',
          message: cannotInstantiate(`For instruction type '${type}': '${field}' must be set`),
          code: null,
        });
      }
      const unknownType = await start({ startInstructions: [{ type: 'jump', activityId: 'review' }] }).expect(
        400,
      );
      expect(unknownType.body.type).toBe('InvalidRequestException');
    });

    it('answers instruction variables that do not convert with the prefixed message', async () => {
      const response = await start({
        startInstructions: [
          {
            type: 'startBeforeActivity',
            activityId: 'review',
            variables: { n: { value: 'x', type: 'Integer' } },
          },
        ],
      }).expect(400);
      expect(response.body.message).toMatch(/^Cannot instantiate process definition .*: /);
    });

    it('refuses skip flags without start instructions (ENGINE-13024)', async () => {
      const response = await start({ skipIoMappings: true }).expect(400);
      expect(response.body).toEqual({
        type: 'RestException',
        message: cannotInstantiate(
          'ENGINE-13024 Cannot skip custom listeners or input/output mappings when start a process instance at default start activity.',
        ),
        code: 0,
      });
    });
  });
});
