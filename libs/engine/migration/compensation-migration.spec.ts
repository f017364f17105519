import {
  generateMigrationPlan,
  migrateInstance,
  validateMigratingInstance,
  type MigrationDefinition,
  type MigrationPlan,
} from '../index';
import { bpmnDefinitions, definitionFrom, Scenario } from '../testing/engine-harness';

/** userTask1 (compensable by `compensationHandler`) → userTask2 → compensation throw → end. */
const oneCompensationTask = (boundaryId = 'compensationBoundary') =>
  bpmnDefinitions(`
  <process id="compensation" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="userTask1" />
    <userTask id="userTask1" />
    <boundaryEvent id="${boundaryId}" attachedToRef="userTask1"><compensateEventDefinition /></boundaryEvent>
    <userTask id="compensationHandler" isForCompensation="true" />
    <association sourceRef="${boundaryId}" targetRef="compensationHandler" />
    <sequenceFlow id="f2" sourceRef="userTask1" targetRef="userTask2" />
    <userTask id="userTask2" />
    <sequenceFlow id="f3" sourceRef="userTask2" targetRef="compensationEvent" />
    <intermediateThrowEvent id="compensationEvent"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f4" sourceRef="compensationEvent" targetRef="end" />
    <endEvent id="end" />
  </process>`);

/** A sub-process with userTask1 (compensable) completes, then userTask2 waits before the throw. */
const compensationSubProcess = (subProcessId = 'subProcess') =>
  bpmnDefinitions(`
  <process id="compensation" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="${subProcessId}" />
    <subProcess id="${subProcessId}">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="userTask1" />
      <userTask id="userTask1" />
      <boundaryEvent id="compensationBoundary" attachedToRef="userTask1"><compensateEventDefinition /></boundaryEvent>
      <userTask id="compensationHandler" isForCompensation="true" />
      <association sourceRef="compensationBoundary" targetRef="compensationHandler" />
      <sequenceFlow id="s2" sourceRef="userTask1" targetRef="subEnd" />
      <endEvent id="subEnd" />
    </subProcess>
    <sequenceFlow id="f2" sourceRef="${subProcessId}" targetRef="userTask2" />
    <userTask id="userTask2" />
    <sequenceFlow id="f3" sourceRef="userTask2" targetRef="compensationEvent" />
    <intermediateThrowEvent id="compensationEvent"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f4" sourceRef="compensationEvent" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const plan = (
  source: MigrationDefinition,
  target: MigrationDefinition,
  pairs: [string, string][],
): MigrationPlan => ({
  sourceProcessDefinitionId: source.id,
  targetProcessDefinitionId: target.id,
  instructions: pairs.map(([from, to]) => ({ sourceActivityId: from, targetActivityId: to })),
});

/** Deploys `v1` and `v2` and starts an instance on v1 that completed userTask1. */
const completedFirstTask = async (v1Xml: string, v2Xml: string) => {
  const v1 = await definitionFrom(v1Xml, 1);
  const v2 = await definitionFrom(v2Xml, 2);
  return { v1, v2, scenario: new Scenario(v1.model, v1.id).start().completeTask('userTask1') };
};
/** The instance report's activity-instance reports under a plan of `pairs`. */
const reportsFor = async (v1Xml: string, v2Xml: string, pairs: [string, string][]) => {
  const { v1, v2, scenario } = await completedFirstTask(v1Xml, v2Xml);
  const report = validateMigratingInstance(v1, v2, plan(v1, v2, pairs), scenario.state);
  return { v1, scenario, reports: report.activityInstanceValidationReports };
};
/** Migrates the instance with a plan of `pairs` and continues on v2. */
const migrated = async (v1Xml: string, v2Xml: string, pairs: [string, string][]) => {
  const { v1, v2, scenario } = await completedFirstTask(v1Xml, v2Xml);
  const result = migrateInstance(v1, v2, plan(v1, v2, pairs), scenario.state, scenario.ctx);
  return { v2, before: scenario.state, after: scenario.continueOn(v2.model, v2.id, result) };
};

const withEventSubProcess = bpmnDefinitions(`
  <process id="compensation" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="subProcess" />
    <subProcess id="subProcess">
      <startEvent id="subStart" />
      <sequenceFlow id="s1" sourceRef="subStart" targetRef="userTask1" />
      <userTask id="userTask1" />
      <sequenceFlow id="s2" sourceRef="userTask1" targetRef="subEnd" />
      <endEvent id="subEnd" />
      <subProcess id="eventSubProcess" triggeredByEvent="true">
        <startEvent id="eventSubProcessStart"><compensateEventDefinition /></startEvent>
        <sequenceFlow id="e1" sourceRef="eventSubProcessStart" targetRef="eventSubProcessTask" />
        <userTask id="eventSubProcessTask" />
        <sequenceFlow id="e2" sourceRef="eventSubProcessTask" targetRef="eventSubProcessEnd" />
        <endEvent id="eventSubProcessEnd" />
      </subProcess>
    </subProcess>
    <sequenceFlow id="f2" sourceRef="subProcess" targetRef="userTask2" />
    <userTask id="userTask2" />
    <sequenceFlow id="f3" sourceRef="userTask2" targetRef="compensationEvent" />
    <intermediateThrowEvent id="compensationEvent"><compensateEventDefinition /></intermediateThrowEvent>
    <sequenceFlow id="f4" sourceRef="compensationEvent" targetRef="end" />
    <endEvent id="end" />
  </process>`);

const BOUNDARY_MISSING =
  "Cannot migrate subscription for compensation handler 'compensationHandler'. There is no migration instruction for the compensation boundary event";

describe('migrating compensation', () => {
  it('reports a compensate subscription whose boundary event has no instruction on the root', async () => {
    const { v1, scenario, reports } = await reportsFor(oneCompensationTask(), oneCompensationTask(), [
      ['userTask2', 'userTask2'],
    ]);
    expect(reports).toEqual([
      {
        migrationInstruction: null,
        activityInstanceId: scenario.state.id,
        sourceScopeId: v1.id,
        failures: [BOUNDARY_MISSING],
      },
    ]);
  });

  it('migrates the subscription with its boundary event, which can then be compensated', async () => {
    const { v2, before, after } = await migrated(
      oneCompensationTask(),
      oneCompensationTask('newCompensationBoundary'),
      [
        ['userTask2', 'userTask2'],
        ['compensationBoundary', 'newCompensationBoundary'],
      ],
    );
    expect(after.state.eventSubscriptions).toEqual(before.eventSubscriptions);
    after.completeTask('userTask2');
    expect(after.outline).toBe(`${v2.id}(compensationEvent, compensationHandler)`);
  });

  it('generates instructions for compensation boundary events but never for handlers', async () => {
    const [v1, v2] = [
      await definitionFrom(oneCompensationTask(), 1),
      await definitionFrom(oneCompensationTask(), 2),
    ];
    const generated = generateMigrationPlan(v1, v2).instructions.map((i) => i.sourceActivityId);
    expect(generated).toContain('compensationBoundary');
    expect(generated).not.toContain('compensationHandler');
  });

  it('moves a snapshot with its mapped sub-process, variables and subscriptions kept', async () => {
    const { v2, after } = await migrated(compensationSubProcess(), compensationSubProcess('newSubProcess'), [
      ['userTask2', 'userTask2'],
      ['subProcess', 'newSubProcess'],
      ['compensationBoundary', 'compensationBoundary'],
    ]);
    expect(after.state.eventScopes.map((s) => s.activityId)).toEqual(['newSubProcess']);
    expect(after.state.eventSubscriptions.map((s) => s.activityId).sort()).toEqual([
      'compensationHandler',
      'newSubProcess',
    ]);
    after.completeTask('userTask2');
    expect(after.outline).toBe(`${v2.id}(compensationEvent, newSubProcess(compensationHandler))`);
  });

  it('hands the content of a snapshot whose sub-process is removed to its parent', async () => {
    const { v2, after } = await migrated(compensationSubProcess(), oneCompensationTask(), [
      ['userTask2', 'userTask2'],
      ['compensationBoundary', 'compensationBoundary'],
    ]);
    expect(after.state.eventScopes).toEqual([]);
    expect(after.state.eventSubscriptions.map((s) => [s.activityId, s.activityInstanceId])).toEqual([
      ['compensationHandler', after.state.id],
    ]);
    after.completeTask('userTask2');
    expect(after.outline).toBe(`${v2.id}(compensationEvent, compensationHandler)`);
  });

  it('reports a snapshot whose sub-process and boundary event are unmapped', async () => {
    const { reports } = await reportsFor(compensationSubProcess(), compensationSubProcess(), [
      ['userTask2', 'userTask2'],
    ]);
    expect(reports[0]?.failures).toEqual([BOUNDARY_MISSING]);
  });

  it('needs the compensation start event of a snapshot with a compensation event sub-process', async () => {
    const { reports } = await reportsFor(withEventSubProcess, withEventSubProcess, [
      ['userTask2', 'userTask2'],
      ['subProcess', 'subProcess'],
    ]);
    expect(reports[0]?.failures).toEqual([
      "Cannot migrate subscription for compensation handler 'eventSubProcess'. There is no migration instruction for the compensation start event",
    ]);
    const { v2, after } = await migrated(withEventSubProcess, withEventSubProcess, [
      ['userTask2', 'userTask2'],
      ['subProcess', 'subProcess'],
      ['eventSubProcessStart', 'eventSubProcessStart'],
    ]);
    after.completeTask('userTask2');
    expect(after.outline).toBe(
      `${v2.id}(compensationEvent, subProcess(eventSubProcess(eventSubProcessTask)))`,
    );
  });

  it('reports the hierarchy when the sub-process maps elsewhere than the boundary event', async () => {
    const [v1, v2] = [
      await definitionFrom(compensationSubProcess(), 1),
      await definitionFrom(oneCompensationTask(), 2),
    ];
    expect(() =>
      validateMigratingInstance(
        v1,
        v2,
        plan(v1, v2, [
          ['subProcess', 'userTask1'],
          ['compensationBoundary', 'compensationBoundary'],
        ]),
        new Scenario(v1.model, v1.id).start().state,
      ),
    ).toThrow(
      /The closest mapped ancestor 'subProcess' is mapped to scope 'userTask1' which is not an ancestor of target scope 'compensationBoundary'/,
    );
  });
});
