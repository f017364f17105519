import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  enterNode,
  InstanceSession,
  leaveNode,
  NotValidException,
  ProcessEngineException,
  setSuspension,
  SuspendedEntityInteractionException,
  takeFlow,
  variablesOf,
} from '..';
import { deepFreeze, instanceOf, modelFrom, outline, Scenario } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');

describe('starting tokens for modification', () => {
  let nested: ProcessModel;
  let parallel: ProcessModel;
  let userTask: ProcessModel;
  beforeAll(async () => {
    nested = await modelFrom(bpmnFixture('nested-sub-processes.bpmn'));
    parallel = await modelFrom(bpmnFixture('parallel-gateway.bpmn'));
    userTask = await modelFrom(bpmnFixture('user-task.bpmn'));
  });
  const enter = (scenario: Scenario, nodeId: string, ancestorActivityInstanceId?: string) =>
    scenario.step((m, s, ctx) => enterNode(m, s, { nodeId, ancestorActivityInstanceId }, ctx));

  it('starts before an activity in the only instance of its scope', () => {
    const scenario = enter(new Scenario(nested).start(), 'work');
    const inner = instanceOf(scenario.state, 'inner');

    expect(scenario.outline).toBe('nested:1:d1(outer(inner(work, work)))');
    expect(
      scenario.state.tasks.every((task) =>
        scenario.state.activityInstances.some(
          (i) => i.id === task.activityInstanceId && i.parentId === inner.id,
        ),
      ),
    ).toBe(true);
  });

  it('instantiates every scope between a given ancestor and the activity', () => {
    const scenario = new Scenario(nested).start();
    enter(scenario, 'work', instanceOf(scenario.state, 'outer').id);
    expect(scenario.outline).toBe('nested:1:d1(outer(inner(work), inner(work)))');

    enter(scenario, 'work', scenario.state.id);
    expect(scenario.outline).toBe('nested:1:d1(outer(inner(work)), outer(inner(work), inner(work)))');
    expect(scenario.effects.filter((e) => e.type === 'activityStarted').map((e) => e.activityId)).toEqual([
      'outer',
      'inner',
      'work',
    ]);
  });

  it('refuses an ambiguous ancestor, an unrelated ancestor and an unknown element', () => {
    const scenario = new Scenario(nested).start();
    enter(scenario, 'work', instanceOf(scenario.state, 'outer').id);
    const work = scenario.state.activityInstances.find((i) => i.activityId === 'work')!.id;

    expect(() => enter(scenario, 'work')).toThrow(
      new ProcessEngineException('Ancestor activity execution is ambiguous for activity Activity(inner)'),
    );
    expect(() => enter(scenario, 'work', work)).toThrow(
      new NotValidException(
        `Scope execution for '${work}' cannot be found in parent hierarchy of flow element 'work'`,
      ),
    );
    expect(() => enter(scenario, 'work', 'gone:1')).toThrow(
      new NotValidException("Ancestor activity instance 'gone:1' does not exist: ancestorInstance is null"),
    );
    expect(() => enter(scenario, 'nowhere')).toThrow(
      new NotValidException("Element 'nowhere' does not exist in process 'nested:1:d1': element is null"),
    );
  });

  it('sets start variables in the scope and local variables on the new activity instance', () => {
    const scenario = new Scenario(userTask).start({ initiator: 'anna' });

    scenario.step((m, s, ctx) =>
      enterNode(
        m,
        s,
        {
          nodeId: 'approve',
          variables: variablesOf({ round: 2 }),
          localVariables: variablesOf({ initiator: 'bob' }),
        },
        ctx,
      ),
    );

    const newest = scenario.state.tasks.at(-1)!;
    expect(newest.assignee).toBe('bob');
    expect(
      scenario.state.variables.filter((v) => v.scopeId === scenario.state.id).map((v) => v.name),
    ).toEqual(['initiator', 'round']);
    expect(scenario.state.variables.find((v) => v.scopeId === newest.activityInstanceId)?.name).toBe(
      'initiator',
    );
  });

  it('starts after an activity on its single outgoing flow, and refuses ambiguous or missing flows', () => {
    const scenario = new Scenario(parallel).start();

    scenario.step((m, s, ctx) => leaveNode(m, s, { nodeId: 'taskA' }, ctx));
    expect(scenario.outline).toBe('fork:1:d1(join, taskA, taskB)');

    expect(() => scenario.step((m, s, ctx) => leaveNode(m, s, { nodeId: 'split' }, ctx))).toThrow(
      new ProcessEngineException(
        'Cannot start after activity split; activity has more than one outgoing sequence flow',
      ),
    );
    expect(() => scenario.step((m, s, ctx) => leaveNode(m, s, { nodeId: 'end' }, ctx))).toThrow(
      new ProcessEngineException(
        'Cannot start after activity end; activity has no outgoing sequence flow to take',
      ),
    );
  });

  it('starts on a sequence flow and completes the join it satisfies', () => {
    const scenario = new Scenario(parallel).start().completeTask('taskA');

    scenario.step((m, s, ctx) => takeFlow(m, s, { flowId: 'fromB' }, ctx));

    expect(scenario.outline).toBe('fork:1:d1(taskB)');
    expect(() => scenario.step((m, s, ctx) => takeFlow(m, s, { flowId: 'nope' }, ctx))).toThrow(
      new NotValidException("Transition 'nope' does not exist: transition is null"),
    );
  });

  it('refuses to modify a suspended instance', () => {
    const scenario = new Scenario(parallel).start();
    scenario.step((m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx));

    expect(() => enter(scenario, 'taskA')).toThrow(SuspendedEntityInteractionException);
  });
});

describe('a modification session', () => {
  let nested: ProcessModel;
  let userTask: ProcessModel;
  beforeAll(async () => {
    nested = await modelFrom(bpmnFixture('nested-sub-processes.bpmn'));
    userTask = await modelFrom(bpmnFixture('user-task.bpmn'));
  });

  it('keeps the instance alive between cancelling the last activity and starting another', () => {
    const started = new Scenario(nested).start();
    const input = deepFreeze(started.state);
    const oldWork = instanceOf(input, 'work').id;

    const session = new InstanceSession(nested, input, started.ctx, { preserveRoot: true });
    session.cancelActivityInstance(oldWork);
    expect(session.draft.root?.id).toBe(input.id);
    session.startBefore('work');
    const { state } = session.finish();

    expect(outline(nested, state)).toBe('nested:1:d1(outer(inner(work)))');
    expect(instanceOf(state, 'work').id).not.toBe(oldWork);
    expect(state.state).toBe('ACTIVE');
  });

  it('cancels an instance left empty by cancellation when the session ends', () => {
    const started = new Scenario(nested).start();
    const session = new InstanceSession(nested, started.state, started.ctx, { preserveRoot: true });

    session.cancelAllForActivity('work');

    expect(session.finish().state.state).toBe('EXTERNALLY_TERMINATED');
  });

  it('completes an instance that reached its end during the session', () => {
    const started = new Scenario(userTask).start({ initiator: 'anna' });
    const session = new InstanceSession(userTask, started.state, started.ctx, { preserveRoot: true });

    session.cancelAllForActivity('approve');
    session.startTransition('toEnd');
    const { state, effects } = session.finish();

    expect(state.state).toBe('COMPLETED');
    expect(effects.at(-1)).toMatchObject({ type: 'processEnded', state: 'COMPLETED' });
  });
});
