import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BadUserRequestException,
  compileMigrationPlan,
  InvalidVariableValueException,
  MigrationPlanValidationException,
  ProcessEngineException,
  validateMigrationPlan,
  type MigrationDefinition,
  type MigrationInstruction,
  type MigrationPlan,
} from '../index';
import { definitionFrom } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');

describe('validating a migration plan', () => {
  let v1: MigrationDefinition;
  let v2: MigrationDefinition;
  beforeAll(async () => {
    v1 = await definitionFrom(fixture('rules-v1.bpmn'), 1);
    v2 = await definitionFrom(fixture('rules-v2.bpmn'), 2);
  });

  const plan = (
    instructions: MigrationInstruction[],
    variables?: MigrationPlan['variables'],
  ): MigrationPlan => ({
    sourceProcessDefinitionId: v1.id,
    targetProcessDefinitionId: v2.id,
    instructions,
    variables,
  });
  const map = (
    sourceActivityId: string | null,
    targetActivityId: string | null,
    updateEventTrigger = false,
  ) => ({
    sourceActivityId,
    targetActivityId,
    updateEventTrigger,
  });
  /** The failures per failing instruction, keyed `source->target`. */
  const failuresOf = (...instructions: MigrationInstruction[]) =>
    Object.fromEntries(
      validateMigrationPlan(v1, v2, plan(instructions)).instructionReports.map((r) => [
        `${r.instruction.sourceActivityIds[0]}->${r.instruction.targetActivityIds[0]}`,
        r.failures,
      ]),
    );

  it('reports a valid plan as empty, including external tasks of different element types', () => {
    const report = validateMigrationPlan(
      v1,
      v2,
      plan([map('approve', 'approve'), map('deadline', 'deadline', true), map('charge', 'charge')]),
    );

    expect(report).toEqual({ instructionReports: [], variableReports: {} });
  });

  it('reports activities that do not exist or ids that are missing', () => {
    const report = validateMigrationPlan(v1, v2, plan([map('nope', 'missing'), map(null, null)]));

    expect(report.instructionReports).toEqual([
      {
        instruction: {
          sourceActivityIds: ['nope'],
          targetActivityIds: ['missing'],
          updateEventTrigger: false,
        },
        failures: ["Source activity 'nope' does not exist", "Target activity 'missing' does not exist"],
      },
      {
        instruction: { sourceActivityIds: [null], targetActivityIds: [null], updateEventTrigger: false },
        failures: ['Source activity id is null', 'Target activity id is null'],
      },
    ]);
  });

  it('refuses activities of incompatible types', () => {
    expect(failuresOf(map('approve', 'receive'))).toEqual({
      'approve->receive': [
        'Activities have incompatible types (UserTaskActivityBehavior is not compatible with ReceiveTaskActivityBehavior)',
      ],
    });
  });

  it('refuses events of different types, for boundary and intermediate catch events', () => {
    expect(failuresOf(map('approve', 'approve'), map('deadline', 'ping'))).toEqual({
      'deadline->ping': ['Events are not of the same type (boundaryTimer != boundaryMessage)'],
    });
    expect(failuresOf(map('sub', 'sub'), map('wake', 'wake'))).toEqual({
      'wake->wake': ['Events are not of the same type (intermediateMessageCatch != intermediateTimer)'],
    });
  });

  it('refuses a boundary event whose host is not migrated to the new host', () => {
    expect(failuresOf(map('approve', 'approve'), map('deadline', 'otherDeadline'))).toEqual({
      'deadline->otherDeadline': [
        "The source activity's event scope (approve) must be mapped to the target activity's event scope (other)",
      ],
    });
    expect(failuresOf(map('deadline', 'deadline'))).toEqual({
      'deadline->deadline': [
        "The source activity's event scope (approve) must be mapped to the target activity's event scope (approve)",
      ],
    });
  });

  it('refuses more than one instruction for a source activity', () => {
    const failure =
      "There are multiple mappings for source activity id 'approve': " +
      'ValidatingMigrationInstructionImpl{sourceActivity=Activity(approve), targetActivity=Activity(approve)}, ' +
      'ValidatingMigrationInstructionImpl{sourceActivity=Activity(approve), targetActivity=Activity(other)}';

    expect(failuresOf(map('approve', 'approve'), map('approve', 'other'))).toEqual({
      'approve->approve': [failure],
      'approve->other': [failure],
    });
  });

  it('applies the gateway rules to joining gateways', () => {
    expect(failuresOf(map('join', 'join'))).toEqual({
      'join->join': [
        'The target gateway must have at least the same number of incoming sequence flows that the source gateway has',
      ],
    });
    expect(failuresOf(map('subJoin', 'subJoin'))).toEqual({
      'subJoin->subJoin': ["The gateway's flow scope 'sub' must be mapped"],
    });
    expect(failuresOf(map('sub', 'sub'), map('subJoin', 'subJoin'), map('subSplit', 'subJoin'))).toEqual({
      'subJoin->subJoin': ["Only one gateway can be mapped to gateway 'subJoin'"],
      'subSplit->subJoin': ["Only one gateway can be mapped to gateway 'subJoin'"],
    });
  });

  it('allows updateEventTrigger only for elements with a persistent event trigger', () => {
    expect(failuresOf(map('approve', 'approve', true))).toEqual({
      'approve->approve': [
        'Cannot update event trigger because the activity does not define a persistent event trigger',
      ],
    });
  });

  it('preserves the hierarchy: the closest mapped ancestor must map to an ancestor of the target', () => {
    expect(failuresOf(map('sub', 'otherSub'), map('subTask', 'subTask'))).toEqual({
      'subTask->subTask': [
        "The closest mapped ancestor 'sub' is mapped to scope 'otherSub' which is not an ancestor of target scope 'subTask'",
      ],
    });
    // Without a mapped ancestor, an activity may move into another scope.
    expect(failuresOf(map('approve', 'subTask'))).toEqual({});
  });

  it('reports Java serialized variables and refuses values that do not convert', () => {
    const blob = {
      type: 'Object',
      value: 'rO0ABXNy',
      valueInfo: {
        objectTypeName: 'java.util.ArrayList',
        serializationDataFormat: 'application/x-java-serialized-object',
      },
    };
    const report = validateMigrationPlan(v1, v2, plan([], { blob, ok: { type: 'Integer', value: 3 } }));

    expect(report).toEqual({
      instructionReports: [],
      variableReports: {
        blob: {
          ...blob,
          failures: ['Cannot set variable with name blob. Java serialization format is prohibited'],
        },
      },
    });
    expect(() => validateMigrationPlan(v1, v2, plan([], { f: { type: 'File', value: 'x' } }))).toThrow(
      new InvalidVariableValueException("Unsupported value type 'File'"),
    );
  });

  it('throws the plan report as MigrationPlanValidationException with the ENGINE-23001 message', () => {
    const invalid = plan([map('approve', 'receive'), map('deadline', 'ping'), map('charge', 'charge')], {
      blob: {
        type: 'Object',
        value: 'x',
        valueInfo: { serializationDataFormat: 'application/x-java-serialized-object' },
      },
    });

    let caught: unknown;
    try {
      compileMigrationPlan(v1, v2, invalid);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(MigrationPlanValidationException);
    expect(caught).toBeInstanceOf(BadUserRequestException);
    const exception = caught as MigrationPlanValidationException;
    expect(exception.type).toBe('MigrationPlanValidationException');
    expect(exception.message).toBe(
      "ENGINE-23001 Migration plan for process definition 'rules:1:d1' to 'rules:2:d2' is not valid:\n" +
        "\t Migration instruction MigrationInstructionImpl{sourceActivityId='approve', targetActivityId='receive', updateEventTrigger='false'} is not valid:\n" +
        '\t\tActivities have incompatible types (UserTaskActivityBehavior is not compatible with ReceiveTaskActivityBehavior)\n' +
        "\t Migration instruction MigrationInstructionImpl{sourceActivityId='deadline', targetActivityId='ping', updateEventTrigger='false'} is not valid:\n" +
        '\t\tEvents are not of the same type (boundaryTimer != boundaryMessage)\n' +
        "\t\tThe source activity's event scope (approve) must be mapped to the target activity's event scope (approve)\n" +
        '\t Migration variable blob is not valid:\n' +
        '\t\tCannot set variable with name blob. Java serialization format is prohibited\n',
    );
    expect(exception.extensions).toEqual({ validationReport: exception.validationReport });
    expect(exception.validationReport.instructionReports).toHaveLength(2);
  });

  it('refuses a plan that names other definitions', () => {
    expect(() =>
      validateMigrationPlan(v1, v2, { ...plan([]), targetProcessDefinitionId: 'rules:9:x' }),
    ).toThrow(ProcessEngineException);
  });
});
