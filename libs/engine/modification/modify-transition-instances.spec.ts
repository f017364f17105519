import type { ProcessModel } from '@libs/bpmn';
import {
  activityInstanceTree,
  cancelTransitionInstance,
  executeAsyncJob,
  modifyInstance,
  modifyInstanceOfDefinition,
  NotValidException,
  typedValueOf,
  type AsyncJob,
  type BatchModificationInstruction,
  type ModificationInstruction,
} from '../index';
import { bpmnDefinitions, modelFrom, Scenario } from '../testing/engine-harness';

/**
 * Modification of instances with transition instances (pending asynchronous continuations), with
 * Camunda's semantics: cancel by transition instance id or with the activity's instances, starts that
 * park before an asyncBefore activity, ancestors, and the propagation of cancellation.
 */
const definitions = bpmnDefinitions;

/** `work` is asyncBefore; `review` is asyncAfter; `other` waits beside them in the fork. */
const LINE = definitions(`
  <process id="line" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="toWork" sourceRef="start" targetRef="work" />
    <userTask id="work" name="Work" camunda:asyncBefore="true" />
    <sequenceFlow id="toReview" sourceRef="work" targetRef="review" />
    <userTask id="review" camunda:asyncAfter="true" />
    <sequenceFlow id="toArchive" sourceRef="review" targetRef="archive" />
    <userTask id="archive" />
    <sequenceFlow id="toEnd" sourceRef="archive" targetRef="end" />
    <endEvent id="end" />
    <userTask id="other" />
  </process>`);

/** The sub-process parks its token before `inner` (asyncBefore); `outside` waits next to it. */
const NESTED = definitions(`
  <process id="nested" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="toFork" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="toOutside" sourceRef="fork" targetRef="outside" />
    <sequenceFlow id="toSub" sourceRef="fork" targetRef="sub" />
    <userTask id="outside" />
    <subProcess id="sub">
      <extensionElements>
        <camunda:inputOutput>
          <camunda:outputParameter name="subLeft">yes</camunda:outputParameter>
        </camunda:inputOutput>
      </extensionElements>
      <startEvent id="subStart" />
      <sequenceFlow id="toInner" sourceRef="subStart" targetRef="inner" />
      <userTask id="inner" camunda:asyncBefore="true">
        <extensionElements>
          <camunda:inputOutput>
            <camunda:inputParameter name="stage">inner</camunda:inputParameter>
            <camunda:outputParameter name="innerLeft">yes</camunda:outputParameter>
          </camunda:inputOutput>
        </extensionElements>
      </userTask>
      <sequenceFlow id="toSubEnd" sourceRef="inner" targetRef="subEnd" />
      <endEvent id="subEnd" />
      <userTask id="sibling" />
    </subProcess>
    <sequenceFlow id="toEnd" sourceRef="sub" targetRef="end" />
    <endEvent id="end" />
    <sequenceFlow id="outsideToEnd" sourceRef="outside" targetRef="end2" />
    <endEvent id="end2" />
  </process>`);

const thrownBy = (action: () => unknown): unknown => {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};
const modify = (scenario: Scenario, ...instructions: ModificationInstruction[]) =>
  scenario.step((model, state, ctx) => modifyInstance(model, state, { instructions }, ctx));
const jobsAt = (scenario: Scenario, activityId: string): AsyncJob[] =>
  scenario.state.asyncJobs.filter((job) => job.activityId === activityId);
const onlyJobAt = (scenario: Scenario, activityId: string): AsyncJob => {
  const [job, ...others] = jobsAt(scenario, activityId);
  if (job === undefined || others.length > 0) throw new Error(`expected one job at '${activityId}'`);
  return job;
};
const runJob = (scenario: Scenario, job: AsyncJob) =>
  scenario.step((m, s, ctx) => executeAsyncJob(m, s, { jobId: job.id }, ctx));
/** `activityId@parentActivityId` for every transition instance, sorted. */
const transitions = (scenario: Scenario): string[] =>
  scenario.state.asyncJobs
    .map((job) => {
      const parent = scenario.state.activityInstances.find((i) => i.id === job.activityInstanceId);
      return `${job.activityId}@${parent?.activityId ?? '?'}`;
    })
    .sort();
const variable = (scenario: Scenario, name: string) =>
  scenario.state.variables.find((candidate) => candidate.name === name);

describe('modifying an instance with transition instances', () => {
  let line: ProcessModel;
  let nested: ProcessModel;
  beforeAll(async () => {
    line = await modelFrom(LINE);
    nested = await modelFrom(NESTED);
  });

  describe('cancel a transition instance', () => {
    it('deletes its job and ends the instance when it was the last token', () => {
      const scenario = new Scenario(line).start();
      const job = onlyJobAt(scenario, 'work');

      modify(scenario, { type: 'cancel', transitionInstanceId: job.executionId });

      expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
      expect(scenario.state.asyncJobs).toEqual([]);
      expect(scenario.effects).toContainEqual({ type: 'asyncJobDeleted', jobId: job.id });
      // The async activity was never entered: nothing of it starts or ends.
      expect(scenario.effects.filter((e) => e.type === 'activityEnded')).toEqual([]);
    });

    it('keeps the instance when another instruction starts something afterwards', () => {
      const scenario = new Scenario(line).start();
      const job = onlyJobAt(scenario, 'work');

      modify(
        scenario,
        { type: 'cancel', transitionInstanceId: job.executionId },
        { type: 'startBeforeActivity', activityId: 'archive' },
      );

      expect(scenario.outline).toBe('line:1:d1(archive)');
      expect(scenario.state.asyncJobs).toEqual([]);
    });

    it('cancels the scope it leaves empty, with the scope’s output mappings but not the activity’s', () => {
      const scenario = new Scenario(nested).start();
      expect(transitions(scenario)).toEqual(['inner@sub']);
      const job = onlyJobAt(scenario, 'inner');

      modify(scenario, { type: 'cancel', transitionInstanceId: job.executionId });

      expect(scenario.state.state).toBe('ACTIVE');
      expect(scenario.outline).toBe('nested:1:d1(outside)');
      expect(scenario.state.asyncJobs).toEqual([]);
      expect(scenario.effects).toContainEqual(
        expect.objectContaining({ type: 'activityEnded', activityId: 'sub', endReason: 'canceled' }),
      );
      expect(variable(scenario, 'subLeft')?.value).toEqual(typedValueOf('yes'));
      expect(variable(scenario, 'innerLeft')).toBeUndefined();
    });

    it('keeps the scope while it has another child, and vice versa for its activity instances', () => {
      const scenario = new Scenario(nested).start();
      modify(scenario, { type: 'startBeforeActivity', activityId: 'sibling' });
      const job = onlyJobAt(scenario, 'inner');
      const sibling = scenario.state.activityInstances.find((i) => i.activityId === 'sibling')!;

      modify(scenario, { type: 'cancel', activityInstanceId: sibling.id });
      // The transition instance keeps the sub-process alive.
      expect(scenario.outline).toBe('nested:1:d1(outside, sub)');
      expect(transitions(scenario)).toEqual(['inner@sub']);

      modify(scenario, { type: 'cancel', transitionInstanceId: job.executionId });
      expect(scenario.outline).toBe('nested:1:d1(outside)');
    });

    it('answers an unknown or already cancelled id, and an activity instance id, as Camunda does', () => {
      const scenario = new Scenario(line).start();
      const job = onlyJobAt(scenario, 'work');
      modify(scenario, { type: 'startBeforeActivity', activityId: 'other' });
      const other = scenario.state.activityInstances.find((i) => i.activityId === 'other')!;
      const before = scenario.state;

      for (const id of ['nope', other.id]) {
        const error = thrownBy(() => modify(scenario, { type: 'cancel', transitionInstanceId: id }));
        expect(error).toBeInstanceOf(NotValidException);
        expect((error as Error).message).toBe(
          `Cannot perform instruction: Cancel transition instance '${id}'; Transition instance '${id}' does not exist: transitionInstance is null`,
        );
      }
      const twice = thrownBy(() =>
        modify(
          scenario,
          { type: 'cancel', transitionInstanceId: job.executionId },
          { type: 'cancel', transitionInstanceId: job.executionId },
        ),
      );
      expect(twice).toBeInstanceOf(NotValidException);
      const asActivity = thrownBy(() =>
        modify(scenario, { type: 'cancel', activityInstanceId: job.executionId }),
      );
      expect((asActivity as Error).message).toBe(
        `Cannot perform instruction: Cancel activity instance '${job.executionId}'; Activity instance '${job.executionId}' does not exist: activityInstance is null`,
      );
      expect(scenario.state).toBe(before);
    });

    it('is also a single-step operation', () => {
      const scenario = new Scenario(line).start();
      const job = onlyJobAt(scenario, 'work');

      scenario.step((m, s, ctx) =>
        cancelTransitionInstance(m, s, { transitionInstanceId: job.executionId }, ctx),
      );

      expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
    });

    it('cancelling the root activity instance also removes the root’s transition instances', () => {
      const scenario = new Scenario(line).start();
      const job = onlyJobAt(scenario, 'work');

      modify(scenario, { type: 'cancel', activityInstanceId: scenario.state.id });

      expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
      expect(scenario.effects).toContainEqual({ type: 'asyncJobDeleted', jobId: job.id });
    });
  });

  describe('cancel by activity id', () => {
    it('cancels the activity instances and the transition instances of the activity', () => {
      const scenario = new Scenario(line).start();
      runJob(scenario, onlyJobAt(scenario, 'work'));
      modify(
        scenario,
        { type: 'startBeforeActivity', activityId: 'work' },
        { type: 'startBeforeActivity', activityId: 'other' },
      );
      expect(scenario.outline).toBe('line:1:d1(other, work)');
      expect(transitions(scenario)).toEqual(['work@line:1:d1']);

      modify(scenario, { type: 'cancel', activityId: 'work' });

      expect(scenario.outline).toBe('line:1:d1(other)');
      expect(scenario.state.asyncJobs).toEqual([]);
      expect(scenario.state.tasks.map((task) => task.taskDefinitionKey)).toEqual(['other']);
    });

    it('cancels an asyncAfter transition instance of the activity, ending the instance', () => {
      const scenario = new Scenario(line).start();
      runJob(scenario, onlyJobAt(scenario, 'work')).completeTask('work').completeTask('review');
      expect(onlyJobAt(scenario, 'review')).toMatchObject({ direction: 'after', flowId: 'toArchive' });

      modify(scenario, { type: 'cancel', activityId: 'review' });

      expect(scenario.state.state).toBe('EXTERNALLY_TERMINATED');
    });

    it('with cancelCurrentActiveActivityInstances spares transition instances started by the request', () => {
      const scenario = new Scenario(line).start();
      const old = onlyJobAt(scenario, 'work');
      const instructions: BatchModificationInstruction[] = [
        { type: 'startBeforeActivity', activityId: 'work' },
        { type: 'cancel', activityId: 'work', cancelCurrentActiveActivityInstances: true },
      ];

      scenario.step((m, s, ctx) =>
        modifyInstanceOfDefinition(m, s, { processDefinitionId: 'line:1:d1', instructions }, ctx),
      );

      const [kept] = jobsAt(scenario, 'work');
      expect(jobsAt(scenario, 'work')).toHaveLength(1);
      expect(kept?.id).not.toBe(old.id);
      expect(scenario.effects).toContainEqual({ type: 'asyncJobDeleted', jobId: old.id });
    });
  });

  describe('starting into a transition instance', () => {
    it('startBeforeActivity on an asyncBefore activity parks with its variables until the job runs', () => {
      const scenario = new Scenario(line).start();
      runJob(scenario, onlyJobAt(scenario, 'work'));

      modify(scenario, {
        type: 'startBeforeActivity',
        activityId: 'work',
        variables: {
          shared: { value: typedValueOf('everyone') },
          mine: { value: typedValueOf(7), local: true },
        },
      });

      const job = onlyJobAt(scenario, 'work');
      expect(scenario.outline).toBe('line:1:d1(work)');
      expect(scenario.state.tasks).toHaveLength(1);
      // Global variables propagate to the process instance; local ones wait on the transition's execution.
      expect(variable(scenario, 'shared')).toMatchObject({ scopeId: scenario.state.id });
      expect(variable(scenario, 'mine')).toMatchObject({ scopeId: job.executionId });
      expect(activityInstanceTree(line, scenario.state)?.childTransitionInstances.map((t) => t.id)).toEqual([
        job.executionId,
      ]);

      runJob(scenario, job);

      const entered = scenario.state.activityInstances.filter((i) => i.activityId === 'work');
      expect(entered).toHaveLength(2);
      const newest = entered.find((instance) => instance.id === variable(scenario, 'mine')?.scopeId);
      expect(newest).toBeDefined();
      expect(variable(scenario, 'mine')?.value).toEqual(typedValueOf(7));
      expect(scenario.state.tasks).toHaveLength(2);
      expect(scenario.state.asyncJobs).toEqual([]);
    });

    it('drops the local variables of a cancelled transition instance', () => {
      const scenario = new Scenario(line).start();
      modify(
        scenario,
        { type: 'startBeforeActivity', activityId: 'other' },
        {
          type: 'startBeforeActivity',
          activityId: 'work',
          variables: { mine: { value: typedValueOf(7), local: true } },
        },
      );
      const parked = variable(scenario, 'mine');
      expect(parked).toBeDefined();

      modify(scenario, { type: 'cancel', transitionInstanceId: parked!.scopeId });

      expect(variable(scenario, 'mine')).toBeUndefined();
      expect(jobsAt(scenario, 'work')).toHaveLength(1);
    });

    it('skips input mappings only in the request: the job runs them later', () => {
      const scenario = new Scenario(nested).start();
      const sub = scenario.state.activityInstances.find((i) => i.activityId === 'sub')!;

      scenario.step((m, s, ctx) =>
        modifyInstance(
          m,
          s,
          { instructions: [{ type: 'startBeforeActivity', activityId: 'inner' }], skipIoMappings: true },
          ctx,
        ),
      );
      expect(transitions(scenario)).toEqual(['inner@sub', 'inner@sub']);
      const jobs = jobsAt(scenario, 'inner');
      expect(jobs.every((job) => job.activityInstanceId === sub.id)).toBe(true);

      runJob(scenario, jobs[1]!);
      const inner = scenario.state.activityInstances.find((i) => i.activityId === 'inner')!;
      expect(scenario.state.variables).toContainEqual(
        expect.objectContaining({ name: 'stage', scopeId: inner.id, value: typedValueOf('inner') }),
      );
    });

    it('startAfterActivity ignores the asyncAfter of the activity; startTransition parks before its target', () => {
      const scenario = new Scenario(line).start();

      modify(scenario, { type: 'startAfterActivity', activityId: 'review' });
      expect(scenario.outline).toBe('line:1:d1(archive)');
      expect(transitions(scenario)).toEqual(['work@line:1:d1']);

      modify(scenario, { type: 'startTransition', transitionId: 'toWork' });
      expect(transitions(scenario)).toEqual(['work@line:1:d1', 'work@line:1:d1']);
    });

    it('honours ancestorActivityInstanceId: a new sub-process instance holds the new transition instance', () => {
      const scenario = new Scenario(nested).start();
      const job = onlyJobAt(scenario, 'inner');

      modify(scenario, {
        type: 'startBeforeActivity',
        activityId: 'inner',
        ancestorActivityInstanceId: scenario.state.id,
      });

      expect(scenario.outline).toBe('nested:1:d1(outside, sub, sub)');
      const parents = new Set(jobsAt(scenario, 'inner').map((j) => j.activityInstanceId));
      expect(parents.size).toBe(2);

      // A transition instance is no ancestor: Camunda looks among activity instances only.
      const error = thrownBy(() =>
        modify(scenario, {
          type: 'startBeforeActivity',
          activityId: 'inner',
          ancestorActivityInstanceId: job.executionId,
        }),
      );
      expect(error).toBeInstanceOf(NotValidException);
      expect((error as Error).message).toBe(
        `Cannot perform instruction: Start before activity 'inner' with ancestor activity instance '${job.executionId}'; Ancestor activity instance '${job.executionId}' does not exist: ancestorInstance is null`,
      );
    });

    it('without an ancestor, refuses the ambiguous start among two sub-process instances', () => {
      const scenario = new Scenario(nested).start();
      modify(scenario, {
        type: 'startBeforeActivity',
        activityId: 'inner',
        ancestorActivityInstanceId: scenario.state.id,
      });

      const error = thrownBy(() => modify(scenario, { type: 'startBeforeActivity', activityId: 'inner' }));
      expect((error as Error).message).toBe(
        'Ancestor activity execution is ambiguous for activity Activity(sub)',
      );
    });
  });
});
