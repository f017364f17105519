/** What every command works with: the client, the output, and how often `--watch` polls. */
import type { ApiClient } from './client';
import type { Output } from './output';
import { failureLines, progressLine, watchBatch } from './watch';

export interface CommandContext {
  readonly client: ApiClient;
  readonly out: Output;
  readonly intervalMs: number;
}

/** A command's exit code: 0 success, 1 the operation did not fully succeed (2: usage or API error). */
export type ExitCode = 0 | 1 | 2;

/** A batch just created (`executeAsync`): says its id, and follows it with `--watch`. */
export async function reportBatch(
  context: CommandContext,
  batch: { readonly id: string; readonly type: string },
  watch: boolean,
  summary: string,
): Promise<ExitCode> {
  if (!watch) {
    context.out.result(batch, [`${summary}: batch ${batch.id}`]);
    return 0;
  }
  context.out.note(`${summary}: batch ${batch.id}`);
  return followBatch(context, batch.id);
}

/** Follows a batch to its end; 0 only when every item succeeded. */
export async function followBatch(context: CommandContext, batchId: string): Promise<ExitCode> {
  const result = await watchBatch(context.client, context.out, batchId, context.intervalMs);
  const { progress, failures } = result;
  const verdict = result.succeeded
    ? `Batch ${batchId} completed: every one of ${progress.total} instances succeeded`
    : `Batch ${batchId}: ${progress.failed} of ${progress.total} instances failed (retry with: batch-ops retry ${batchId})`;
  context.out.result(result, [
    verdict,
    progressLine(progress),
    ...(failures.length > 0 ? ['Failures by reason:', ...failureLines(failures)] : []),
  ]);
  return result.succeeded ? 0 : 1;
}
