/** `deploy` and `definitions`. */
import type { Command } from 'commander';
import type { CommandContext, ExitCode } from './context';
import { type DefinitionDto } from './definitions';
import { table } from './output';

interface DeploymentDto {
  readonly id: string;
  readonly name: string | null;
  readonly deployedProcessDefinitions: Readonly<Record<string, DefinitionDto>> | null;
}

interface DefinitionStatisticsDto {
  readonly id: string;
  readonly instances: number;
  readonly failedJobs: number;
  readonly definition: DefinitionDto;
}

export function definitionCommands(
  program: Command,
  run: (action: (context: CommandContext) => Promise<ExitCode>) => Promise<void>,
): void {
  program
    .command('deploy')
    .description('deploy BPMN files (one deployment)')
    .argument('<files...>', 'BPMN files')
    .option('--name <name>', 'deployment name', 'batch-ops-cli')
    .option('--changed-only', 'deploy only resources that changed (deploy-changed-only)')
    .action((files: string[], options: { name: string; changedOnly?: boolean }) =>
      run(async ({ client, out }) => {
        const deployment = await client.deploy<DeploymentDto>(files, {
          'deployment-name': options.name,
          'deploy-changed-only': String(options.changedOnly === true),
          'enable-duplicate-filtering': String(options.changedOnly === true),
        });
        const definitions = Object.values(deployment.deployedProcessDefinitions ?? {});
        out.result(deployment, [
          `Deployment ${deployment.id}`,
          ...(definitions.length === 0
            ? ['  no new process definition (nothing changed)']
            : definitions.map((definition) => `  ${definition.key}:${definition.version}  ${definition.id}`)),
        ]);
        return 0;
      }),
    );

  program
    .command('definitions')
    .description('process definitions with their running instances and failed jobs')
    .option('--key <key>', 'only this key')
    .action((options: { key?: string }) =>
      run(async ({ client, out }) => {
        const statistics = await client.get<DefinitionStatisticsDto[]>('/process-definition/statistics', {
          failedJobs: true,
        });
        const rows = statistics
          .filter((entry) => options.key === undefined || entry.definition.key === options.key)
          .sort(
            (a, b) =>
              a.definition.key.localeCompare(b.definition.key) || a.definition.version - b.definition.version,
          );
        out.result(
          rows.map((entry) => ({
            ...entry.definition,
            instances: entry.instances,
            failedJobs: entry.failedJobs,
          })),
          table(
            ['KEY', 'VERSION', 'INSTANCES', 'FAILED JOBS', 'ID'],
            rows.map((entry) => [
              entry.definition.key,
              String(entry.definition.version),
              String(entry.instances),
              String(entry.failedJobs),
              entry.id,
            ]),
          ),
        );
        return 0;
      }),
    );
}
