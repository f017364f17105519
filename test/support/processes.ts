import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT as ROOT } from './project-root';

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  output(): string;
  /** Everything written to stderr so far. */
  errors(): string;
  finished: Promise<Finished>;
}

/**
 * Starts one of the built entry points (`dist/apps/<app>/main.js`) with exactly the given environment
 * (plus PATH), as production would run it. `npm test` builds before running the tests.
 */
export function startApp(
  app: 'api' | 'worker' | 'standalone' | 'migrate',
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): RunningProcess {
  const entry = path.join(ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test does)`);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: path.join(ROOT, 'test'), // no .env here: the process sees only `env`
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const finished = new Promise<Finished>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, output: () => stdout, errors: () => stderr, finished };
}

/** The JSON log lines of a process' output. */
export function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
