import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateMigrationPlan,
  MigratingProcessInstanceValidationException,
  migrateInstance,
  ProcessEngineException,
  cancelInstance,
  validateMigratingInstance,
  type MigrationDefinition,
  type MigrationPlan,
} from '../index';
import { definitionFrom, instanceOf, Scenario } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');

describe('validating an instance for migration', () => {
  let fork1: MigrationDefinition;
  let fork2: MigrationDefinition;
  let review1: MigrationDefinition;
  let review2: MigrationDefinition;
  beforeAll(async () => {
    fork1 = await definitionFrom(fixture('fork-v1.bpmn'), 1);
    fork2 = await definitionFrom(fixture('fork-v2.bpmn'), 2);
    review1 = await definitionFrom(fixture('review-v1.bpmn'), 1);
    review2 = await definitionFrom(fixture('review-v2.bpmn'), 2);
  });
  const emptyPlan = (source: MigrationDefinition, target: MigrationDefinition): MigrationPlan => ({
    sourceProcessDefinitionId: source.id,
    targetProcessDefinitionId: target.id,
    instructions: [],
  });

  it('names the activity instance of a parallel branch that has no instruction', () => {
    const scenario = new Scenario(fork1.model, fork1.id).start();
    const taskB = instanceOf(scenario.state, 'taskB').id;

    const report = validateMigratingInstance(
      fork1,
      fork2,
      generateMigrationPlan(fork1, fork2),
      scenario.state,
    );

    expect(report).toEqual({
      processInstanceId: scenario.state.id,
      failures: [],
      activityInstanceValidationReports: [
        {
          migrationInstruction: null,
          activityInstanceId: taskB,
          sourceScopeId: 'taskB',
          failures: ["There is no migration instruction for this instance's activity"],
        },
      ],
      transitionInstanceValidationReports: [],
    });
  });

  it('refuses the migration with MigratingProcessInstanceValidationException and the ENGINE-23004 message', () => {
    const scenario = new Scenario(fork1.model, fork1.id).start();
    const taskB = instanceOf(scenario.state, 'taskB').id;
    let caught: unknown;
    try {
      migrateInstance(fork1, fork2, generateMigrationPlan(fork1, fork2), scenario.state, scenario.ctx);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(MigratingProcessInstanceValidationException);
    const exception = caught as MigratingProcessInstanceValidationException;
    expect(exception.message).toBe(
      `ENGINE-23004 Cannot migrate process instance '${scenario.state.id}':\n` +
        `\tCannot migrate activity instance '${taskB}':\n` +
        "\t\tThere is no migration instruction for this instance's activity\n",
    );
    expect(exception.extensions).toEqual({ validationReport: exception.validationReport });
    expect(exception.type).toBe('MigratingProcessInstanceValidationException');
  });

  it('reports the instruction that applies to a failing instance', () => {
    const scenario = new Scenario(review1.model, review1.id).start();
    // Models in which the waiting activity is a plain task, a kind whose instances cannot migrate.
    const asPlainTask = (definition: MigrationDefinition, id: string): MigrationDefinition => {
      const nodes = new Map(definition.model.nodes);
      nodes.set(id, { ...nodes.get(id)!, kind: 'task', elementType: 'task' } as never);
      return { ...definition, model: { ...definition.model, nodes } };
    };
    const plan: MigrationPlan = {
      ...emptyPlan(review1, review2),
      instructions: [{ sourceActivityId: 'check', targetActivityId: 'verify' }],
    };

    const report = validateMigratingInstance(
      asPlainTask(review1, 'check'),
      asPlainTask(review2, 'verify'),
      plan,
      scenario.state,
    );

    expect(report.activityInstanceValidationReports).toEqual([
      {
        migrationInstruction: {
          sourceActivityIds: ['check'],
          targetActivityIds: ['verify'],
          updateEventTrigger: false,
        },
        activityInstanceId: instanceOf(scenario.state, 'check').id,
        sourceScopeId: 'check',
        failures: ['The type of the source activity is not supported for activity instance migration'],
      },
    ]);
  });

  it('allows a scope instance without instruction but not its unmapped leaf', () => {
    const scenario = new Scenario(review1.model, review1.id).start();

    const report = validateMigratingInstance(review1, review2, emptyPlan(review1, review2), scenario.state);

    expect(report.activityInstanceValidationReports.map((r) => r.sourceScopeId)).toEqual(['check']);
  });

  it('reports records that belong to no activity instance', () => {
    const scenario = new Scenario(review1.model, review1.id).start();
    const state = {
      ...scenario.state,
      tasks: scenario.state.tasks.map((task) => ({ ...task, activityInstanceId: 'gone:1' })),
    };
    const plan = {
      ...emptyPlan(review1, review2),
      instructions: [{ sourceActivityId: 'check', targetActivityId: 'verify' }],
    };

    const report = validateMigratingInstance(review1, review2, plan, state);

    expect(report.failures).toEqual([
      `Process instance contains not migrated tasks: [${state.tasks[0]!.id}]`,
    ]);
  });

  it('refuses ended instances, instances of other definitions and of other tenants', () => {
    const scenario = new Scenario(fork1.model, fork1.id).start();
    const plan = emptyPlan(fork1, fork2);
    const { state } = scenario;
    const ended = cancelInstance(fork1.model, state, {}, scenario.ctx).state;

    expect(() => validateMigratingInstance(fork1, fork2, plan, ended)).toThrow(
      new ProcessEngineException(
        `ENGINE-23003 Process instance '${state.id}' cannot be migrated. The process instance does not exist`,
      ),
    );
    expect(() =>
      validateMigratingInstance(fork1, fork2, plan, { ...state, definitionId: 'fork:7:x' }),
    ).toThrow(
      new ProcessEngineException(
        `ENGINE-23002 Process instance '${state.id}' cannot be migrated. Its process definition 'fork:7:x' does not match the source process definition of the migration plan 'fork:1:d1'`,
      ),
    );
    const tenantTarget = { ...fork2, tenantId: 'acme' };
    expect(() => validateMigratingInstance(fork1, tenantTarget, plan, state)).toThrow(
      new ProcessEngineException(
        `ENGINE-23010 Cannot migrate process instance '${state.id}' without tenant to a process definition with a tenant ('acme')`,
      ),
    );
    expect(() =>
      validateMigratingInstance(fork1, tenantTarget, plan, { ...state, tenantId: 'other' }),
    ).toThrow(
      new ProcessEngineException(
        `ENGINE-23010 Cannot migrate process instance '${state.id}' to a process definition of a different tenant ('other' != 'acme')`,
      ),
    );
  });
});
