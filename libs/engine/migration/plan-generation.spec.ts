import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  generateMigrationPlan,
  MigrationPlanValidationException,
  migrationPlanDto,
  ProcessEngineException,
  type MigrationDefinition,
  type MigrationPlan,
} from '../index';
import { definitionFrom } from '../testing/engine-harness';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'migration', name), 'utf8');
const pair = async (name: string): Promise<[MigrationDefinition, MigrationDefinition]> => [
  await definitionFrom(fixture(`${name}-v1.bpmn`), 1),
  await definitionFrom(fixture(`${name}-v2.bpmn`), 2),
];
const mappings = (plan: MigrationPlan) =>
  plan.instructions.map(
    (i) => `${i.sourceActivityId}->${i.targetActivityId}${i.updateEventTrigger === true ? ' (update)' : ''}`,
  );

describe('generating a migration plan', () => {
  it('maps activities with the same id and a compatible type', async () => {
    const [v1, v2] = await pair('approval');

    const plan = generateMigrationPlan(v1, v2);

    expect(migrationPlanDto(plan)).toEqual({
      sourceProcessDefinitionId: 'approval:1:d1',
      targetProcessDefinitionId: 'approval:2:d2',
      instructions: [
        { sourceActivityIds: ['approve'], targetActivityIds: ['approve'], updateEventTrigger: false },
      ],
      variables: null,
    });
  });

  it('maps boundary events with their host and skips events, gateways and tasks that cannot wait', async () => {
    const [v1, v2] = await pair('deadline');

    expect(mappings(generateMigrationPlan(v1, v2))).toEqual([
      'work->work',
      'timeout->timeout',
      'escalate->escalate',
    ]);
  });

  it('sets updateEventTrigger only on elements with a persistent event trigger when asked to', async () => {
    const [v1, v2] = await pair('deadline');

    expect(mappings(generateMigrationPlan(v1, v2, { updateEventTriggers: true }))).toEqual([
      'work->work',
      'timeout->timeout (update)',
      'escalate->escalate',
    ]);
  });

  it('maps scope by scope: inside a mapped sub-process, but not across scopes', async () => {
    const [review1, review2] = await pair('review');
    const [shipping1, shipping2] = await pair('shipping');

    expect(mappings(generateMigrationPlan(review1, review2))).toEqual(['reviewing->reviewing']);
    expect(mappings(generateMigrationPlan(shipping1, shipping2))).toEqual(['ship->ship']);
  });

  it('generates nothing inside a sub-process whose id changed', async () => {
    const [v1] = await pair('review');
    const renamed = await definitionFrom(fixture('review-v1.bpmn').replaceAll('reviewing', 'checking'), 2);

    expect(generateMigrationPlan(v1, renamed).instructions).toEqual([]);
  });

  it('silently drops generated instructions that would not validate', async () => {
    const [v1, v2] = await pair('rules');

    // join: fewer incoming flows in v2; wake: message catch became a timer catch.
    expect(mappings(generateMigrationPlan(v1, v2))).toEqual([
      'split->split',
      'approve->approve',
      'deadline->deadline',
      'sub->sub',
      'charge->charge',
      'subSplit->subSplit',
      'subTask->subTask',
      'subJoin->subJoin',
    ]);
  });

  it('echoes valid variables and rejects Java serialized ones with the plan report', async () => {
    const [v1, v2] = await pair('approval');
    const migratedBy = { type: 'String', value: 'ops' };
    const blob = {
      type: 'Object',
      value: 'rO0ABXNy',
      valueInfo: {
        objectTypeName: 'java.util.ArrayList',
        serializationDataFormat: 'application/x-java-serialized-object',
      },
    };

    expect(generateMigrationPlan(v1, v2, { variables: { migratedBy } }).variables).toEqual({ migratedBy });
    const attempt = () => generateMigrationPlan(v1, v2, { variables: { blob } });
    expect(attempt).toThrow(MigrationPlanValidationException);
    expect(attempt).toThrow(
      "ENGINE-23001 Migration plan for process definition 'approval:1:d1' to 'approval:2:d2' is not valid:\n" +
        '\t Migration variable blob is not valid:\n' +
        '\t\tCannot set variable with name blob. Java serialization format is prohibited\n',
    );
  });

  it('refuses definitions of different tenants', async () => {
    const [v1, v2] = await pair('approval');

    expect(() => generateMigrationPlan({ ...v1, tenantId: 'a' }, { ...v2, tenantId: 'b' })).toThrow(
      new ProcessEngineException(
        "ENGINE-2309 Cannot migrate process instances between processes of different tenants ('a' != 'b')",
      ),
    );
    expect(generateMigrationPlan({ ...v1, tenantId: 'a' }, v2).instructions).toHaveLength(1);
  });
});
