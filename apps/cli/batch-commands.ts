/** `batches`, `batch <id> [--watch]`, `retry`, `suspend`, `activate`, `delete`. */
import type { Command } from 'commander';
import { followBatch, type CommandContext, type ExitCode } from './context';
import { table } from './output';
import { failureLines, failuresOf, progressLine, type ProgressDto } from './watch';

interface BatchStatisticsDto {
  readonly id: string;
  readonly type: string;
  readonly suspended: boolean;
  readonly createUserId: string | null;
  readonly startTime: string | null;
}

interface HistoricBatchDto {
  readonly id: string;
  readonly type: string;
  readonly createUserId: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
}

type Run = (action: (context: CommandContext) => Promise<ExitCode>) => Promise<void>;

/** A batch's state in words: suspended, running, failed items waiting, completed. */
function stateOf(progress: ProgressDto, suspended: boolean): string {
  if (progress.endTime !== null) return 'completed';
  if (suspended) return 'suspended';
  if (progress.pending === 0 && progress.failed > 0) return 'failed items';
  return 'running';
}

export function batchCommands(program: Command, run: Run): void {
  program
    .command('batches')
    .description('running batches, then the most recently finished ones')
    .option('--type <type>', 'only batches of this type (e.g. instance-migration)')
    .option('--finished <n>', 'how many finished batches to list', '10')
    .action((options: { type?: string; finished: string }) =>
      run(async ({ client, out }) => {
        const running = await client.get<BatchStatisticsDto[]>('/batch/statistics', { type: options.type });
        const finished = (
          await client.get<HistoricBatchDto[]>('/history/batch', {
            type: options.type,
            completed: true,
            sortBy: 'startTime',
            sortOrder: 'desc',
            maxResults: Number(options.finished),
          })
        ).map((batch) => ({ ...batch, suspended: false }));
        const batches = [...running, ...finished];
        const progress = await Promise.all(
          batches.map((batch) => client.get<ProgressDto>(`/batch/${batch.id}/progress`)),
        );
        const rows = batches.map((batch, index) => ({ ...batch, progress: progress[index]! }));
        out.result(
          rows,
          table(
            ['ID', 'TYPE', 'STATE', 'DONE', 'FAILED', 'TOTAL', 'RATE/S', 'USER', 'STARTED'],
            rows.map((row) => [
              row.id,
              row.type,
              stateOf(row.progress, row.suspended),
              String(row.progress.done),
              String(row.progress.failed),
              String(row.progress.total),
              String(row.progress.itemsPerSecond),
              row.createUserId ?? '',
              row.startTime ?? '',
            ]),
          ),
        );
        return 0;
      }),
    );

  program
    .command('batch')
    .description("a batch's progress and failures by reason")
    .argument('<batchId>')
    .option('--watch', 'follow it to its end (exit code 0 only when every item succeeded)')
    .action((batchId: string, options: { watch?: boolean }) =>
      run(async (context) => {
        if (options.watch === true) return followBatch(context, batchId);
        const { client, out } = context;
        const progress = await client.get<ProgressDto>(`/batch/${batchId}/progress`);
        const failures = progress.failed > 0 ? await failuresOf(client, batchId) : [];
        out.result({ progress, failures }, [
          `Batch ${batchId} (${progress.type})`,
          progressLine(progress),
          ...(failures.length > 0 ? ['Failures by reason:', ...failureLines(failures)] : []),
        ]);
        return 0;
      }),
    );

  program
    .command('retry')
    .description('retry the failed items of a batch (all, or one reason)')
    .argument('<batchId>')
    .option('--reason <reason>', 'only the failures with this reason (as `batch` prints it)')
    .option('--watch', 'then follow the batch to its end')
    .action((batchId: string, options: { reason?: string; watch?: boolean }) =>
      run(async (context) => {
        const result = await context.client.post<{ retriedJobs: number }>(
          `/batch/${batchId}/failures/retry`,
          {
            reason: options.reason ?? null,
          },
        );
        if (options.watch === true) {
          context.out.note(`Retrying ${result.retriedJobs} job(s) of batch ${batchId}`);
          return followBatch(context, batchId);
        }
        context.out.result(result, [`Retrying ${result.retriedJobs} job(s) of batch ${batchId}`]);
        return 0;
      }),
    );

  for (const [name, suspended] of [
    ['suspend', true],
    ['activate', false],
  ] as const) {
    program
      .command(name)
      .description(`${name} a batch`)
      .argument('<batchId>')
      .action((batchId: string) =>
        run(async ({ client, out }) => {
          await client.put(`/batch/${batchId}/suspended`, { suspended });
          out.result({ batchId, suspended }, [`Batch ${batchId} ${suspended ? 'suspended' : 'activated'}`]);
          return 0;
        }),
      );
  }

  program
    .command('delete')
    .description('delete a batch and its jobs')
    .argument('<batchId>')
    .option('--cascade', 'also delete its history')
    .action((batchId: string, options: { cascade?: boolean }) =>
      run(async ({ client, out }) => {
        await client.delete(`/batch/${batchId}`, { cascade: options.cascade === true });
        out.result({ batchId, deleted: true }, [`Batch ${batchId} deleted`]);
        return 0;
      }),
    );
}
