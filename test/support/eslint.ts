import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './project-root';

/**
 * The messages of one ESLint rule for `code` as if it were the file `file` of the project, with the
 * project's own configuration. ESLint runs in its own process: its flat config is an ES module, which
 * Jest's CommonJS sandbox cannot load.
 */
export function lintMessages(file: string, code: string, ruleId: string): string[] {
  const eslint = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'eslint');
  const run = spawnSync(
    eslint,
    ['--format', 'json', '--stdin', '--stdin-filename', path.join(PROJECT_ROOT, file)],
    {
      cwd: PROJECT_ROOT,
      input: code,
      encoding: 'utf8',
    },
  );
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
  return result!.messages.filter((message) => message.ruleId === ruleId).map((message) => message.message);
}
