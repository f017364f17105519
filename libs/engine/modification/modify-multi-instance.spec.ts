import {
  modifyInstance,
  ProcessEngineException,
  type ModificationInstruction,
  type ProcessInstanceState,
} from '../index';
import { modelFrom, Scenario } from '../testing/engine-harness';
import { miSubProcess, PARALLEL_USER_TASK, SEQUENTIAL_USER_TASK } from '../testing/multi-instance-models';

const modify = (scenario: Scenario, ...instructions: ModificationInstruction[]) =>
  scenario.step((model, state, ctx) => modifyInstance(model, state, { instructions }, ctx));

/** name → value of the variables local to `scopeId`. */
const localsOf = (state: ProcessInstanceState, scopeId: string | undefined) =>
  Object.fromEntries(
    state.variables.filter((v) => v.scopeId === scopeId).map((v) => [v.name, v.value.value]),
  );
const idsOf = (scenario: Scenario, activityId: string) =>
  scenario.state.activityInstances.filter((i) => i.activityId === activityId).map((i) => i.id);
const bodyId = (scenario: Scenario) => idsOf(scenario, 'work#multiInstanceBody')[0];

async function started(xml: string, variables: Record<string, unknown> = {}): Promise<Scenario> {
  return new Scenario(await modelFrom(xml)).start(variables);
}

describe('modifying multi-instance activities', () => {
  it('starts a complete new run before the body', async () => {
    const scenario = await started(PARALLEL_USER_TASK);
    modify(scenario, { type: 'startBeforeActivity', activityId: 'work#multiInstanceBody' });
    expect(scenario.outline).toBe(
      'mi:1:d1(work#multiInstanceBody(work, work, work), work#multiInstanceBody(work, work, work))',
    );
  });

  it('adds one inner instance to the existing parallel body', async () => {
    const scenario = await started(PARALLEL_USER_TASK);
    modify(scenario, { type: 'startBeforeActivity', activityId: 'work' });
    expect(scenario.outline).toBe('mi:1:d1(work#multiInstanceBody(work, work, work, work))');
    expect(localsOf(scenario.state, bodyId(scenario))).toEqual({
      nrOfInstances: 4,
      nrOfActiveInstances: 4,
      nrOfCompletedInstances: 0,
    });
    const added = idsOf(scenario, 'work')[3];
    expect(localsOf(scenario.state, added)).toEqual({ loopCounter: 3 });
  });

  it('creates a body with one inner instance when there is none', async () => {
    const scenario = await started(PARALLEL_USER_TASK);
    modify(
      scenario,
      { type: 'cancel', activityId: 'work#multiInstanceBody' },
      { type: 'startBeforeActivity', activityId: 'work' },
    );
    expect(scenario.outline).toBe('mi:1:d1(work#multiInstanceBody(work))');
    expect(localsOf(scenario.state, bodyId(scenario))).toEqual({
      nrOfInstances: 1,
      nrOfActiveInstances: 1,
      nrOfCompletedInstances: 0,
    });
    expect(localsOf(scenario.state, idsOf(scenario, 'work')[0])).toEqual({ loopCounter: 0 });
  });

  it('refuses an ambiguous body and accepts one named as ancestor', async () => {
    const scenario = await started(PARALLEL_USER_TASK);
    modify(scenario, { type: 'startBeforeActivity', activityId: 'work#multiInstanceBody' });
    expect(() => modify(scenario, { type: 'startBeforeActivity', activityId: 'work' })).toThrow(
      new ProcessEngineException(
        'Ancestor activity execution is ambiguous for activity Activity(work#multiInstanceBody)',
      ),
    );
    const [first] = idsOf(scenario, 'work#multiInstanceBody');
    modify(scenario, {
      type: 'startBeforeActivity',
      activityId: 'work',
      ancestorActivityInstanceId: first ?? null,
    });
    expect(scenario.state.activityInstances.filter((i) => i.parentId === first)).toHaveLength(4);
  });

  it('starts a new body with one instance under an ancestor above the body', async () => {
    const scenario = await started(PARALLEL_USER_TASK);
    modify(scenario, {
      type: 'startBeforeActivity',
      activityId: 'work',
      ancestorActivityInstanceId: scenario.state.id,
    });
    expect(scenario.outline).toBe(
      'mi:1:d1(work#multiInstanceBody(work), work#multiInstanceBody(work, work, work))',
    );
  });

  it('refuses concurrency in a sequential body', async () => {
    const scenario = await started(SEQUENTIAL_USER_TASK);
    expect(() => modify(scenario, { type: 'startBeforeActivity', activityId: 'work' })).toThrow(
      new ProcessEngineException(
        'Concurrent instantiation not possible for activities in scope work#multiInstanceBody',
      ),
    );
  });

  it('counts a cancelled inner instance and keeps the body while it has others', async () => {
    const scenario = await started(PARALLEL_USER_TASK);
    const [first] = idsOf(scenario, 'work');
    modify(scenario, { type: 'cancel', activityInstanceId: first ?? '' });
    expect(scenario.outline).toBe('mi:1:d1(work#multiInstanceBody(work, work))');
    expect(localsOf(scenario.state, bodyId(scenario))).toMatchObject({
      nrOfInstances: 3,
      nrOfActiveInstances: 2,
    });
  });

  it('cancels the body with its last inner instance, and the process instance with it', async () => {
    const scenario = await started(SEQUENTIAL_USER_TASK);
    modify(scenario, { type: 'cancel', activityId: 'work' });
    expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
  });

  it('starts inside a multi-instance sub-process, creating body and inner instance', async () => {
    const sub = await started(miSubProcess(false), { items: ['a'] });
    modify(
      sub,
      { type: 'cancel', activityId: 'work#multiInstanceBody' },
      { type: 'startBeforeActivity', activityId: 'inner' },
    );
    expect(sub.outline).toBe('mi:1:d1(work#multiInstanceBody(work(inner)))');
    expect(localsOf(sub.state, idsOf(sub, 'work')[0])).toEqual({ loopCounter: 0 });
  });

  it('refuses a start inside a sequential body that already runs an inner instance', async () => {
    const scenario = await started(miSubProcess(true), { items: ['a', 'b'] });
    expect(() =>
      modify(scenario, {
        type: 'startTransition',
        transitionId: 's1',
        ancestorActivityInstanceId: bodyId(scenario) ?? null,
      }),
    ).toThrow(
      new ProcessEngineException(
        'Concurrent instantiation not possible for activities in scope work#multiInstanceBody',
      ),
    );
  });
});
