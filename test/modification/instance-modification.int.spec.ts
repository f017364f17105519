import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { waitingIn } from '../support/instances';
import { completeTaskIn, historicInstance, historyPath } from '../support/migration';
import { startTestStack, type TestStack } from '../support/test-stack';

interface Tree {
  id: string;
  activityId: string;
  childActivityInstances: Tree[];
}

/** `POST /process-instance/{id}/modification`: every instruction kind, ordering, ancestors, errors. */
describe('POST /process-instance/{id}/modification', () => {
  let stack: TestStack;
  const api = () => request(stack.app);
  const KEY = 'repairSingle';
  const start = async () =>
    (await api().post(`/engine-rest/process-definition/key/${KEY}/start`).send({}).expect(200)).body
      .id as string;
  const modify = (id: string, body: object) =>
    api().post(`/engine-rest/process-instance/${id}/modification`).send(body);
  const tree = async (id: string) =>
    (await api().get(`/engine-rest/process-instance/${id}/activity-instances`).expect(200)).body as Tree;
  const all = (node: Tree, activityId: string): Tree[] => [
    ...(node.activityId === activityId ? [node] : []),
    ...node.childActivityInstances.flatMap((child) => all(child, activityId)),
  ];

  beforeAll(async () => {
    stack = await startTestStack();
    await deploy(stack.app, [
      { name: 'repair.bpmn', content: withKey(fixture('repair.bpmn'), 'repair', KEY) },
    ]).expect(200);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('starts before an activity with global and local variables', async () => {
    const id = await start();
    await modify(id, {
      instructions: [
        {
          type: 'startBeforeActivity',
          activityId: 'archive',
          variables: {
            shared: { value: 'everyone', type: 'String', local: false },
            mine: { value: 7, type: 'Integer', local: true },
          },
        },
      ],
      annotation: 'add archive',
    }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['archive', 'inner', 'review']);
    const visible = (await api().get(`/engine-rest/process-instance/${id}/variables`).expect(200)).body;
    expect(visible).toEqual({ shared: expect.objectContaining({ value: 'everyone' }) });
    const archive = all(await tree(id), 'archive')[0]!;
    const state = (await stack.services.runtime.load(id))!;
    expect(state.variables).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'mine', scopeId: archive.id })]),
    );
    const log = await api().get(`/engine-rest/history/user-operation?processInstanceId=${id}`).expect(200);
    expect(log.body).toEqual([
      expect.objectContaining({
        operationType: 'ModifyProcessInstance',
        entityType: 'ProcessInstance',
        processInstanceId: id,
        annotation: 'add archive',
        property: null,
      }),
    ]);
  });

  it('starts after an activity, on a transition, and refuses an activity with two outgoing flows', async () => {
    const id = await start();
    await modify(id, { instructions: [{ type: 'startAfterActivity', activityId: 'review' }] }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['inner', 'join', 'review']);
    await modify(id, { instructions: [{ type: 'startTransition', transitionId: 'toArchive' }] }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['archive', 'inner', 'join', 'review']);
    const forked = await modify(id, {
      instructions: [{ type: 'startAfterActivity', activityId: 'fork' }],
    }).expect(400);
    expect(forked.body).toEqual({
      type: 'ProcessEngineException',
      message: expect.stringContaining('activity has more than one outgoing sequence flow'),
      code: 0,
    });
  });

  it('cancels by activity instance and by activity, and the instance ends with its last activity', async () => {
    const id = await start();
    const review = all(await tree(id), 'review')[0]!;
    await modify(id, { instructions: [{ type: 'cancel', activityInstanceId: review.id }] }).expect(204);
    expect(await waitingIn(stack.app, id)).toEqual(['inner']);
    await modify(id, { instructions: [{ type: 'cancel', activityId: 'inner' }] }).expect(204);
    expect(await waitingIn(stack.app, id)).toBeNull();
    expect(await historicInstance(stack.app, id)).toMatchObject({ state: 'EXTERNALLY_TERMINATED' });
  });

  it('picks the ancestor among two sub-process instances, and refuses the ambiguous start', async () => {
    const id = await start();
    await modify(id, { instructions: [{ type: 'startBeforeActivity', activityId: 'work' }] }).expect(204);
    const works = all(await tree(id), 'work');
    expect(works).toHaveLength(2);
    const ambiguous = await modify(id, {
      instructions: [{ type: 'startBeforeActivity', activityId: 'inner' }],
    }).expect(400);
    expect(ambiguous.body.message).toContain('Ancestor activity execution is ambiguous for activity');
    await modify(id, {
      instructions: [
        { type: 'startBeforeActivity', activityId: 'inner', ancestorActivityInstanceId: works[1]!.id },
      ],
    }).expect(204);
    const after = await tree(id);
    expect(all(after, 'work').map((w) => all(w, 'inner').length)).toEqual(
      works.map((w) => (w.id === works[1]!.id ? 2 : 1)),
    );
  });

  it('cancel-then-start re-creates the sub-process instance; start-then-cancel keeps it', async () => {
    const id = await start();
    const [work] = all(await tree(id), 'work');
    const [inner] = all(work!, 'inner');
    await modify(id, {
      instructions: [
        { type: 'cancel', activityInstanceId: inner!.id },
        { type: 'startBeforeActivity', activityId: 'inner' },
      ],
    }).expect(204);
    const [recreated] = all(await tree(id), 'work');
    expect(recreated!.id).not.toBe(work!.id);

    const [innerNow] = all(recreated!, 'inner');
    await modify(id, {
      instructions: [
        { type: 'startBeforeActivity', activityId: 'inner', ancestorActivityInstanceId: recreated!.id },
        { type: 'cancel', activityInstanceId: innerNow!.id },
      ],
    }).expect(204);
    const [kept] = all(await tree(id), 'work');
    expect(kept!.id).toBe(recreated!.id);
    expect(all(kept!, 'inner')).toHaveLength(1);

    // The instance still runs to its end.
    await completeTaskIn(stack, id, 'inner');
    await completeTaskIn(stack, id, 'review');
    await completeTaskIn(stack, id, 'archive');
    expect((await historyPath(stack.app, id)).slice(-3)).toEqual(['join', 'archive', 'end']);
  });

  it('answers bad requests with Camunda’s errors and changes nothing', async () => {
    const id = await start();
    const missing = await modify(id, { instructions: [{ type: 'startBeforeActivity' }] }).expect(400);
    expect(missing.body).toEqual({
      type: 'InvalidRequestException',
      message: "For instruction type 'startBeforeActivity': 'activityId' must be set",
      code: null,
    });
    const twoSelectors = await modify(id, {
      instructions: [{ type: 'cancel', activityId: 'review', activityInstanceId: 'x' }],
    }).expect(400);
    expect(twoSelectors.body.message).toBe(
      "For instruction type 'cancel': exactly one, 'activityId', 'activityInstanceId', or 'transitionInstanceId', is required",
    );
    const noType = await modify(id, { instructions: [{ activityId: 'review' }] }).expect(400);
    expect(noType.body).toMatchObject({
      type: 'InvalidRequestException',
      message: expect.stringContaining('type'),
    });
    const unknown = await modify(id, {
      instructions: [
        { type: 'cancel', activityId: 'review' },
        { type: 'startBeforeActivity', activityId: 'nowhere' },
      ],
    }).expect(400);
    expect(unknown.body).toEqual({
      type: 'NotValidException',
      message: expect.stringMatching(/^Cannot perform instruction: Start before activity 'nowhere'; /),
      code: 0,
    });
    const unknownTransition = await modify(id, {
      instructions: [{ type: 'cancel', transitionInstanceId: 'none' }],
    }).expect(400);
    expect(unknownTransition.body.type).toBe('NotValidException');
    expect(await waitingIn(stack.app, id)).toEqual(['inner', 'review']);
    await modify(id, { instructions: [] }).expect(204);
    const ghost = await modify('ghost', { instructions: [{ type: 'cancel', activityId: 'review' }] }).expect(
      400,
    );
    expect(ghost.body).toEqual({
      type: 'ProcessEngineException',
      message:
        "ENGINE-13036 Process instance 'ghost' cannot be modified. The process instance does not exist",
      code: 0,
    });
    const log = await api()
      .get(`/engine-rest/history/user-operation/count?processInstanceId=${id}`)
      .expect(200);
    expect(log.body.count).toBe(0);
  });

  it('answers an instruction variable that does not fit its type with the engine’s code', async () => {
    const id = await start();
    const response = await modify(id, {
      instructions: [
        {
          type: 'startBeforeActivity',
          activityId: 'review',
          variables: { amount: { value: 'lots', type: 'Integer' } },
        },
      ],
    }).expect(400);
    expect(response.body).toEqual({
      type: 'InvalidRequestException',
      message: expect.stringContaining("Cannot convert value 'lots' of type 'Integer'"),
      code: 0,
    });
  });
});
