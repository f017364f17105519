/** `restart`: ended instances of a definition start anew, at once or as a batch (`--async`). */
import type { Command } from 'commander';
import { reportBatch, type CommandContext, type ExitCode } from './context';
import { describeDefinition, resolveDefinition } from './definitions';
import { json, parseInstruction } from './operation-commands';

interface RestartOptions {
  readonly definition: string;
  readonly instruction: Record<string, unknown>[];
  readonly where?: Record<string, unknown>;
  readonly initialVariables?: boolean;
  readonly withoutBusinessKey?: boolean;
  readonly async?: boolean;
  readonly watch?: boolean;
  readonly skipCustomListeners?: boolean;
  readonly skipIoMappings?: boolean;
}

export function restartCommand(
  program: Command,
  run: (action: (context: CommandContext) => Promise<ExitCode>) => Promise<void>,
): void {
  program
    .command('restart')
    .description('start ended instances of a process definition anew')
    .requiredOption('--definition <definition>', 'key:version, key (latest) or id')
    .requiredOption(
      '--instruction <instruction>',
      'startBeforeActivity:<activityId>, startAfterActivity:<activityId>, startTransition:<flowId> or JSON (repeatable, in order)',
      parseInstruction,
    )
    .option(
      '--where <query>',
      'historicProcessInstanceQuery (JSON); default: every ended instance of the definition',
      json('--where'),
    )
    .option('--initial-variables', 'with the variables each instance started with (default: its last ones)')
    .option('--without-business-key', 'do not take over the business keys')
    .option('--async', 'run as a batch')
    .option('--watch', 'with --async: follow the batch to its end')
    .option('--skip-custom-listeners', 'skipCustomListeners')
    .option('--skip-io-mappings', 'skipIoMappings')
    .action((options: RestartOptions) =>
      run(async (context) => {
        const { client, out } = context;
        const definition = await resolveDefinition(client, options.definition);
        const query = options.where ?? { processDefinitionId: definition.id, finished: true };
        const { count } = await client.post<{ count: number }>('/history/process-instance/count', query);
        const body = {
          historicProcessInstanceQuery: query,
          instructions: options.instruction,
          initialVariables: options.initialVariables === true,
          withoutBusinessKey: options.withoutBusinessKey === true,
          skipCustomListeners: options.skipCustomListeners === true,
          skipIoMappings: options.skipIoMappings === true,
        };
        const summary = `${count} instance(s) of ${describeDefinition(definition)}`;
        const path = `/process-definition/${encodeURIComponent(definition.id)}`;
        if (options.async === true) {
          const batch = await client.post<{ id: string; type: string }>(`${path}/restart-async`, body);
          return reportBatch(context, batch, options.watch === true, `Restarting ${summary}`);
        }
        await client.post(`${path}/restart`, body);
        out.result({ restarted: count }, [`Restarted ${summary}`]);
        return 0;
      }),
    );
}
