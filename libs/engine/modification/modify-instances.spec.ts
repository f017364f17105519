import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  cancelInstance,
  modifyInstances,
  NotValidException,
  startInstance,
  type BatchModificationInstruction,
  type ModificationOutcome,
  type ProcessInstanceState,
} from '../index';
import { deepFreeze, modelFrom, outline, TestContext } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');

describe('modifying many instances of a definition', () => {
  let fork: ProcessModel;
  beforeAll(async () => {
    fork = await modelFrom(bpmnFixture('parallel-gateway.bpmn'));
  });
  const ctx = new TestContext();
  const definitionId = 'fork:1:d1';
  const instance = (id: string, onDefinition = definitionId): ProcessInstanceState =>
    deepFreeze(startInstance(fork, { definitionId: onDefinition, processInstanceId: id }, ctx).state);
  const run = (states: ProcessInstanceState[], instructions: BatchModificationInstruction[]) =>
    modifyInstances(fork, states, { processDefinitionId: definitionId, instructions }, ctx);
  const outlineOf = (outcome: ModificationOutcome | undefined) =>
    outcome?.ok === true ? outline(fork, outcome.result.state) : outcome?.error.message;

  it('runs the instructions on every instance', () => {
    const outcomes = run(
      [instance('p-1'), instance('p-2')],
      [
        { type: 'cancel', activityId: 'taskB' },
        { type: 'startAfterActivity', activityId: 'taskB' },
      ],
    );

    expect(outcomes.map((o) => [o.processInstanceId, outlineOf(o)])).toEqual([
      ['p-1', 'fork:1:d1(join, taskA)'],
      ['p-2', 'fork:1:d1(join, taskA)'],
    ]);
  });

  it('refuses instances of another definition and ended instances, per instance', () => {
    const ended = cancelInstance(fork, instance('p-4'), {}, ctx).state;

    const outcomes = run(
      [instance('p-3', 'fork:2:d2'), ended, instance('p-5')],
      [{ type: 'startBeforeActivity', activityId: 'taskA' }],
    );

    expect(outcomes.map(outlineOf)).toEqual([
      "ENGINE-13037 Process instance 'p-3' cannot be modified. Its process definition 'fork:2:d2' does not match given process definition 'fork:1:d1'",
      "ENGINE-13036 Process instance 'p-4' cannot be modified. The process instance does not exist",
      'fork:1:d1(taskA, taskA, taskB)',
    ]);
  });

  it('with cancelCurrentActiveActivityInstances, cancels only what existed before the first instruction', () => {
    const start: BatchModificationInstruction = { type: 'startBeforeActivity', activityId: 'taskA' };

    const before = instance('p-6');
    const original = before.activityInstances.find((i) => i.activityId === 'taskA')?.id;

    const [current] = run(
      [before],
      [start, { type: 'cancel', activityId: 'taskA', cancelCurrentActiveActivityInstances: true }],
    );
    const [all] = run([instance('p-7')], [start, { type: 'cancel', activityId: 'taskA' }]);

    expect(outlineOf(current)).toBe('fork:1:d1(taskA, taskB)');
    expect(outlineOf(all)).toBe('fork:1:d1(taskB)');
    if (current?.ok !== true) throw new Error('expected success');
    const survivor = current.result.state.activityInstances.find((i) => i.activityId === 'taskA');
    expect(survivor?.id).toBeDefined();
    expect(survivor?.id).not.toBe(original);
  });

  it('reports instruction errors as failed outcomes', () => {
    const [outcome] = run([instance('p-9')], [{ type: 'startTransition', transitionId: 'nope' }]);

    expect(outcome?.ok).toBe(false);
    expect(outcome?.ok === false && outcome.error).toBeInstanceOf(NotValidException);
    expect(outlineOf(outcome)).toBe(
      "Cannot perform instruction: Start transition 'nope'; Element 'nope' does not exist in process 'fork:1:d1': element is null",
    );
  });
});
