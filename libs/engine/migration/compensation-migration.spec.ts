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

describe('migrating compensation', () => {
  it('reports a compensate subscription whose boundary event has no instruction on the root', async () => {
    const [v1, v2] = [
      await definitionFrom(oneCompensationTask(), 1),
      await definitionFrom(oneCompensationTask(), 2),
    ];
    const scenario = new Scenario(v1.model, v1.id).start().completeTask('userTask1');
    const report = validateMigratingInstance(
      v1,
      v2,
      plan(v1, v2, [['userTask2', 'userTask2']]),
      scenario.state,
    );
    expect(report.activityInstanceValidationReports).toEqual([
      {
        migrationInstruction: null,
        activityInstanceId: scenario.state.id,
        sourceScopeId: v1.id,
        failures: [
          "Cannot migrate subscription for compensation handler 'compensationHandler'. There is no migration instruction for the compensation boundary event",
        ],
      },
    ]);
  });

  it('migrates the subscription with its boundary event, which can then be compensated', async () => {
    const v1 = await definitionFrom(oneCompensationTask(), 1);
    const v2 = await definitionFrom(oneCompensationTask('newCompensationBoundary'), 2);
    const scenario = new Scenario(v1.model, v1.id).start().completeTask('userTask1');
    const subscription = scenario.state.eventSubscriptions[0]!;
    const migrated = scenario.continueOn(
      v2.model,
      v2.id,
      migrateInstance(
        v1,
        v2,
        plan(v1, v2, [
          ['userTask2', 'userTask2'],
          ['compensationBoundary', 'newCompensationBoundary'],
        ]),
        scenario.state,
        scenario.ctx,
      ),
    );
    expect(migrated.state.eventSubscriptions).toEqual([subscription]);
    migrated.completeTask('userTask2');
    expect(migrated.outline).toBe(`${v2.id}(compensationEvent, compensationHandler)`);
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
    const v1 = await definitionFrom(compensationSubProcess(), 1);
    const v2 = await definitionFrom(compensationSubProcess('newSubProcess'), 2);
    const scenario = new Scenario(v1.model, v1.id).start().completeTask('userTask1');
    const migrated = scenario.continueOn(
      v2.model,
      v2.id,
      migrateInstance(
        v1,
        v2,
        plan(v1, v2, [
          ['userTask2', 'userTask2'],
          ['subProcess', 'newSubProcess'],
          ['compensationBoundary', 'compensationBoundary'],
        ]),
        scenario.state,
        scenario.ctx,
      ),
    );
    expect(migrated.state.eventScopes.map((s) => s.activityId)).toEqual(['newSubProcess']);
    expect(migrated.state.eventSubscriptions.map((s) => s.activityId).sort()).toEqual([
      'compensationHandler',
      'newSubProcess',
    ]);
    migrated.completeTask('userTask2');
    expect(migrated.outline).toBe(`${v2.id}(compensationEvent, newSubProcess(compensationHandler))`);
  });

  it('reports a snapshot whose sub-process and boundary event are unmapped', async () => {
    const [v1, v2] = [
      await definitionFrom(compensationSubProcess(), 1),
      await definitionFrom(compensationSubProcess(), 2),
    ];
    const scenario = new Scenario(v1.model, v1.id).start().completeTask('userTask1');
    const report = validateMigratingInstance(
      v1,
      v2,
      plan(v1, v2, [['userTask2', 'userTask2']]),
      scenario.state,
    );
    expect(report.activityInstanceValidationReports[0]?.failures).toEqual([
      "Cannot migrate subscription for compensation handler 'compensationHandler'. There is no migration instruction for the compensation boundary event",
    ]);
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
