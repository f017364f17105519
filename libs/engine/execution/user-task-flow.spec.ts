import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  activityInstanceTree,
  completeTask,
  NotFoundException,
  setSuspension,
  startInstance,
  SuspendedEntityInteractionException,
  variablesOf,
  visibleVariables,
  type EngineEffect,
} from '..';
import { modelFrom, outline, Scenario, TestContext } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');
const DEFINITION_ID = 'approval:1:d1';

describe('a user task flow', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('user-task.bpmn'));
  });

  const start = (ctx = new TestContext()) =>
    startInstance(
      model,
      { definitionId: DEFINITION_ID, businessKey: 'B-7', variables: variablesOf({ initiator: 'anna' }) },
      ctx,
    );

  it('starts and rests at the user task, with the task created from its attributes', () => {
    const ctx = new TestContext();
    const { state } = start(ctx);

    expect(state).toMatchObject({
      definitionId: DEFINITION_ID,
      definitionKey: 'approval',
      businessKey: 'B-7',
      tenantId: null,
      state: 'ACTIVE',
      suspended: false,
      startTime: ctx.now,
      endTime: null,
    });
    expect(outline(model, state)).toBe(`${DEFINITION_ID}(approve)`);
    expect(state.tasks).toEqual([
      {
        id: expect.any(String),
        activityInstanceId: state.activityInstances[1]!.id,
        executionId: state.activityInstances[1]!.executionId,
        taskDefinitionKey: 'approve',
        name: 'Approve request',
        assignee: 'anna',
        owner: null,
        candidateGroups: ['sales', 'managers'],
        candidateUsers: ['anna', 'bob'],
        due: new Date('2024-05-04T09:00:00.000Z'),
        followUp: new Date('2024-05-03T09:00:00.000Z'),
        priority: 60,
        created: ctx.now,
      },
    ]);
    expect(state.variables).toEqual([
      {
        id: expect.any(String),
        name: 'initiator',
        scopeId: state.id,
        value: { type: 'String', value: 'anna' },
      },
    ]);
  });

  it('renders the activity-instance tree in the REST shape of Camunda', () => {
    const { state } = start();
    const approve = state.activityInstances.find((instance) => instance.activityId === 'approve')!;

    expect(activityInstanceTree(model, state)).toEqual({
      id: state.id,
      parentActivityInstanceId: null,
      activityId: DEFINITION_ID,
      activityType: 'processDefinition',
      processInstanceId: state.id,
      processDefinitionId: DEFINITION_ID,
      activityName: 'Approval',
      name: 'Approval',
      executionIds: [state.id],
      incidentIds: [],
      incidents: [],
      childActivityInstances: [
        {
          id: approve.id,
          parentActivityInstanceId: state.id,
          activityId: 'approve',
          activityType: 'userTask',
          processInstanceId: state.id,
          processDefinitionId: DEFINITION_ID,
          activityName: 'Approve request',
          name: 'Approve request',
          executionIds: [approve.executionId],
          incidentIds: [],
          incidents: [],
          childActivityInstances: [],
          childTransitionInstances: [],
        },
      ],
      childTransitionInstances: [],
    });
    expect(approve.id).toMatch(/^approve:/);
  });

  it('reports the start as history effects in order', () => {
    const { state, effects } = start();

    expect(effects.map(summarise)).toEqual([
      'processStarted',
      'variableCreated initiator',
      'activityStarted start',
      'activityEnded start completed',
      'activityStarted approve',
      'taskCreated',
    ]);
    expect(effects[0]).toEqual({
      type: 'processStarted',
      processInstanceId: state.id,
      startActivityId: 'start',
      time: expect.any(Date),
    });
  });

  it('completes the instance when the task is completed', () => {
    const scenario = new Scenario(model, DEFINITION_ID).start({ initiator: 'anna' });
    scenario.ctx.advance(60_000);

    scenario.completeTask('approve');

    expect(scenario.state).toMatchObject({ state: 'COMPLETED', endTime: scenario.ctx.now });
    expect(scenario.outline).toBeNull();
    expect(scenario.waiting).toEqual({ tasks: [], externalTasks: [], subscriptions: [], jobs: [] });
    expect(scenario.state.activityInstances).toEqual([]);
    expect(visibleVariables(scenario.state, scenario.state.id)).toEqual({
      initiator: { type: 'String', value: 'anna' },
    });
    expect(scenario.effects.map(summarise)).toEqual([
      'taskEnded completed',
      'activityEnded approve completed',
      'activityStarted end',
      'activityEnded end completed',
      'processEnded COMPLETED',
    ]);
  });

  it('sets the completion variables before leaving the task', () => {
    const scenario = new Scenario(model)
      .start({ initiator: 'anna' })
      .completeTask('approve', { approved: true });

    expect(scenario.state.variables.find((variable) => variable.name === 'approved')?.value).toEqual({
      type: 'Boolean',
      value: true,
    });
  });

  it('refuses to complete a task that does not exist', () => {
    const scenario = new Scenario(model).start({ initiator: 'anna' });

    expect(() => scenario.step((m, state, ctx) => completeTask(m, state, { taskId: 'nope' }, ctx))).toThrow(
      new NotFoundException('Cannot find task with id nope: task is null'),
    );
  });

  it('refuses to complete a task of a suspended instance, until it is activated again', () => {
    const scenario = new Scenario(model).start({ initiator: 'anna' });
    const taskId = scenario.state.tasks[0]!.id;
    scenario.step((m, state, ctx) => setSuspension(m, state, { suspended: true }, ctx));
    expect(scenario.state.suspended).toBe(true);

    expect(() => scenario.completeTask('approve')).toThrow(
      new SuspendedEntityInteractionException(`ENGINE-03043 Task with id '${taskId}' is suspended.`),
    );

    scenario.step((m, state, ctx) => setSuspension(m, state, { suspended: false }, ctx));
    expect(scenario.completeTask('approve').state.state).toBe('COMPLETED');
  });
});

function summarise(effect: EngineEffect): string {
  switch (effect.type) {
    case 'activityStarted':
      return `activityStarted ${effect.activityId}`;
    case 'activityEnded':
      return `activityEnded ${effect.activityId} ${effect.endReason}`;
    case 'taskEnded':
    case 'externalTaskEnded':
      return `${effect.type} ${effect.reason}`;
    case 'processEnded':
      return `processEnded ${effect.state}`;
    case 'variableCreated':
    case 'variableUpdated':
    case 'variableDeleted':
      return `${effect.type} ${effect.name}`;
    default:
      return effect.type;
  }
}
