import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The architecture rule "libs/engine and libs/bpmn are pure" is enforced by lint; prove the rule bites. */
describe('the pure-core lint rule', () => {
  // ESLint runs in its own process: its flat config is an ES module, which Jest's CommonJS sandbox cannot load.
  const lint = async (file: string, code: string) => {
    const eslint = path.join(ROOT, 'node_modules', '.bin', 'eslint');
    const run = spawnSync(
      eslint,
      ['--format', 'json', '--stdin', '--stdin-filename', path.join(ROOT, file)],
      {
        cwd: ROOT,
        input: code,
        encoding: 'utf8',
      },
    );
    const [result] = JSON.parse(run.stdout) as Array<{
      messages: Array<{ ruleId: string; message: string }>;
    }>;
    return result!.messages
      .filter((message) => message.ruleId === 'no-restricted-imports')
      .map((m) => m.message);
  };

  it.each([
    ['libs/engine/anything.ts', "import { Queue } from 'bullmq';"],
    ['libs/engine/anything.ts', "import { DataSource } from 'typeorm';"],
    ['libs/bpmn/anything.ts', "import { readFileSync } from 'node:fs';"],
    ['libs/bpmn/anything.ts', "import winston from 'winston';"],
    ['libs/engine/anything.ts', "import { pingDatabase } from '@libs/persistence';"],
  ])('rejects I/O imports in %s: %s', async (file, code) => {
    expect(
      await lint(file, `${code}\nexport const used = [${code.match(/import \{? ?(\w+)/)![1]}];\n`),
    ).not.toEqual([]);
  });

  it('allows the same imports outside the pure core', async () => {
    expect(
      await lint('libs/batch/anything.ts', "import { Queue } from 'bullmq';\nexport const used = [Queue];\n"),
    ).toEqual([]);
  });

  it('rejects deep imports into a lib anywhere', async () => {
    expect(
      await lint(
        'apps/api/anything.ts',
        "import { x } from '@libs/http/error-envelope';\nexport const used = [x];\n",
      ),
    ).not.toEqual([]);
  });
});
