import type { ProcessModel } from '@libs/bpmn';
import {
  activityInstanceTree,
  BadUserRequestException,
  executeAsyncJob,
  NotValidException,
  ProcessEngineException,
  startInstanceAt,
  typedValueOf,
  type EngineEffect,
  type InstantiationInstruction,
} from '../index';
import { bpmnDefinitions, instanceOf, modelFrom, Scenario, TestContext } from '../testing/engine-harness';

/**
 * Instantiation at activities (`startInstructions`, Camunda's `ProcessInstantiationAtActivitiesTest`):
 * the tree each start instruction builds, what is not run (the start event), asynchronous targets,
 * instances that end at once, variables, skipped input mappings and Camunda's errors.
 */
const ORDER = bpmnDefinitions(`
  <process id="order" isExecutable="true">
    <startEvent id="start" camunda:initiator="starter" />
    <sequenceFlow id="toReview" sourceRef="start" targetRef="review" />
    <userTask id="review" />
    <sequenceFlow id="toShip" sourceRef="review" targetRef="ship" />
    <subProcess id="ship">
      <extensionElements>
        <camunda:inputOutput>
          <camunda:inputParameter name="carrier">post</camunda:inputParameter>
        </camunda:inputOutput>
      </extensionElements>
      <startEvent id="shipStart" />
      <sequenceFlow id="toPack" sourceRef="shipStart" targetRef="pack" />
      <userTask id="pack">
        <extensionElements>
          <camunda:inputOutput>
            <camunda:inputParameter name="box">large</camunda:inputParameter>
          </camunda:inputOutput>
        </extensionElements>
      </userTask>
      <sequenceFlow id="toShipEnd" sourceRef="pack" targetRef="shipEnd" />
      <endEvent id="shipEnd" />
    </subProcess>
    <sequenceFlow id="toInvoice" sourceRef="ship" targetRef="invoice" />
    <userTask id="invoice" camunda:asyncBefore="true" />
    <sequenceFlow id="toEnd" sourceRef="invoice" targetRef="end" />
    <endEvent id="end" />
    <userTask id="note" />
    <parallelGateway id="split" />
    <sequenceFlow id="splitToReview" sourceRef="split" targetRef="review" />
    <sequenceFlow id="splitToNote" sourceRef="split" targetRef="note" />
  </process>`);

const thrownBy = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};
const startedActivities = (effects: readonly EngineEffect[]) =>
  effects.flatMap((effect) => (effect.type === 'activityStarted' ? [effect.activityId] : []));
const startActivityOf = (effects: readonly EngineEffect[]) =>
  effects.find((effect) => effect.type === 'processStarted');
const variablesAt = (scenario: Scenario, scopeId: string) =>
  Object.fromEntries(
    scenario.state.variables
      .filter((variable) => variable.scopeId === scopeId)
      .map((variable) => [variable.name, variable.value.value]),
  );

describe('instantiating a process at activities', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(ORDER);
  });
  const startAt = (...instructions: InstantiationInstruction[]) => new Scenario(model).startAt(instructions);

  it('starts before a task without running the start event, and records the task as start activity', () => {
    const scenario = new Scenario(model).startAt([{ type: 'startBeforeActivity', activityId: 'review' }], {
      businessKey: 'B-7',
      initiatorId: 'anna',
      variables: { amount: typedValueOf(100) },
    });

    expect(scenario.outline).toBe('order:1:d1(review)');
    expect(scenario.state).toMatchObject({ state: 'ACTIVE', businessKey: 'B-7' });
    expect(scenario.waiting.tasks).toEqual(['review']);
    expect(startedActivities(scenario.effects)).toEqual(['review']);
    expect(startActivityOf(scenario.effects)).toMatchObject({ startActivityId: 'review' });
    expect(variablesAt(scenario, scenario.state.id)).toEqual({ starter: 'anna', amount: 100 });
  });

  it('starts the same task twice as two concurrent instances with a task each', () => {
    const scenario = startAt(
      { type: 'startBeforeActivity', activityId: 'review' },
      { type: 'startBeforeActivity', activityId: 'review' },
    );

    expect(scenario.outline).toBe('order:1:d1(review, review)');
    expect(scenario.state.tasks).toHaveLength(2);
  });

  it('creates the sub-process around an activity inside it and runs both input mappings', () => {
    const scenario = startAt({ type: 'startBeforeActivity', activityId: 'pack' });

    expect(scenario.outline).toBe('order:1:d1(ship(pack))');
    expect(startedActivities(scenario.effects)).toEqual(['ship', 'pack']);
    expect(variablesAt(scenario, instanceOf(scenario.state, 'ship').id)).toEqual({ carrier: 'post' });
    expect(variablesAt(scenario, instanceOf(scenario.state, 'pack').id)).toEqual({ box: 'large' });
    expect(startActivityOf(scenario.effects)).toMatchObject({ startActivityId: 'pack' });
  });

  it('skips the input mappings of the started activity and of the scopes created for it', () => {
    const scenario = new Scenario(model).startAt([{ type: 'startBeforeActivity', activityId: 'pack' }], {
      skipIoMappings: true,
      skipCustomListeners: true,
    });

    expect(scenario.outline).toBe('order:1:d1(ship(pack))');
    expect(scenario.state.variables.map((variable) => variable.name)).toEqual(['starter']);
  });

  it('reuses the sub-process instance for a second activity inside it', () => {
    const scenario = startAt(
      { type: 'startBeforeActivity', activityId: 'pack' },
      { type: 'startBeforeActivity', activityId: 'review' },
      { type: 'startBeforeActivity', activityId: 'pack' },
    );

    expect(scenario.outline).toBe('order:1:d1(review, ship(pack, pack))');
  });

  it('starts after an activity on its single outgoing flow, recording the flow target as start activity', () => {
    const scenario = startAt({ type: 'startAfterActivity', activityId: 'review' });

    expect(scenario.outline).toBe('order:1:d1(ship(pack))');
    expect(startedActivities(scenario.effects)).not.toContain('review');
    expect(startActivityOf(scenario.effects)).toMatchObject({ startActivityId: 'ship' });
  });

  it('parks an asyncBefore target as a transition instance with its job, and the job continues it', () => {
    const scenario = startAt({ type: 'startTransition', transitionId: 'toInvoice' });

    const tree = activityInstanceTree(model, scenario.state)!;
    expect(tree.childActivityInstances).toEqual([]);
    expect(tree.childTransitionInstances).toEqual([expect.objectContaining({ activityId: 'invoice' })]);
    const [job] = scenario.state.asyncJobs;
    expect(job).toMatchObject({ activityId: 'invoice', direction: 'before' });
    expect(scenario.effects).toContainEqual({ type: 'asyncJobCreated', jobId: job!.id });
    expect(startActivityOf(scenario.effects)).toMatchObject({ startActivityId: 'invoice' });

    scenario.step((m, state, ctx) => executeAsyncJob(m, state, { jobId: job!.id }, ctx));
    expect(scenario.outline).toBe('order:1:d1(invoice)');
    scenario.completeTask('invoice');
    expect(scenario.state.state).toBe('COMPLETED');
  });

  it('answers an instance that ran to its end as completed', () => {
    const scenario = startAt(
      { type: 'startBeforeActivity', activityId: 'end' },
      { type: 'startBeforeActivity', activityId: 'end' },
    );

    expect(scenario.state).toMatchObject({ state: 'COMPLETED', endTime: expect.any(Date) });
    expect(scenario.effects).toContainEqual(
      expect.objectContaining({ type: 'processEnded', state: 'COMPLETED' }),
    );
    expect(startedActivities(scenario.effects)).toEqual(['end', 'end']);
  });

  it('keeps the instance alive between instructions, so a later one can follow an ended path', () => {
    const scenario = startAt(
      { type: 'startBeforeActivity', activityId: 'end' },
      { type: 'startBeforeActivity', activityId: 'review' },
    );

    expect(scenario.state.state).toBe('ACTIVE');
    expect(scenario.outline).toBe('order:1:d1(review)');
  });

  it('continues the flow after a sub-process the instruction finished at once', () => {
    const scenario = startAt({ type: 'startBeforeActivity', activityId: 'shipEnd' });

    expect(startedActivities(scenario.effects)).toEqual(['ship', 'shipEnd']);
    expect(scenario.state.asyncJobs.map((job) => job.activityId)).toEqual(['invoice']);
  });

  it('sets the variables of each instruction, local ones on the started activity instance', () => {
    const scenario = startAt(
      {
        type: 'startBeforeActivity',
        activityId: 'pack',
        variables: { shared: { value: typedValueOf('all') }, mine: { value: typedValueOf(7), local: true } },
      },
      {
        type: 'startBeforeActivity',
        activityId: 'review',
        variables: { other: { value: typedValueOf(true) } },
      },
    );

    expect(variablesAt(scenario, scenario.state.id)).toEqual({
      starter: null,
      shared: 'all',
      other: true,
    });
    expect(variablesAt(scenario, instanceOf(scenario.state, 'pack').id)).toEqual({ box: 'large', mine: 7 });
  });

  it('starts at the start event when told to, running it like any element', () => {
    const scenario = startAt({ type: 'startBeforeActivity', activityId: 'start' });

    expect(scenario.outline).toBe('order:1:d1(review)');
    expect(startActivityOf(scenario.effects)).toMatchObject({ startActivityId: 'start' });
  });

  describe('errors', () => {
    const failure = (...instructions: InstantiationInstruction[]) => thrownBy(() => startAt(...instructions));

    it('names an unknown first activity or flow with the definition id', () => {
      for (const instruction of [
        { type: 'startBeforeActivity', activityId: 'nowhere' },
        { type: 'startTransition', transitionId: 'nowhere' },
      ] as const) {
        const error = failure(instruction);
        expect(error).toBeInstanceOf(NotValidException);
        expect((error as Error).message).toBe(
          "Element 'nowhere' does not exist in process order:1:d1: targetElement is null",
        );
      }
    });

    it('describes an unknown later element as modification does', () => {
      const error = failure(
        { type: 'startBeforeActivity', activityId: 'review' },
        { type: 'startBeforeActivity', activityId: 'nowhere' },
      );
      expect(error).toBeInstanceOf(NotValidException);
      expect((error as Error).message).toBe(
        "Cannot perform instruction: Start before activity 'nowhere'; Element 'nowhere' does not exist in process 'order:1:d1': element is null",
      );
      expect(
        (
          failure(
            { type: 'startBeforeActivity', activityId: 'review' },
            { type: 'startTransition', transitionId: 'nowhere' },
          ) as Error
        ).message,
      ).toBe(
        "Cannot perform instruction: Start transition 'nowhere'; Element 'nowhere' does not exist in process 'order:1:d1': element is null",
      );
    });

    it('refuses to start after an unknown activity or one without a single outgoing flow', () => {
      expect((failure({ type: 'startAfterActivity', activityId: 'nowhere' }) as Error).message).toBe(
        "Cannot perform instruction: Start after activity 'nowhere'; Activity 'nowhere' does not exist: activity is null",
      );
      const none = failure({ type: 'startAfterActivity', activityId: 'note' });
      expect(none).toBeInstanceOf(ProcessEngineException);
      expect((none as Error).message).toBe(
        'Cannot start after activity note; activity has no outgoing sequence flow to take',
      );
      expect((failure({ type: 'startAfterActivity', activityId: 'split' }) as Error).message).toBe(
        'Cannot start after activity split; activity has more than one outgoing sequence flow',
      );
    });

    it('refuses skip flags without instructions, and instantiation without instructions', () => {
      const skipped = thrownBy(() => new Scenario(model).startAt([], { skipIoMappings: true }));
      expect(skipped).toBeInstanceOf(BadUserRequestException);
      expect((skipped as Error).message).toBe(
        'ENGINE-13024 Cannot skip custom listeners or input/output mappings when start a process instance at default start activity.',
      );
      expect(() => startInstanceAt(model, { definitionId: 'order:1:d1' }, [], new TestContext())).toThrow(
        'At least one instantiation instruction required',
      );
    });
  });
});
