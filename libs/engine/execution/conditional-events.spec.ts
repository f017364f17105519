import type { ProcessModel } from '@libs/bpmn';
import { correlateMessage, removeVariables, setSuspension, SuspendedEntityInteractionException } from '..';
import { hasConditionalEvents } from './engine-run';
import { InstanceSession } from '../state/instance-session';
import { applyVariables } from '../state/variables';
import { instanceOf, modelFrom, Scenario } from '../testing/engine-harness';
import {
  conditionalAfterGateway,
  conditionalBoundary,
  conditionalEventSubProcesses,
  conditionalIntermediate,
} from '../testing/conditional-models';
import { processLevelEventSubProcesses } from '../testing/event-models';
import { variablesOf } from '../state/typed-value';

const remove = (scenario: Scenario, names: string[]) =>
  scenario.step((m, s, ctx) => removeVariables(m, s, { names }, ctx));
const conditionalSubscriptions = (scenario: Scenario) =>
  scenario.state.eventSubscriptions.filter((s) => s.type === 'conditional').map((s) => s.activityId);

describe('conditional boundary events', () => {
  let interrupting: ProcessModel;
  let nonInterrupting: ProcessModel;
  beforeAll(async () => {
    interrupting = await modelFrom(conditionalBoundary('${x == 1}'));
    nonInterrupting = await modelFrom(conditionalBoundary('${x == 1}', false));
  });

  it('waits on a conditional subscription without name, owned by the host', () => {
    const scenario = new Scenario(interrupting).start({ x: 0 });

    expect(scenario.outline).toBe('boundary:1:d1(work)');
    expect(scenario.waiting.subscriptions).toEqual(['conditional:null@cond']);
    expect(scenario.state.eventSubscriptions[0]!.activityInstanceId).toBe(
      instanceOf(scenario.state, 'work').id,
    );
  });

  it('fires an interrupting event when a variable change makes its condition true', () => {
    const scenario = new Scenario(interrupting).start({ x: 0 });
    scenario.setVariables({ y: 1 });
    expect(scenario.outline).toBe('boundary:1:d1(work)');

    scenario.setVariables({ x: 1 });

    expect(scenario.outline).toBe('boundary:1:d1(afterCond)');
    expect(scenario.waiting.subscriptions).toEqual([]);
    expect(scenario.waiting.tasks).toEqual(['afterCond']);
  });

  it('fires at once when the condition holds as the host is entered', () => {
    const scenario = new Scenario(interrupting).start({ x: 1 });

    expect(scenario.outline).toBe('boundary:1:d1(afterCond)');
    expect(scenario.waiting).toMatchObject({ tasks: ['afterCond'], subscriptions: [] });
    // The interrupted task never did its work: only the task after the event was created.
    expect(scenario.effects.filter((effect) => effect.type === 'taskCreated')).toHaveLength(1);
  });

  it('fires a non-interrupting event on every change that satisfies it and keeps waiting', () => {
    const scenario = new Scenario(nonInterrupting).start({ x: 0 });
    scenario.setVariables({ x: 1 });
    scenario.setVariables({ x: 1 });

    expect(scenario.outline).toBe('boundary:1:d1(afterCond, afterCond, work)');
    expect(scenario.waiting.subscriptions).toEqual(['conditional:null@cond']);
  });

  it('sees the variables a task is completed with before the task is left', () => {
    const scenario = new Scenario(interrupting).start({ x: 0 }).completeTask('work', { x: 1 });

    expect(scenario.outline).toBe('boundary:1:d1(afterCond)');
  });

  it('counts only changes of camunda:variableName and of the camunda:variableEvents kinds', async () => {
    const named = await modelFrom(
      conditionalBoundary('${true}', false, 'camunda:variableName="x" camunda:variableEvents="delete"'),
    );
    const scenario = new Scenario(named).start();
    expect(scenario.outline).toBe('boundary:1:d1(afterCond, work)');

    scenario.setVariables({ y: 1 });
    scenario.setVariables({ x: 1 });
    scenario.setVariables({ x: 2 });
    expect(scenario.outline).toBe('boundary:1:d1(afterCond, work)');

    remove(scenario, ['x']);
    expect(scenario.outline).toBe('boundary:1:d1(afterCond, afterCond, work)');
  });

  it('counts a condition naming an unknown variable as false', () => {
    const scenario = new Scenario(interrupting).start();
    scenario.setVariables({ y: 1 });
    expect(scenario.outline).toBe('boundary:1:d1(work)');
  });

  it('refuses to fire in a suspended instance', () => {
    const scenario = new Scenario(interrupting).start({ x: 0 });
    scenario.step((m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx));
    scenario.setVariables({ y: 1 });

    expect(() => scenario.setVariables({ x: 1 })).toThrow(SuspendedEntityInteractionException);
  });
});

describe('conditional intermediate catch events', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(conditionalIntermediate('${x > 5}'));
  });

  it('passes through when the condition holds on arrival', () => {
    const scenario = new Scenario(model).start({ x: 6 });
    expect(scenario.outline).toBe('intermediate:1:d1(after)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });

  it('waits in the tree and passes on once a change makes the condition true', () => {
    const scenario = new Scenario(model).start({ x: 1 });
    expect(scenario.outline).toBe('intermediate:1:d1(wait)');
    expect(scenario.state.activityInstances.find((a) => a.activityId === 'wait')?.activityType).toBe(
      'intermediateConditional',
    );
    expect(scenario.waiting.subscriptions).toEqual(['conditional:null@wait']);

    scenario.setVariables({ x: 5 });
    expect(scenario.outline).toBe('intermediate:1:d1(wait)');
    scenario.setVariables({ x: 7 });
    expect(scenario.outline).toBe('intermediate:1:d1(after)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });
});

describe('conditional event sub-processes', () => {
  it('interrupts the process when a process variable makes the condition true', async () => {
    const scenario = new Scenario(await modelFrom(conditionalEventSubProcesses('${go}'))).start({
      go: false,
    });
    expect(scenario.outline).toBe('esps:1:d1(sub(inner), work)');
    expect(conditionalSubscriptions(scenario).sort()).toEqual(['espStart', 'subEspStart']);

    scenario.setVariables({ go: true });

    expect(scenario.outline).toBe('esps:1:d1(esp(espTask))');
    expect(conditionalSubscriptions(scenario)).toEqual([]);
  });

  it('starts beside the process when non-interrupting, once per satisfying change', async () => {
    const scenario = new Scenario(await modelFrom(conditionalEventSubProcesses('${go}', false))).start({
      go: false,
    });
    scenario.setVariables({ go: true, other: 1 });

    expect(scenario.outline).toBe('esps:1:d1(esp(espTask), esp(espTask), sub(inner), work)');
    expect(conditionalSubscriptions(scenario).sort()).toEqual(['espStart', 'subEspStart']);
  });

  it('fires before the start event when the condition holds as the process starts', async () => {
    const scenario = new Scenario(await modelFrom(conditionalEventSubProcesses('${go}'))).start({ go: true });
    expect(scenario.outline).toBe('esps:1:d1(esp(espTask))');
  });

  it('in a sub-process replaces its start event when the condition holds as the sub-process is entered', async () => {
    const model = await modelFrom(conditionalEventSubProcesses('${false}', true, '${go}'));
    const scenario = new Scenario(model).start({ go: true });

    expect(scenario.outline).toBe('esps:1:d1(sub(subEsp(subEspTask)), work)');
    expect(scenario.state.activityInstances.some((instance) => instance.activityId === 'subStart')).toBe(
      false,
    );
  });

  it('in a sub-process sees process variables, while the process does not see the sub-process locals', async () => {
    const model = await modelFrom(conditionalEventSubProcesses('${inSub == 1}', true, '${inSub == 1}'));
    const scenario = new Scenario(model).start();
    const sub = instanceOf(scenario.state, 'sub');

    scenario.setVariables({ inSub: 1 }, sub.id, true);

    expect(scenario.outline).toBe('esps:1:d1(sub(subEsp(subEspTask)), work)');
  });
});

describe('conditional events after an event-based gateway', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(conditionalAfterGateway('${ready}'));
  });

  it('takes the conditional branch at once when its condition holds on arrival', () => {
    const scenario = new Scenario(model).start({ ready: true });
    expect(scenario.outline).toBe('gateway:1:d1(afterCond)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });

  it('waits in the gateway and lets the first event win', () => {
    const scenario = new Scenario(model).start({ ready: false });
    expect(scenario.outline).toBe('gateway:1:d1(gw)');
    expect(scenario.waiting.subscriptions).toEqual(['conditional:null@cond', 'message:Go@msg']);

    scenario.setVariables({ ready: true });
    expect(scenario.outline).toBe('gateway:1:d1(afterCond)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });

  it('loses to the message when the message comes first', () => {
    const scenario = new Scenario(model).start({ ready: false });
    scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Go' }, ctx));
    expect(scenario.outline).toBe('gateway:1:d1(afterMsg)');
    expect(scenario.waiting.subscriptions).toEqual([]);
  });
});

describe('models without conditional events', () => {
  const recorded = (model: ProcessModel) => {
    const scenario = new Scenario(model).start();
    const session = new InstanceSession(model, scenario.state, scenario.ctx);
    applyVariables(session.run, scenario.state.id, variablesOf({ a: 1 }), false);
    return session.run.variableEvents;
  };

  it('record no variable changes for conditions', async () => {
    const without = await modelFrom(processLevelEventSubProcesses);
    const withConditions = await modelFrom(conditionalIntermediate('${x}'));
    expect(hasConditionalEvents(without)).toBe(false);
    expect(hasConditionalEvents(withConditions)).toBe(true);

    expect(recorded(without)).toEqual([]);
    expect(recorded(withConditions)).toEqual([{ scopeId: expect.any(String), name: 'a', event: 'create' }]);
  });
});

describe('conditional events when instantiating at an element', () => {
  it('evaluates the process event sub-processes and the created scopes once the element started', async () => {
    const model = await modelFrom(conditionalEventSubProcesses('${go}', false, '${go}'));
    const scenario = new Scenario(model).startAt([{ type: 'startBeforeActivity', activityId: 'inner' }], {
      variables: variablesOf({ go: true }),
    });

    expect(scenario.outline).toBe('esps:1:d1(esp(espTask), sub(inner, subEsp(subEspTask)))');
  });

  it('lets an interrupting process event sub-process replace the started element', async () => {
    const model = await modelFrom(conditionalEventSubProcesses('${go}', true, '${go}'));
    const scenario = new Scenario(model).startAt([{ type: 'startBeforeActivity', activityId: 'inner' }], {
      variables: variablesOf({ go: true }),
    });

    expect(scenario.outline).toBe('esps:1:d1(esp(espTask))');
  });
});

describe('conditional events and input mappings', () => {
  it('fires a non-interrupting boundary event once when the task’s own input mapping satisfies it', async () => {
    const xml = conditionalBoundary('${x == 1}', false).replace(
      '<userTask id="work" />',
      `<userTask id="work"><extensionElements><camunda:inputOutput>
        <camunda:inputParameter name="x">\${1}</camunda:inputParameter>
      </camunda:inputOutput></extensionElements></userTask>`,
    );
    const scenario = new Scenario(await modelFrom(xml)).start();

    expect(scenario.outline).toBe('boundary:1:d1(afterCond, work)');
  });
});
