/**
 * What a command says: human lines by default, one JSON document with `--json` (for scripts), and
 * the streams it says it on (the process's, or a test's).
 */
import type { Writable } from 'node:stream';

export interface Io {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A command line that cannot be run as written (exit code 2, its message on stderr). */
export class UsageError extends Error {}

export class Output {
  constructor(
    readonly io: Io,
    readonly json: boolean,
  ) {}

  /** The command's result: `lines` for people, `data` for scripts. */
  result(data: unknown, lines: readonly string[]): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else for (const line of lines) this.io.stdout.write(`${line}\n`);
  }

  /** A remark on the way (never part of the JSON result). */
  note(line: string): void {
    if (!this.json) this.io.stderr.write(`${line}\n`);
  }
}

/** Left-aligned columns under a header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
