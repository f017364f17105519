import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  correlateMessage,
  fireTimer,
  generateMigrationPlan,
  migrateInstance,
  MismatchingMessageCorrelationException,
  timerJobDefinitionId,
  type EngineEffect,
  type MigrationDefinition,
  type MigrationPlan,
} from '../index';
import { definitionFrom, instanceOf, Scenario } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');
const pair = async (name: string): Promise<[MigrationDefinition, MigrationDefinition]> => [
  await definitionFrom(fixture(`${name}-v1.bpmn`), 1),
  await definitionFrom(fixture(`${name}-v2.bpmn`), 2),
];
const started = (effects: readonly EngineEffect[]) =>
  effects.flatMap((e) => (e.type === 'activityStarted' ? [e.activityId] : []));
const migrate = (
  scenario: Scenario,
  source: MigrationDefinition,
  target: MigrationDefinition,
  plan: MigrationPlan,
) =>
  scenario.continueOn(
    target.model,
    target.id,
    migrateInstance(source, target, plan, scenario.state, scenario.ctx),
  );
const message = (scenario: Scenario, messageName: string) =>
  scenario.step((m, s, ctx) => correlateMessage(m, s, { messageName }, ctx));
const HOUR = 3_600_000;

describe('migrating boundary events', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  beforeAll(async () => {
    [v1, v2] = await pair('deadline');
  });
  const startedAt = (scenario: Scenario) => scenario.state.startTime.getTime();

  it('keeps a boundary timer as it is without updateEventTrigger', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const job = before.state.jobs[0]!;
    before.ctx.advance(HOUR / 2);

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));

    // The timer now belongs to the target's job definition, as in Camunda.
    const jobDefinitionId = timerJobDefinitionId(v2.id, 'timeout');
    expect(after.state.jobs).toEqual([{ ...job, activityId: 'timeout', jobDefinitionId }]);
    expect(job.dueDate.getTime()).toBe(startedAt(before) + HOUR);
    expect(after.effects.filter((e) => e.type === 'timerCancelled' || e.type === 'timerScheduled')).toEqual(
      [],
    );
  });

  it('re-arms a boundary timer from the target definition with updateEventTrigger', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const job = before.state.jobs[0]!;
    before.ctx.advance(HOUR / 2);

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2, { updateEventTriggers: true }));

    const dueDate = new Date(startedAt(before) + HOUR / 2 + 2 * HOUR);
    const jobDefinitionId = timerJobDefinitionId(v2.id, 'timeout');
    expect(after.state.jobs).toEqual([{ ...job, activityId: 'timeout', dueDate, jobDefinitionId }]);
    expect(after.effects).toContainEqual({ type: 'timerCancelled', jobId: job.id });
    expect(after.effects).toContainEqual({ type: 'timerScheduled', jobId: job.id, dueDate });
  });

  it('deletes the subscription of a boundary event removed in the target and creates the new ones', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const work = instanceOf(before.state, 'work');
    expect(before.waiting.subscriptions).toEqual(['message:CancelOrder@cancelRequest']);

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));

    expect(after.waiting.subscriptions).toEqual(['message:Nudge@nudge']);
    expect(after.state.eventSubscriptions[0]?.activityInstanceId).toBe(work.id);
    expect(() => message(after, 'CancelOrder')).toThrow(MismatchingMessageCorrelationException);
    message(after, 'Nudge');
    expect(after.outline).toBe('deadline:2:d2(work)');
  });

  it('fires the migrated timer into the target flow', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));
    const jobId = after.state.jobs[0]!.id;

    after.step((m, s, ctx) => fireTimer(m, s, { jobId }, ctx));
    expect(after.outline).toBe('deadline:2:d2(escalate)');
    after.completeTask('escalate');
    expect(after.state.state).toBe('COMPLETED');
    expect(started(after.effects)).toEqual(['escalatedEnd']);
  });

  it('completes the migrated task along the target flow', () => {
    const after = migrate(new Scenario(v1.model, v1.id).start(), v1, v2, generateMigrationPlan(v1, v2));

    after.completeTask('work');
    expect(after.outline).toBe('deadline:2:d2(confirm)');
    expect(after.waiting).toEqual({ tasks: ['confirm'], externalTasks: [], subscriptions: [], jobs: [] });
    after.completeTask('confirm');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('removes the triggers of a boundary event that has no instruction', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const job = before.state.jobs[0]!;
    const plan: MigrationPlan = {
      sourceProcessDefinitionId: v1.id,
      targetProcessDefinitionId: v2.id,
      instructions: [{ sourceActivityId: 'work', targetActivityId: 'work' }],
    };

    const after = migrate(before, v1, v2, plan);

    // The old job is deleted; the target's timeout is declared anew from now.
    expect(after.effects).toContainEqual({ type: 'timerCancelled', jobId: job.id });
    expect(after.state.jobs).toEqual([expect.objectContaining({ activityId: 'timeout' })]);
    expect(after.state.jobs[0]!.id).not.toBe(job.id);
  });
});

describe('migrating message waits', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  beforeAll(async () => {
    [v1, v2] = await pair('payment');
  });

  it('keeps the event name of a receive task without updateEventTrigger', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const subscription = before.state.eventSubscriptions[0]!;

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));

    expect(after.state.eventSubscriptions).toEqual([subscription]);
    message(after, 'Payment');
    expect(after.waiting.subscriptions).toEqual(['message:ShipmentV2@waitShipment']);
    message(after, 'ShipmentV2');
    expect(after.outline).toBe('payment:2:d2(confirm)');
    after.completeTask('confirm');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('updates the event name of a receive task with updateEventTrigger', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const subscription = before.state.eventSubscriptions[0]!;

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2, { updateEventTriggers: true }));

    expect(after.state.eventSubscriptions).toEqual([{ ...subscription, eventName: 'PaymentV2' }]);
    expect(() => message(after, 'Payment')).toThrow(MismatchingMessageCorrelationException);
    message(after, 'PaymentV2');
    expect(after.waiting.subscriptions).toEqual(['message:ShipmentV2@waitShipment']);
    message(after, 'ShipmentV2').completeTask('confirm');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('migrates an intermediate message catch event, keeping or updating its event name', () => {
    const waiting = () => message(new Scenario(v1.model, v1.id).start(), 'Payment');
    const kept = migrate(waiting(), v1, v2, generateMigrationPlan(v1, v2));
    const updated = migrate(waiting(), v1, v2, generateMigrationPlan(v1, v2, { updateEventTriggers: true }));

    expect(kept.waiting.subscriptions).toEqual(['message:Shipment@waitShipment']);
    expect(updated.waiting.subscriptions).toEqual(['message:ShipmentV2@waitShipment']);
    message(kept, 'Shipment');
    expect(kept.outline).toBe('payment:2:d2(confirm)');
  });
});
