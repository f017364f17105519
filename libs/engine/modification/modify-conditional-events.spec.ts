import { modifyInstance, type ModificationInstruction } from '../index';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';
import {
  conditionalBoundary,
  conditionalEventSubProcesses,
  conditionalIntermediate,
} from '../testing/conditional-models';
import { variablesOf } from '../state/typed-value';

const modify = (scenario: Scenario, ...instructions: ModificationInstruction[]) =>
  scenario.step((model, state, ctx) => modifyInstance(model, state, { instructions }, ctx));

describe('modification and conditional events', () => {
  it('starting before an activity with a conditional boundary event evaluates it at once (and the instruction variables reach the waiting one)', async () => {
    const scenario = new Scenario(await modelFrom(conditionalBoundary('${x == 1}'))).start({ x: 0 });
    modify(scenario, {
      type: 'startBeforeActivity',
      activityId: 'work',
      variables: { x: { value: variablesOf({ x: 1 }).x! } },
    });

    expect(scenario.outline).toBe('boundary:1:d1(afterCond, afterCond)');
  });

  it('starting before an interrupting conditional boundary event cancels its host', async () => {
    const scenario = new Scenario(await modelFrom(conditionalBoundary('${x == 1}'))).start({ x: 0 });
    modify(scenario, { type: 'startBeforeActivity', activityId: 'cond' });

    expect(scenario.outline).toBe('boundary:1:d1(afterCond)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });

  it('starting before an intermediate conditional event waits there unless its condition holds', async () => {
    const scenario = new Scenario(await modelFrom(conditionalIntermediate('${x > 5}'))).start({ x: 1 });
    modify(scenario, { type: 'startBeforeActivity', activityId: 'wait' });
    expect(scenario.outline).toBe('intermediate:1:d1(wait, wait)');
    expect(scenario.waiting.subscriptions).toEqual(['conditional:null@wait', 'conditional:null@wait']);

    modify(scenario, {
      type: 'startBeforeActivity',
      activityId: 'wait',
      variables: { x: { value: variablesOf({ x: 9 }).x! } },
    });
    expect(scenario.outline).toBe('intermediate:1:d1(after, after, after)');
  });

  it('starting before a conditional event sub-process start event interrupts its scope', async () => {
    const scenario = new Scenario(await modelFrom(conditionalEventSubProcesses('${go}'))).start({
      go: false,
    });
    modify(scenario, { type: 'startBeforeActivity', activityId: 'espStart' });

    expect(scenario.outline).toBe('esps:1:d1(esp(espTask))');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });

  it('cancelling the waiting instance removes its conditional subscription', async () => {
    const scenario = new Scenario(await modelFrom(conditionalIntermediate('${x > 5}'))).start({ x: 1 });
    modify(
      scenario,
      { type: 'startBeforeActivity', activityId: 'after' },
      { type: 'cancel', activityInstanceId: instanceOf(scenario.state, 'wait').id },
    );

    expect(scenario.outline).toBe('intermediate:1:d1(after)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });
});
