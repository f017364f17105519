import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessModel } from '@libs/bpmn';
import {
  claimTask,
  NotFoundException,
  setSuspension,
  setTaskAssignee,
  SuspendedEntityInteractionException,
  TaskAlreadyClaimedException,
} from '..';
import { modelFrom, Scenario, taskOf } from '../testing/engine-harness';

const bpmnFixture = (name: string) =>
  readFileSync(join(__dirname, '..', '..', 'bpmn', 'fixtures', name), 'utf8');

describe('task assignment', () => {
  let model: ProcessModel;
  beforeAll(async () => {
    model = await modelFrom(bpmnFixture('user-task.bpmn'));
  });
  /** The approval task starts assigned to the initiator; `null` leaves it unassigned. */
  const started = (initiator: string | null) => new Scenario(model).start({ initiator });
  const taskId = (scenario: Scenario) => taskOf(scenario.state, 'approve').id;

  it('claims an unassigned task, stamps lastUpdated and reports the assignment', () => {
    const scenario = started(null);
    const id = taskId(scenario);
    expect(taskOf(scenario.state, 'approve')).toMatchObject({ assignee: null });
    expect(taskOf(scenario.state, 'approve').lastUpdated ?? null).toBeNull();

    scenario.ctx.advance(60_000);
    scenario.step((m, s, ctx) => claimTask(m, s, { taskId: id, userId: 'kim' }, ctx));

    expect(taskOf(scenario.state, 'approve')).toMatchObject({
      assignee: 'kim',
      lastUpdated: scenario.ctx.now,
    });
    expect(scenario.effects).toEqual([
      {
        type: 'taskAssigned',
        taskId: id,
        activityInstanceId: taskOf(scenario.state, 'approve').activityInstanceId,
        assignee: 'kim',
        time: scenario.ctx.now,
      },
    ]);
    expect(scenario.outline).toBe('approval:1:d1(approve)');
  });

  it('lets the holder claim again but refuses anyone else, changing nothing', () => {
    const scenario = started('anna');
    const id = taskId(scenario);
    scenario.step((m, s, ctx) => claimTask(m, s, { taskId: id, userId: 'anna' }, ctx));
    expect(scenario.effects).toEqual([]);

    const before = scenario.state;
    expect(() => claimTask(model, before, { taskId: id, userId: 'bob' }, scenario.ctx)).toThrow(
      new TaskAlreadyClaimedException(id, 'anna'),
    );
    expect(() => claimTask(model, before, { taskId: id, userId: 'bob' }, scenario.ctx)).toThrow(
      `Task '${id}' is already claimed by someone else.`,
    );
    expect(taskOf(before, 'approve').assignee).toBe('anna');
  });

  it('sets and clears the assignee whoever holds the task', () => {
    const scenario = started('anna');
    const id = taskId(scenario);
    scenario.step((m, s, ctx) => setTaskAssignee(m, s, { taskId: id, assignee: 'bob' }, ctx));
    expect(taskOf(scenario.state, 'approve').assignee).toBe('bob');
    scenario.step((m, s, ctx) => setTaskAssignee(m, s, { taskId: id, assignee: null }, ctx));
    expect(taskOf(scenario.state, 'approve').assignee).toBeNull();
    expect(scenario.effects).toMatchObject([{ type: 'taskAssigned', assignee: null }]);
    scenario.step((m, s, ctx) => claimTask(m, s, { taskId: id, userId: null }, ctx));
    expect(scenario.effects).toEqual([]);
  });

  it('refuses unknown tasks and tasks of suspended instances', () => {
    const scenario = started(null);
    expect(() => claimTask(model, scenario.state, { taskId: 'nope', userId: 'kim' }, scenario.ctx)).toThrow(
      new NotFoundException('Cannot find task with id nope: task is null'),
    );

    const id = taskId(scenario);
    scenario.step((m, s, ctx) => setSuspension(m, s, { suspended: true }, ctx));
    expect(() =>
      setTaskAssignee(model, scenario.state, { taskId: id, assignee: 'kim' }, scenario.ctx),
    ).toThrow(SuspendedEntityInteractionException);
  });
});
