import {
  correlateMessage,
  generateMigrationPlan,
  migrateInstance,
  modifyInstance,
  timerJobDefinitionId,
  validateMigrationPlan,
  type MigrationDefinition,
  type MigrationInstruction,
  type MigrationPlan,
} from '../index';
import { bpmnDefinitions, definitionFrom, instanceOf, Scenario } from '../testing/engine-harness';
import { processLevelEventSubProcesses } from '../testing/event-models';

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
const map = (sourceActivityId: string, targetActivityId = sourceActivityId, updateEventTrigger = false) => ({
  sourceActivityId,
  targetActivityId,
  updateEventTrigger,
});
const planOf = (
  source: MigrationDefinition,
  target: MigrationDefinition,
  instructions: MigrationInstruction[],
) => ({
  sourceProcessDefinitionId: source.id,
  targetProcessDefinitionId: target.id,
  instructions,
});

/** v2: the interrupting event sub-process waits for another message, the cycle is slower. */
const renamed = processLevelEventSubProcesses
  .replace('name="Cancel"', 'name="Abort"')
  .replace('R3/PT10M', 'R2/PT1H');

/** Error and escalation boundary events on a user task. */
const boundaries = (kind: 'error' | 'escalation') =>
  bpmnDefinitions(`
  <process id="catches" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <userTask id="work" />
    <sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <endEvent id="end" />
    <boundaryEvent id="caught" attachedToRef="work"><${kind}EventDefinition /></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="caught" targetRef="end" />
  </process>`);

describe('migrating event sub-processes', () => {
  let v1: MigrationDefinition;
  let v1copy: MigrationDefinition;
  let v2: MigrationDefinition;
  beforeAll(async () => {
    v1 = await definitionFrom(processLevelEventSubProcesses, 1);
    v1copy = await definitionFrom(processLevelEventSubProcesses, 2);
    v2 = await definitionFrom(renamed, 3);
  });

  it('a generated plan keeps the start triggers of the root (same records, target job definition)', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const plan = generateMigrationPlan(v1, v1copy);
    expect(plan.instructions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceActivityId: 'cancelStart', targetActivityId: 'cancelStart' }),
      ]),
    );

    const after = migrate(before, v1, v1copy, plan);

    expect(after.state.eventSubscriptions).toEqual(before.state.eventSubscriptions);
    const [job] = before.state.jobs;
    expect(after.state.jobs).toEqual([
      { ...job, jobDefinitionId: timerJobDefinitionId(v1copy.id, 'remindStart') },
    ]);
  });

  it('without a mapping for a start event its trigger is removed and the target’s created anew', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const after = migrate(before, v1, v2, planOf(v1, v2, [map('work')]));

    expect(after.waiting.subscriptions).toEqual([
      'message:Abort@cancelStart',
      'message:Info@infoStart',
      'signal:Stop@stopStart',
    ]);
    const oldIds = new Set(before.state.eventSubscriptions.map((s) => s.id));
    expect(after.state.eventSubscriptions.some((s) => oldIds.has(s.id))).toBe(false);
    expect(after.state.jobs).toEqual([
      expect.objectContaining({ activityId: 'remindStart', repeat: 'R2/PT1H' }),
    ]);

    after.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Abort' }, ctx));
    expect(after.outline).toBe(`esp:3:d3(cancelEsp(cleanUp))`);
  });

  it('keeps a mapped trigger, or updates it from the target with updateEventTrigger', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const subscription = before.state.eventSubscriptions.find((s) => s.activityId === 'cancelStart')!;

    const kept = migrate(before, v1, v2, planOf(v1, v2, [map('work'), map('cancelStart')]));
    expect(kept.state.eventSubscriptions).toContainEqual(subscription);

    const updated = migrate(
      before,
      v1,
      v2,
      planOf(v1, v2, [map('work'), map('cancelStart', 'cancelStart', true)]),
    );
    expect(updated.state.eventSubscriptions).toContainEqual({ ...subscription, eventName: 'Abort' });
  });

  it('migrates an active event sub-process instance with its id', () => {
    const before = new Scenario(v1.model, v1.id).start();
    before.step((m, s, ctx) => correlateMessage(m, s, { messageName: 'Info' }, ctx));
    const esp = instanceOf(before.state, 'infoEsp');

    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));

    expect(after.outline).toBe('esp:3:d3(infoEsp(readInfo), work)');
    expect(instanceOf(after.state, 'infoEsp')).toEqual({ ...esp });
    after.completeTask('readInfo');
    after.completeTask('work');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('instantiates an event sub-process around a task mapped into it', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const after = migrate(before, v1, v2, planOf(v1, v2, [map('work', 'cleanUp')]));
    expect(after.outline).toBe('esp:3:d3(cancelEsp(cleanUp))');
    after.completeTask('cleanUp');
    expect(after.state.state).toBe('COMPLETED');
  });

  it('reports start events of another type and boundary events of another kind', async () => {
    const timerFirst = await definitionFrom(
      processLevelEventSubProcesses.replace(
        '<startEvent id="cancelStart"><messageEventDefinition messageRef="m_cancel" /></startEvent>',
        '<startEvent id="cancelStart"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></startEvent>',
      ),
      4,
    );
    const report = validateMigrationPlan(
      v1,
      timerFirst,
      planOf(v1, timerFirst, [map('work'), map('cancelStart')]),
    );
    expect(report.instructionReports.map((r) => r.failures)).toEqual([
      ['Events are not of the same type (messageStartEvent != startTimerEvent)'],
    ]);

    const errors = await definitionFrom(boundaries('error'), 1);
    const escalations = await definitionFrom(boundaries('escalation'), 2);
    const kinds = validateMigrationPlan(
      errors,
      escalations,
      planOf(errors, escalations, [map('work'), map('caught')]),
    );
    expect(kinds.instructionReports.map((r) => r.failures)).toEqual([
      ['Events are not of the same type (boundaryError != boundaryEscalation)'],
    ]);
    expect(generateMigrationPlan(errors, escalations).instructions).toEqual([map('work')]);

    const errorsAgain = await definitionFrom(boundaries('error'), 3);
    const update = validateMigrationPlan(
      errors,
      errorsAgain,
      planOf(errors, errorsAgain, [map('work'), map('caught', 'caught', true)]),
    );
    expect(update.instructionReports.map((r) => r.failures)).toEqual([
      ['Cannot update event trigger because the activity does not define a persistent event trigger'],
    ]);
  });

  it('start before in the migrated instance still finds the target’s event sub-processes', () => {
    const before = new Scenario(v1.model, v1.id).start();
    const after = migrate(before, v1, v2, generateMigrationPlan(v1, v2));
    after.step((m, s, ctx) =>
      modifyInstance(
        m,
        s,
        { instructions: [{ type: 'startBeforeActivity', activityId: 'cancelStart' }] },
        ctx,
      ),
    );
    expect(after.outline).toBe('esp:3:d3(cancelEsp(cleanUp))');
  });
});
