import type { ProcessModel } from '@libs/bpmn';
import {
  activityInstanceTree,
  asyncJobDefinitionId,
  cancelInstance,
  executeAsyncJob,
  generateMigrationPlan,
  NotFoundException,
  ProcessEngineException,
  setSuspension,
  setVariables,
  SuspendedEntityInteractionException,
  validateMigratingInstance,
  variablesOf,
  type AsyncJob,
  type EngineEffect,
} from '..';
import { definitionFrom, modelFrom, Scenario } from '../testing/engine-harness';

const process = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="x">
  <process id="async" isExecutable="true">${body}</process>
</definitions>`;

const BEFORE_TASK = process(`
  <startEvent id="start" />
  <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
  <userTask id="work" name="Work" camunda:asyncBefore="true" />
  <sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  <endEvent id="end" />`);

const AFTER_TASK = process(`
  <startEvent id="start" />
  <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
  <userTask id="review" camunda:asyncAfter="true" camunda:exclusive="false" />
  <sequenceFlow id="f2" sourceRef="review" targetRef="archive" />
  <userTask id="archive" />
  <sequenceFlow id="f3" sourceRef="archive" targetRef="end" />
  <endEvent id="end" />`);

const BEFORE_GATEWAY = process(`
  <startEvent id="start" />
  <sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
  <exclusiveGateway id="decide" camunda:asyncBefore="true" />
  <sequenceFlow id="yes" sourceRef="decide" targetRef="approved">
    <conditionExpression>\${approved}</conditionExpression>
  </sequenceFlow>
  <sequenceFlow id="no" sourceRef="decide" targetRef="end">
    <conditionExpression>\${!approved}</conditionExpression>
  </sequenceFlow>
  <userTask id="approved" />
  <endEvent id="end" />`);

const PARALLEL = process(`
  <startEvent id="start" />
  <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
  <parallelGateway id="fork" />
  <sequenceFlow id="toA" sourceRef="fork" targetRef="a" />
  <sequenceFlow id="toB" sourceRef="fork" targetRef="b" />
  <task id="a" camunda:asyncBefore="true" />
  <task id="b" camunda:asyncBefore="true" />
  <sequenceFlow id="fromA" sourceRef="a" targetRef="join" />
  <sequenceFlow id="fromB" sourceRef="b" targetRef="join" />
  <parallelGateway id="join" />
  <sequenceFlow id="toAfter" sourceRef="join" targetRef="after" />
  <userTask id="after" />
  <sequenceFlow id="f9" sourceRef="after" targetRef="end" />
  <endEvent id="end" />`);

const jobAt = (scenario: Scenario, activityId: string): AsyncJob => {
  const job = scenario.state.asyncJobs.find((candidate) => candidate.activityId === activityId);
  if (job === undefined) throw new Error(`no async job at '${activityId}'`);
  return job;
};
const run = (scenario: Scenario, activityId: string) => {
  const jobId = jobAt(scenario, activityId).id;
  return scenario.step((m, s, ctx) => executeAsyncJob(m, s, { jobId }, ctx));
};
const effectTypes = (effects: readonly EngineEffect[]) => effects.map((effect) => effect.type);

describe('asynchronous continuations', () => {
  const models = new Map<string, ProcessModel>();
  beforeAll(async () => {
    for (const [name, xml] of Object.entries({ BEFORE_TASK, AFTER_TASK, BEFORE_GATEWAY, PARALLEL })) {
      models.set(name, await modelFrom(xml));
    }
  });
  const scenario = (name: string) => new Scenario(models.get(name)!, 'async:1:d1');

  it('stops a token before an asyncBefore activity in a transition instance with a message job', () => {
    const started = scenario('BEFORE_TASK').start();

    expect(started.outline).toBe('async:1:d1');
    expect(started.state.tasks).toEqual([]);
    const job = jobAt(started, 'work');
    expect(job).toEqual({
      id: expect.any(String),
      type: 'message',
      direction: 'before',
      activityId: 'work',
      activityInstanceId: started.state.id,
      executionId: expect.any(String),
      flowId: null,
      jobDefinitionId: asyncJobDefinitionId('async:1:d1', 'work', 'before'),
      exclusive: true,
      retries: 3,
      priority: 0,
      suspended: false,
      exceptionMessage: null,
      dueDate: null,
      created: started.ctx.now,
    });
    expect(started.effects).toContainEqual({ type: 'asyncJobCreated', jobId: job.id });
    // History: the async activity is not entered (no activity instance) until its job runs.
    expect(
      started.effects.filter((effect) => effect.type === 'activityStarted').map((e) => e.activityId),
    ).toEqual(['start']);
  });

  it('shows the transition instance in the tree under its scope, with Camunda fields and incidents', () => {
    const started = scenario('BEFORE_TASK').start();
    const job = jobAt(started, 'work');

    const tree = activityInstanceTree(started.model, started.state, [
      { id: 'incident-1', activityId: 'work', executionId: job.executionId },
    ]);

    expect(tree?.childActivityInstances).toEqual([]);
    expect(tree?.childTransitionInstances).toEqual([
      {
        id: job.executionId,
        parentActivityInstanceId: started.state.id,
        processInstanceId: started.state.id,
        processDefinitionId: 'async:1:d1',
        activityId: 'work',
        targetActivityId: 'work',
        activityName: 'Work',
        activityType: 'userTask',
        executionId: job.executionId,
        incidentIds: ['incident-1'],
        incidents: [{ id: 'incident-1', activityId: 'work' }],
      },
    ]);
  });

  it('enters the activity when the job runs: the task exists and the job is gone', () => {
    const done = run(scenario('BEFORE_TASK').start(), 'work');

    expect(done.outline).toBe('async:1:d1(work)');
    expect(done.waiting.tasks).toEqual(['work']);
    expect(done.state.asyncJobs).toEqual([]);
    expect(effectTypes(done.effects)).toEqual(['activityStarted', 'taskCreated', 'jobExecuted']);
  });

  it('parks the token after an asyncAfter task and takes the flow when the job runs', () => {
    const completed = scenario('AFTER_TASK').start().completeTask('review');

    expect(completed.outline).toBe('async:1:d1');
    const job = jobAt(completed, 'review');
    expect(job).toMatchObject({ direction: 'after', flowId: 'f2', exclusive: false });
    expect(job.jobDefinitionId).not.toBe(asyncJobDefinitionId('async:1:d1', 'review', 'before'));

    const continued = run(completed, 'review');
    expect(continued.outline).toBe('async:1:d1(archive)');
    expect(continued.waiting.tasks).toEqual(['archive']);
  });

  it('fails the job run with the process error and leaves the state as it was', () => {
    const started = scenario('BEFORE_GATEWAY').start();
    const jobId = jobAt(started, 'decide').id;

    expect(() => executeAsyncJob(started.model, started.state, { jobId }, started.ctx)).toThrow(
      ProcessEngineException,
    );
    expect(started.state.asyncJobs.map((job) => job.id)).toEqual([jobId]);

    const fixed = started.step((m, s, ctx) =>
      setVariables(m, s, { variables: variablesOf({ approved: true }) }, ctx),
    );
    expect(run(fixed, 'decide').waiting.tasks).toEqual(['approved']);
  });

  it('does not complete a scope while a token waits in a transition instance; the join fires once', () => {
    const started = scenario('PARALLEL').start();
    expect(started.state.asyncJobs.map((job) => job.activityId).sort()).toEqual(['a', 'b']);

    const first = run(started, 'a');
    expect(first.outline).toBe('async:1:d1(join)');
    expect(first.state.state).toBe('ACTIVE');

    const second = run(first, 'b');
    expect(second.outline).toBe('async:1:d1(after)');
    expect(second.waiting.tasks).toEqual(['after']);
  });

  it('refuses to run a job of a suspended instance, and an unknown job', () => {
    const suspended = scenario('BEFORE_TASK')
      .start()
      .step((m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx));
    const jobId = jobAt(suspended, 'work').id;

    expect(() => executeAsyncJob(suspended.model, suspended.state, { jobId }, suspended.ctx)).toThrow(
      SuspendedEntityInteractionException,
    );
    expect(() => executeAsyncJob(suspended.model, suspended.state, { jobId: 'nope' }, suspended.ctx)).toThrow(
      NotFoundException,
    );
  });

  it('deletes the parked jobs when the instance is cancelled', () => {
    const started = scenario('PARALLEL').start();
    const jobIds = started.state.asyncJobs.map((job) => job.id);

    const cancelled = started.step((m, s, ctx) => cancelInstance(m, s, {}, ctx));

    expect(cancelled.state.state).toBe('EXTERNALLY_TERMINATED');
    expect(cancelled.state.asyncJobs).toEqual([]);
    expect(cancelled.effects.filter((effect) => effect.type === 'asyncJobDeleted')).toEqual(
      jobIds.map((jobId) => ({ type: 'asyncJobDeleted', jobId })),
    );
  });

  it('validates for migration once a generated plan maps the waiting async activity', async () => {
    const v1 = await definitionFrom(BEFORE_TASK, 1);
    const v2 = await definitionFrom(BEFORE_TASK, 2);
    const started = new Scenario(v1.model, v1.id).start();

    const report = validateMigratingInstance(v1, v2, generateMigrationPlan(v1, v2), started.state);

    expect(report.transitionInstanceValidationReports).toEqual([]);
  });

  it('asks for the jobs of an activated instance to run again, and for none while it stays suspended', () => {
    const started = scenario('BEFORE_TASK').start();
    const job = jobAt(started, 'work');

    const effectsOf = (suspended: boolean) =>
      started.step((m, s, ctx) => setSuspension(m, s, { suspended }, ctx)).effects;

    expect([...effectsOf(true), ...effectsOf(true)]).toEqual([]);
    const activated = { effects: effectsOf(false) };
    expect(activated.effects).toEqual([{ type: 'asyncJobResumed', jobId: job.id }]);
  });
});
