import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  cancelInstance,
  fromRestTriggerVariables,
  modifyInstance,
  NotValidException,
  ProcessEngineException,
  setSuspension,
  setVariables,
  SuspendedEntityInteractionException,
  typedValueOf,
  variablesOf,
  type ModificationInstruction,
} from '../index';
import { deepFreeze, instanceOf, modelFrom, Scenario, taskOf } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const migrationFixture = (name: string) =>
  readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');
const modify = (scenario: Scenario, ...instructions: ModificationInstruction[]) =>
  scenario.step((model, state, ctx) => modifyInstance(model, state, { instructions }, ctx));
const thrownBy = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};
const idsOf = (scenario: Scenario, activityId: string) =>
  scenario.state.activityInstances.filter((i) => i.activityId === activityId).map((i) => i.id);

describe('modifying a process instance', () => {
  let nested: ProcessModel;
  let fork: ProcessModel;
  let approval: ProcessModel;
  let review: ProcessModel;
  let deadline: ProcessModel;
  beforeAll(async () => {
    nested = await modelFrom(bpmnFixture('nested-sub-processes.bpmn'));
    fork = await modelFrom(bpmnFixture('parallel-gateway.bpmn'));
    approval = await modelFrom(migrationFixture('approval-v1.bpmn'));
    review = await modelFrom(migrationFixture('review-v1.bpmn'));
    deadline = await modelFrom(migrationFixture('deadline-v1.bpmn'));
  });

  it('starts before an activity, after an activity and on a transition', () => {
    const scenario = new Scenario(fork).start();

    modify(
      scenario,
      { type: 'startBeforeActivity', activityId: 'taskA' },
      { type: 'startAfterActivity', activityId: 'taskB' },
      { type: 'startTransition', transitionId: 'toB' },
    );

    expect(scenario.outline).toBe('fork:1:d1(join, taskA, taskA, taskB, taskB)');
  });

  it('cancels by activity instance id and by activity id, and ignores unknown activity ids', () => {
    const scenario = new Scenario(fork).start();
    const [taskA] = idsOf(scenario, 'taskA');

    modify(
      scenario,
      { type: 'cancel', activityInstanceId: taskA! },
      { type: 'cancel', activityId: 'nowhere' },
    );
    expect(scenario.outline).toBe('fork:1:d1(taskB)');
    modify(
      scenario,
      { type: 'startBeforeActivity', activityId: 'taskB' },
      { type: 'cancel', activityId: 'taskB' },
    );
    expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
  });

  it('chooses the ancestor among two sub-process instances', () => {
    const scenario = new Scenario(nested).start();
    const outer = idsOf(scenario, 'outer')[0];
    modify(scenario, { type: 'startBeforeActivity', activityId: 'work', ancestorActivityInstanceId: outer });
    const [first, second] = idsOf(scenario, 'inner');

    modify(scenario, { type: 'startBeforeActivity', activityId: 'work', ancestorActivityInstanceId: second });

    expect(scenario.outline).toBe('nested:1:d1(outer(inner(work), inner(work, work)))');
    const childrenOf = (id: string | undefined) =>
      scenario.state.activityInstances.filter((i) => i.parentId === id);
    expect([childrenOf(first).length, childrenOf(second).length]).toEqual([1, 2]);
    expect(() => modify(scenario, { type: 'startBeforeActivity', activityId: 'work' })).toThrow(
      new ProcessEngineException('Ancestor activity execution is ambiguous for activity Activity(inner)'),
    );
  });

  it('prefixes not-valid errors with the failing instruction', () => {
    const scenario = new Scenario(nested).start();
    const work = idsOf(scenario, 'work')[0]!;
    const cases: Array<[ModificationInstruction, string]> = [
      [
        { type: 'startBeforeActivity', activityId: 'nowhere' },
        "Cannot perform instruction: Start before activity 'nowhere'; Element 'nowhere' does not exist in process 'nested:1:d1': element is null",
      ],
      [
        { type: 'startAfterActivity', activityId: 'nowhere' },
        "Cannot perform instruction: Start after activity 'nowhere'; Activity 'nowhere' does not exist: activity is null",
      ],
      [
        { type: 'startTransition', transitionId: 'nope' },
        "Cannot perform instruction: Start transition 'nope'; Element 'nope' does not exist in process 'nested:1:d1': element is null",
      ],
      [
        { type: 'startBeforeActivity', activityId: 'work', ancestorActivityInstanceId: 'gone:1' },
        "Cannot perform instruction: Start before activity 'work' with ancestor activity instance 'gone:1'; Ancestor activity instance 'gone:1' does not exist: ancestorInstance is null",
      ],
      [
        { type: 'startBeforeActivity', activityId: 'work', ancestorActivityInstanceId: work },
        `Cannot perform instruction: Start before activity 'work' with ancestor activity instance '${work}'; Scope execution for '${work}' cannot be found in parent hierarchy of flow element 'work'`,
      ],
      [
        { type: 'cancel', activityInstanceId: 'gone:2' },
        "Cannot perform instruction: Cancel activity instance 'gone:2'; Activity instance 'gone:2' does not exist: activityInstance is null",
      ],
      [
        { type: 'cancel', transitionInstanceId: 't-1' },
        "Cannot perform instruction: Cancel transition instance 't-1'; Transition instance 't-1' does not exist: transitionInstance is null",
      ],
    ];

    for (const [instruction, message] of cases) {
      const error = thrownBy(() => modify(scenario, instruction));
      expect(error).toBeInstanceOf(NotValidException);
      expect((error as Error).message).toBe(message);
    }
  });

  it('refuses to start after an activity without exactly one outgoing flow', () => {
    const scenario = new Scenario(fork).start();

    expect(() => modify(scenario, { type: 'startAfterActivity', activityId: 'split' })).toThrow(
      new ProcessEngineException(
        'Cannot start after activity split; activity has more than one outgoing sequence flow',
      ),
    );
    expect(() => modify(scenario, { type: 'startAfterActivity', activityId: 'end' })).toThrow(
      new ProcessEngineException(
        'Cannot start after activity end; activity has no outgoing sequence flow to take',
      ),
    );
  });

  it('sets global variables with propagation and local ones on the started activity instance', () => {
    const scenario = new Scenario(approval).start({ initiator: 'anna' });

    modify(scenario, {
      type: 'startBeforeActivity',
      activityId: 'approve',
      variables: {
        round: { value: typedValueOf(2) },
        initiator: { value: typedValueOf('bob'), local: true },
      },
    });

    const newest = scenario.state.tasks.at(-1)!;
    expect(newest.assignee).toBe('bob');
    const scopeOf = (name: string) =>
      scenario.state.variables.filter((v) => v.name === name).map((v) => v.scopeId);
    expect(scopeOf('round')).toEqual([scenario.state.id]);
    expect(scopeOf('initiator')).toEqual([scenario.state.id, newest.activityInstanceId]);
  });

  it('reads instruction variables in the REST shape', () => {
    expect(
      fromRestTriggerVariables({ a: { type: 'Integer', value: 3, local: true }, b: { value: 'x' } }),
    ).toEqual({
      a: { value: { type: 'Integer', value: 3 }, local: true },
      b: { value: { type: 'String', value: 'x' }, local: false },
    });
  });

  it('cancels the instance when its last activity is cancelled, but not if a later instruction starts another', () => {
    const cancelled = new Scenario(approval).start({ initiator: 'anna' });
    const approve = idsOf(cancelled, 'approve')[0]!;
    modify(cancelled, { type: 'cancel', activityInstanceId: approve });
    expect(cancelled.state.state).toBe('EXTERNALLY_TERMINATED');
    expect(cancelled.effects.at(-1)).toMatchObject({ type: 'processEnded', state: 'EXTERNALLY_TERMINATED' });

    const restarted = new Scenario(approval).start({ initiator: 'anna' });
    const original = idsOf(restarted, 'approve');
    modify(
      restarted,
      { type: 'cancel', activityId: 'approve' },
      { type: 'startBeforeActivity', activityId: 'approve' },
    );
    expect(restarted.state.state).toBe('ACTIVE');
    expect(idsOf(restarted, 'approve')).toHaveLength(1);
    expect(idsOf(restarted, 'approve')).not.toEqual(original);
  });

  it('recreates the sub-process for cancel-then-start but keeps it for start-then-cancel', () => {
    const withNote = () => {
      const scenario = new Scenario(review).start();
      const scopeId = instanceOf(scenario.state, 'reviewing').id;
      return scenario.step((m, s, ctx) =>
        setVariables(m, s, { variables: variablesOf({ note: 'keep' }), scopeId, local: true }, ctx),
      );
    };
    const cancelFirst = withNote();
    const startFirst = withNote();
    const reviewing = instanceOf(cancelFirst.state, 'reviewing').id;
    const check = instanceOf(cancelFirst.state, 'check').id;

    modify(
      cancelFirst,
      { type: 'cancel', activityInstanceId: check },
      { type: 'startBeforeActivity', activityId: 'check' },
    );
    modify(
      startFirst,
      { type: 'startBeforeActivity', activityId: 'check' },
      { type: 'cancel', activityInstanceId: check },
    );

    expect(cancelFirst.outline).toBe('review:1:d1(reviewing(check))');
    expect(instanceOf(cancelFirst.state, 'reviewing').id).not.toBe(reviewing);
    expect(cancelFirst.state.variables.some((v) => v.name === 'note')).toBe(false);
    expect(startFirst.outline).toBe('review:1:d1(reviewing(check))');
    expect(instanceOf(startFirst.state, 'reviewing').id).toBe(reviewing);
    expect(startFirst.state.variables.find((v) => v.name === 'note')?.scopeId).toBe(reviewing);
  });

  it('interrupts the host when starting before an interrupting boundary event', () => {
    const scenario = new Scenario(deadline).start();
    const work = taskOf(scenario.state, 'work');

    modify(scenario, { type: 'startBeforeActivity', activityId: 'timeout' });

    expect(scenario.outline).toBe('deadline:1:d1(escalate)');
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({ type: 'taskEnded', taskId: work.id, reason: 'deleted' }),
    );
    expect(scenario.waiting.jobs).toEqual([]);
  });

  it('changes nothing for no instructions, and never its input, even when an instruction fails', () => {
    const scenario = new Scenario(fork).start();
    const input = deepFreeze(scenario.state);
    const snapshot = structuredClone(input);

    expect(modifyInstance(fork, input, { instructions: [] }, scenario.ctx)).toEqual({
      state: input,
      effects: [],
    });
    expect(() =>
      modifyInstance(
        fork,
        input,
        {
          instructions: [
            { type: 'cancel', activityId: 'taskA' },
            { type: 'startBeforeActivity', activityId: 'x' },
          ],
        },
        scenario.ctx,
      ),
    ).toThrow(NotValidException);
    expect(input).toEqual(snapshot);
  });

  it('refuses suspended and ended instances', () => {
    const scenario = new Scenario(fork).start();
    const instruction: ModificationInstruction = { type: 'startBeforeActivity', activityId: 'taskA' };
    const suspended = setSuspension(fork, scenario.state, { suspended: true }, scenario.ctx).state;
    const ended = cancelInstance(fork, scenario.state, {}, scenario.ctx).state;

    expect(() => modifyInstance(fork, suspended, { instructions: [instruction] }, scenario.ctx)).toThrow(
      SuspendedEntityInteractionException,
    );
    expect(() => modifyInstance(fork, ended, { instructions: [instruction] }, scenario.ctx)).toThrow(
      new ProcessEngineException(
        `ENGINE-13036 Process instance '${ended.id}' cannot be modified. The process instance does not exist`,
      ),
    );
  });
});
