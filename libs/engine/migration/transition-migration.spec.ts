import {
  activityInstanceTree,
  asyncJobDefinitionId,
  executeAsyncJob,
  MigratingProcessInstanceValidationException,
  migrateInstance,
  validateMigratingInstance,
  type ActivityInstanceDto,
  type MigrationDefinition,
  type MigrationPlan,
  type ProcessInstanceState,
} from '../index';
import { bpmnDefinitions, definitionFrom, Scenario } from '../testing/engine-harness';

/**
 * Migration of transition instances (tokens waiting in asynchronous continuations), with Camunda's
 * rules (`MigrationTransitionInstancesTest`): the instruction of the async activity applies, the job
 * moves with its token (same id, retries and exception; the target's job definition), missing target
 * scopes are instantiated, and instance validation names what cannot move.
 */
const definitions = bpmnDefinitions;

/** `start → task (async attributes) → end`, the task's id and attributes given. */
const line = (task: string, attributes: string, startAttributes = '') =>
  definitions(`
  <process id="line" isExecutable="true">
    <startEvent id="start" ${startAttributes} />
    <sequenceFlow id="toTask" sourceRef="start" targetRef="${task}" />
    <userTask id="${task}" ${attributes} />
    <sequenceFlow id="toEnd" sourceRef="${task}" targetRef="end" />
    <endEvent id="end" />
  </process>`);

/** `start → task` inside a sub-process; `task` is asyncBefore. */
const NESTED = definitions(`
  <process id="line" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="toSub" sourceRef="start" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="subStart" />
      <sequenceFlow id="toTask" sourceRef="subStart" targetRef="task" />
      <userTask id="task" camunda:asyncBefore="true" />
      <sequenceFlow id="toSubEnd" sourceRef="task" targetRef="subEnd" />
      <endEvent id="subEnd" />
    </subProcess>
    <sequenceFlow id="toEnd" sourceRef="sub" targetRef="end" />
    <endEvent id="end" />
  </process>`);

/** `task` (asyncAfter) with two outgoing flows, `toA` and `flowB`. */
const FORKING_AFTER = definitions(`
  <process id="line" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="toTask" sourceRef="start" targetRef="task" />
    <userTask id="task" camunda:asyncAfter="true" />
    <sequenceFlow id="toA" sourceRef="task" targetRef="a" />
    <sequenceFlow id="flowB" sourceRef="task" targetRef="b" />
    <userTask id="a" />
    <userTask id="b" />
  </process>`);

const planOf = (
  source: MigrationDefinition,
  target: MigrationDefinition,
  pairs: ReadonlyArray<[string, string]>,
): MigrationPlan => ({
  sourceProcessDefinitionId: source.id,
  targetProcessDefinitionId: target.id,
  instructions: pairs.map(([sourceActivityId, targetActivityId]) => ({ sourceActivityId, targetActivityId })),
});

/** The tree as text, transition instances marked `~`: `root(sub(~task))`. */
function shape(target: MigrationDefinition, state: ProcessInstanceState): string {
  const render = (node: ActivityInstanceDto): string => {
    const children = [
      ...node.childActivityInstances.map(render),
      ...node.childTransitionInstances.map((transition) => `~${transition.activityId}`),
    ].sort();
    return children.length === 0 ? node.activityId : `${node.activityId}(${children.join(', ')})`;
  };
  const tree = activityInstanceTree(target.model, state);
  return tree === null ? 'ended' : render(tree);
}

describe('migrating transition instances', () => {
  it('moves an asyncBefore token to the renamed target activity with its job, then the job runs there', async () => {
    const v1 = await definitionFrom(line('task', 'camunda:asyncBefore="true"'), 1);
    const v2 = await definitionFrom(line('renamed', 'camunda:asyncBefore="true"'), 2);
    const before = new Scenario(v1.model, v1.id).start();
    const [job] = before.state.asyncJobs;

    const result = migrateInstance(v1, v2, planOf(v1, v2, [['task', 'renamed']]), before.state, before.ctx);
    const after = before.continueOn(v2.model, v2.id, result);

    expect(shape(v2, after.state)).toBe(`${v2.id}(~renamed)`);
    expect(after.state.asyncJobs).toEqual([
      {
        ...job,
        activityId: 'renamed',
        jobDefinitionId: asyncJobDefinitionId(v2.id, 'renamed', 'before'),
      },
    ]);
    const ran = after.step((model, state, ctx) => executeAsyncJob(model, state, { jobId: job!.id }, ctx));
    expect(ran.waiting.tasks).toEqual(['renamed']);
    expect(ran.completeTask('renamed').state.state).toBe('COMPLETED');
  });

  it('keeps the job’s retries and exception message', async () => {
    const v1 = await definitionFrom(line('task', 'camunda:asyncBefore="true"'), 1);
    const v2 = await definitionFrom(line('task', 'camunda:asyncBefore="true"'), 2);
    const started = new Scenario(v1.model, v1.id).start().state;
    const failed: ProcessInstanceState = {
      ...started,
      asyncJobs: started.asyncJobs.map((job) => ({ ...job, retries: 0, exceptionMessage: 'boom' })),
    };

    const { state } = migrateInstance(
      v1,
      v2,
      planOf(v1, v2, [['task', 'task']]),
      failed,
      new Scenario(v1.model).ctx,
    );

    expect(state.asyncJobs.map(({ retries, exceptionMessage }) => ({ retries, exceptionMessage }))).toEqual([
      { retries: 0, exceptionMessage: 'boom' },
    ]);
  });

  it('points an asyncAfter token at the target’s single outgoing flow, whatever its id', async () => {
    const v1 = await definitionFrom(line('task', 'camunda:asyncAfter="true"'), 1);
    const v2 = await definitionFrom(
      line('task', 'camunda:asyncAfter="true"').replaceAll('toEnd', 'renamedFlow'),
      2,
    );
    const before = new Scenario(v1.model, v1.id).start().completeTask('task');
    const [job] = before.state.asyncJobs;
    expect(job?.flowId).toBe('toEnd');

    const result = migrateInstance(v1, v2, planOf(v1, v2, [['task', 'task']]), before.state, before.ctx);
    const after = before.continueOn(v2.model, v2.id, result);

    expect(after.state.asyncJobs[0]).toMatchObject({
      id: job!.id,
      direction: 'after',
      flowId: 'renamedFlow',
      jobDefinitionId: asyncJobDefinitionId(v2.id, 'task', 'after'),
    });
    const ran = after.step((model, state, ctx) => executeAsyncJob(model, state, { jobId: job!.id }, ctx));
    expect(ran.state.state).toBe('COMPLETED');
  });

  it('refuses an asyncAfter token whose flow the target’s several outgoing flows do not have', async () => {
    const v1 = await definitionFrom(FORKING_AFTER.replace(/<sequenceFlow id="flowB"[^>]*>/, ''), 1);
    const v2 = await definitionFrom(FORKING_AFTER.replaceAll('toA', 'renamedA'), 2);
    const before = new Scenario(v1.model, v1.id).start().completeTask('task');

    const report = validateMigratingInstance(v1, v2, planOf(v1, v2, [['task', 'task']]), before.state);

    expect(report.transitionInstanceValidationReports).toEqual([
      {
        migrationInstruction: {
          sourceActivityIds: ['task'],
          targetActivityIds: ['task'],
          updateEventTrigger: false,
        },
        transitionInstanceId: before.state.asyncJobs[0]!.executionId,
        sourceScopeId: 'task',
        failures: [
          'Transition instance is assigned to a sequence flow that cannot be matched in the target activity',
        ],
      },
    ]);
  });

  it('keeps the flow of an asyncAfter token when the target has it among several', async () => {
    const v1 = await definitionFrom(FORKING_AFTER.replace(/<sequenceFlow id="flowB"[^>]*>/, ''), 1);
    const v2 = await definitionFrom(FORKING_AFTER, 2);
    const before = new Scenario(v1.model, v1.id).start().completeTask('task');

    const result = migrateInstance(v1, v2, planOf(v1, v2, [['task', 'task']]), before.state, before.ctx);
    const after = before.continueOn(v2.model, v2.id, result);
    const ran = after.step((model, state, ctx) =>
      executeAsyncJob(model, state, { jobId: state.asyncJobs[0]!.id }, ctx),
    );

    expect(ran.waiting.tasks).toEqual(['a']);
  });

  it('instantiates the new target sub-process around the token, once', async () => {
    const v1 = await definitionFrom(line('task', 'camunda:asyncBefore="true"'), 1);
    const v2 = await definitionFrom(NESTED, 2);
    const before = new Scenario(v1.model, v1.id).start();

    const result = migrateInstance(v1, v2, planOf(v1, v2, [['task', 'task']]), before.state, before.ctx);
    const after = before.continueOn(v2.model, v2.id, result);

    expect(shape(v2, after.state)).toBe(`${v2.id}(sub(~task))`);
    const ran = after.step((model, state, ctx) =>
      executeAsyncJob(model, state, { jobId: state.asyncJobs[0]!.id }, ctx),
    );
    expect(ran.outline).toBe(`${v2.id}(sub(task))`);
    expect(ran.completeTask('task').state.state).toBe('COMPLETED');
  });

  it('moves the token out of a sub-process that has no instruction (the sub-process is cancelled)', async () => {
    const v1 = await definitionFrom(NESTED, 1);
    const v2 = await definitionFrom(line('task', 'camunda:asyncBefore="true"'), 2);
    const before = new Scenario(v1.model, v1.id).start();
    expect(shape(v1, before.state)).toBe(`${v1.id}(sub(~task))`);

    const plan = planOf(v1, v2, [['task', 'task']]);
    expect(validateMigratingInstance(v1, v2, plan, before.state).activityInstanceValidationReports).toEqual(
      [],
    );
    const result = migrateInstance(v1, v2, plan, before.state, before.ctx);

    expect(shape(v2, result.state)).toBe(`${v2.id}(~task)`);
    expect(result.state.asyncJobs[0]?.activityInstanceId).toBe(result.state.id);
  });

  it('names an unmapped transition instance, and one whose target is not async the same way', async () => {
    const v1 = await definitionFrom(line('task', 'camunda:asyncBefore="true"'), 1);
    const v2 = await definitionFrom(line('task', 'camunda:asyncAfter="true"'), 2);
    const before = new Scenario(v1.model, v1.id).start();
    const transitionInstanceId = before.state.asyncJobs[0]!.executionId;

    const unmapped = validateMigratingInstance(v1, v2, planOf(v1, v2, []), before.state);
    const notAsync = validateMigratingInstance(v1, v2, planOf(v1, v2, [['task', 'task']]), before.state);

    expect(unmapped.transitionInstanceValidationReports).toEqual([
      {
        migrationInstruction: null,
        transitionInstanceId,
        sourceScopeId: 'task',
        failures: ["There is no migration instruction for this instance's activity"],
      },
    ]);
    expect(notAsync.transitionInstanceValidationReports[0]?.failures).toEqual([
      'Target activity is not asyncBefore',
    ]);
    expect(() => migrateInstance(v1, v2, planOf(v1, v2, []), before.state, before.ctx)).toThrow(
      MigratingProcessInstanceValidationException,
    );
  });

  it('keeps a token before the process start event at process level', async () => {
    const v1 = await definitionFrom(line('task', '', 'camunda:asyncBefore="true"'), 1);
    const nested = await definitionFrom(
      NESTED.replace(
        '<startEvent id="subStart" />',
        '<startEvent id="subStart" camunda:asyncBefore="true" />',
      ),
      2,
    );
    const again = await definitionFrom(line('task', '', 'camunda:asyncBefore="true"'), 3);
    const before = new Scenario(v1.model, v1.id).start();
    expect(shape(v1, before.state)).toBe(`${v1.id}(~start)`);

    const intoSub = validateMigratingInstance(
      v1,
      nested,
      planOf(v1, nested, [['start', 'subStart']]),
      before.state,
    );
    const result = migrateInstance(
      v1,
      again,
      planOf(v1, again, [['start', 'start']]),
      before.state,
      before.ctx,
    );

    expect(intoSub.transitionInstanceValidationReports[0]?.failures).toEqual([
      'A transition instance that instantiates the process can only be migrated to a process-level flow node',
    ]);
    const after = before.continueOn(again.model, again.id, result);
    const ran = after.step((model, state, ctx) =>
      executeAsyncJob(model, state, { jobId: state.asyncJobs[0]!.id }, ctx),
    );
    expect(ran.waiting.tasks).toEqual(['task']);
  });
});
