/** `migrate` and `modify`: synchronously, or as a batch (`--async`) followed with `--watch`. */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { reportBatch, type CommandContext, type ExitCode } from './context';
import { describeDefinition, resolveDefinition } from './definitions';
import { UsageError } from './output';

interface MigrationPlanDto {
  readonly sourceProcessDefinitionId: string;
  readonly targetProcessDefinitionId: string;
  readonly instructions: readonly {
    readonly sourceActivityIds: readonly string[];
    readonly targetActivityIds: readonly string[];
  }[];
}

interface ValidationReportDto {
  readonly instructionReports: readonly {
    readonly instruction: { readonly sourceActivityIds: readonly string[] };
    readonly failures: readonly string[];
  }[];
  readonly variableReports?: Readonly<Record<string, { readonly failures: readonly string[] }>>;
}

interface BatchDto {
  readonly id: string;
  readonly type: string;
}

/** A JSON option's value, or a usage error naming the option. */
export const json =
  (option: string) =>
  (text: string): Record<string, unknown> => {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // answered below
    }
    throw new InvalidArgumentError(`${option} must be a JSON object`);
  };

/**
 * One modification instruction: `type:id` (`cancel:task`, `startBeforeActivity:task`,
 * `startAfterActivity:task`, `startTransition:flow`) or a JSON instruction object.
 */
export function parseInstruction(
  text: string,
  previous: Record<string, unknown>[] = [],
): Record<string, unknown>[] {
  if (text.trimStart().startsWith('{')) return [...previous, json('--instruction')(text)];
  const match = /^(cancel|startBeforeActivity|startAfterActivity|startTransition):(.+)$/.exec(text);
  if (match === null) {
    throw new InvalidArgumentError(
      `'${text}' is not an instruction: use cancel:<activityId>, startBeforeActivity:<activityId>, startAfterActivity:<activityId>, startTransition:<flowId> or a JSON object`,
    );
  }
  const [, type, id] = match;
  const key = type === 'startTransition' ? 'transitionId' : 'activityId';
  return [...previous, { type, [key]: id }];
}

interface SharedOptions {
  readonly where?: Record<string, unknown>;
  readonly async?: boolean;
  readonly watch?: boolean;
  readonly skipCustomListeners?: boolean;
  readonly skipIoMappings?: boolean;
}

/** How many instances a query selects, said before anything changes. */
async function countSelected(context: CommandContext, query: Record<string, unknown>): Promise<number> {
  const { count } = await context.client.post<{ count: number }>('/process-instance/count', query);
  return count;
}

function validationFailures(report: ValidationReportDto): string[] {
  return [
    ...report.instructionReports.flatMap((entry) =>
      entry.failures.map((failure) => `${entry.instruction.sourceActivityIds.join(',')}: ${failure}`),
    ),
    ...Object.entries(report.variableReports ?? {}).flatMap(([name, entry]) =>
      entry.failures.map((failure) => `variable ${name}: ${failure}`),
    ),
  ];
}

export function operationCommands(
  program: Command,
  run: (action: (context: CommandContext) => Promise<ExitCode>) => Promise<void>,
): void {
  program
    .command('migrate')
    .description('migrate instances from one process definition to another')
    .requiredOption('--from <definition>', 'source: key:version, key (latest) or id')
    .requiredOption('--to <definition>', 'target: key:version, key (latest) or id')
    .option('--generate', 'generate the migration plan from the two definitions (the default)')
    .option('--plan <file>', 'use this migration plan (JSON) instead of generating one')
    .option('--print-plan', 'print the plan (JSON) and stop')
    .option(
      '--where <query>',
      'processInstanceQuery (JSON); default: every instance of the source',
      json('--where'),
    )
    .option('--update-event-triggers', 'generate the plan with updateEventTrigger')
    .option('--validate-only', 'validate the plan and count the instances, change nothing')
    .option('--async', 'run as a batch')
    .option('--watch', 'with --async: follow the batch to its end')
    .option('--skip-custom-listeners', 'skipCustomListeners')
    .option('--skip-io-mappings', 'skipIoMappings')
    .action(
      (
        options: SharedOptions & {
          from: string;
          to: string;
          generate?: boolean;
          plan?: string;
          printPlan?: boolean;
          updateEventTriggers?: boolean;
          validateOnly?: boolean;
        },
      ) =>
        run(async (context) => {
          const { client, out } = context;
          const [source, target] = await Promise.all([
            resolveDefinition(client, options.from),
            resolveDefinition(client, options.to),
          ]);
          if (options.generate === true && options.plan !== undefined) {
            throw new UsageError('--generate and --plan exclude each other');
          }
          const plan =
            options.plan === undefined
              ? await client.post<MigrationPlanDto>('/migration/generate', {
                  sourceProcessDefinitionId: source.id,
                  targetProcessDefinitionId: target.id,
                  updateEventTriggers: options.updateEventTriggers === true,
                })
              : (JSON.parse(await readFile(options.plan, 'utf8')) as MigrationPlanDto);
          if (options.printPlan === true) {
            context.out.io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
            return 0;
          }
          const failures = validationFailures(
            await client.post<ValidationReportDto>('/migration/validate', plan),
          );
          if (failures.length > 0) {
            out.result({ valid: false, failures }, [
              'The migration plan is not valid:',
              ...failures.map((f) => `  ${f}`),
            ]);
            return 1;
          }
          const query = options.where ?? { processDefinitionId: source.id };
          const count = await countSelected(context, query);
          const summary = `${count} instance(s) from ${describeDefinition(source)} to ${describeDefinition(target)}`;
          if (options.validateOnly === true) {
            out.result({ valid: true, instances: count, plan }, [
              `The plan is valid; it would migrate ${summary}`,
            ]);
            return 0;
          }
          const body = {
            migrationPlan: plan,
            processInstanceQuery: query,
            skipCustomListeners: options.skipCustomListeners === true,
            skipIoMappings: options.skipIoMappings === true,
          };
          if (options.async === true) {
            const batch = await client.post<BatchDto>('/migration/executeAsync', body);
            return reportBatch(context, batch, options.watch === true, `Migrating ${summary}`);
          }
          await client.post('/migration/execute', body);
          out.result({ migrated: count }, [`Migrated ${summary}`]);
          return 0;
        }),
    );

  program
    .command('modify')
    .description('modify where instances of a process definition stand')
    .requiredOption('--definition <definition>', 'key:version, key (latest) or id')
    .requiredOption(
      '--instruction <instruction>',
      'cancel:<activityId>, startBeforeActivity:<activityId>, startAfterActivity:<activityId>, startTransition:<flowId> or JSON (repeatable, in order)',
      parseInstruction,
    )
    .option(
      '--where <query>',
      'processInstanceQuery (JSON); default: every instance of the definition',
      json('--where'),
    )
    .option('--annotation <text>', 'annotation for the operation log')
    .option('--async', 'run as a batch')
    .option('--watch', 'with --async: follow the batch to its end')
    .option('--skip-custom-listeners', 'skipCustomListeners')
    .option('--skip-io-mappings', 'skipIoMappings')
    .action(
      (
        options: SharedOptions & {
          definition: string;
          instruction: Record<string, unknown>[];
          annotation?: string;
        },
      ) =>
        run(async (context) => {
          const { client, out } = context;
          const definition = await resolveDefinition(client, options.definition);
          const query = options.where ?? { processDefinitionId: definition.id };
          const count = await countSelected(context, query);
          const body = {
            processDefinitionId: definition.id,
            instructions: options.instruction,
            processInstanceQuery: query,
            skipCustomListeners: options.skipCustomListeners === true,
            skipIoMappings: options.skipIoMappings === true,
            ...(options.annotation === undefined ? {} : { annotation: options.annotation }),
          };
          const summary = `${count} instance(s) of ${describeDefinition(definition)}`;
          if (options.async === true) {
            const batch = await client.post<BatchDto>('/modification/executeAsync', body);
            return reportBatch(context, batch, options.watch === true, `Modifying ${summary}`);
          }
          await client.post('/modification/execute', body);
          out.result({ modified: count }, [`Modified ${summary}`]);
          return 0;
        }),
    );
}
