#!/usr/bin/env node
/**
 * `batch-ops`: the command line for the common jobs around migrations and modifications, a client
 * of the REST API and nothing more (`--url` / `BATCH_OPS_URL`, Basic auth from `BATCH_OPS_USER` and
 * `BATCH_OPS_PASSWORD`). Exit codes: 0 success, 1 the operation did not fully succeed, 2 a usage or
 * service error.
 */
import { Command, CommanderError } from 'commander';
import { batchCommands } from './batch-commands';
import { ApiClient, ApiError, restRoot } from './client';
import type { CommandContext, ExitCode } from './context';
import { definitionCommands } from './definition-commands';
import { operationCommands } from './operation-commands';
import { restartCommand } from './restart-command';
import { Output, UsageError, type Io } from './output';

interface GlobalOptions {
  readonly url: string;
  readonly json?: boolean;
  readonly interval: string;
}

/** Runs one command line (`argv` without `node` and the script) and answers its exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exitCode: ExitCode = 0;
  const program = new Command('batch-ops')
    .description('Batch migration and modification of BPMN process instances (Camunda 7 REST)')
    .option(
      '--url <url>',
      'the service (REST root or its host)',
      io.env.BATCH_OPS_URL ?? 'http://localhost:8080',
    )
    .option('--json', 'machine-readable output')
    .option('--interval <ms>', 'how often --watch polls', '1000')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const run = async (action: (context: CommandContext) => Promise<ExitCode>): Promise<void> => {
    const options = program.opts<GlobalOptions>();
    const out = new Output(io, options.json === true);
    const client = new ApiClient({
      restUrl: restRoot(options.url),
      user: io.env.BATCH_OPS_USER,
      password: io.env.BATCH_OPS_PASSWORD,
    });
    exitCode = await action({ client, out, intervalMs: Number(options.interval) });
  };
  definitionCommands(program, run);
  operationCommands(program, run);
  restartCommand(program, run);
  batchCommands(program, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ApiError) {
      io.stderr.write(`${error.type}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
