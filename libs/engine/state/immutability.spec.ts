import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cancelActivityInstance,
  cancelInstance,
  completeTask,
  correlateMessage,
  enterNode,
  fireTimer,
  setSuspension,
  setVariables,
  variablesOf,
  type EngineContext,
  type EngineResult,
  type ProcessInstanceState,
} from '..';
import { deepFreeze, instanceOf, modelFrom, Scenario } from '../testing/engine-harness';
import type { ProcessModel } from '@libs/bpmn';

const engineFixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');

type Operation = (model: ProcessModel, state: ProcessInstanceState, ctx: EngineContext) => EngineResult;

describe('operations are pure', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(engineFixture('guarded-fork.bpmn'));
  });

  const operations: ReadonlyArray<[string, Operation]> = [
    ['completeTask', (m, s, ctx) => completeTask(m, s, { taskId: s.tasks[0]!.id }, ctx)],
    [
      'fireTimer (interrupting)',
      (m, s, ctx) => fireTimer(m, s, { jobId: s.jobs.find((j) => j.activityId === 'timeout')!.id }, ctx),
    ],
    [
      'correlateMessage',
      (m, s, ctx) => correlateMessage(m, s, { messageName: 'Nudge', variables: variablesOf({ n: 1 }) }, ctx),
    ],
    [
      'setVariables',
      (m, s, ctx) => setVariables(m, s, { variables: variablesOf({ order: 8, extra: [1] }) }, ctx),
    ],
    [
      'cancelActivityInstance',
      (m, s, ctx) => cancelActivityInstance(m, s, { activityInstanceId: instanceOf(s, 'work').id }, ctx),
    ],
    ['enterNode', (m, s, ctx) => enterNode(m, s, { nodeId: 'pack' }, ctx)],
    ['cancelInstance', (m, s, ctx) => cancelInstance(m, s, {}, ctx)],
    ['setSuspension', (m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx)],
  ];

  it.each(operations)(
    '%s leaves its deep-frozen input untouched and returns a new state',
    (_name, operation) => {
      const scenario = new Scenario(model).start({ order: 7 });
      const input = deepFreeze(scenario.state);
      const snapshot = JSON.stringify(input);

      const { state } = operation(model, input, scenario.ctx);

      expect(JSON.stringify(input)).toBe(snapshot);
      expect(state).not.toBe(input);
      expect(JSON.stringify(state)).not.toBe(snapshot);
    },
  );

  it('gives the same result for the same input and context', () => {
    const first = new Scenario(model).start({ order: 7 }).completeTask('pack');
    const second = new Scenario(model).start({ order: 7 }).completeTask('pack');

    expect(second.state).toEqual(first.state);
    expect(second.effects).toEqual(first.effects);
  });
});
