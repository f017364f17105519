import { lintMessages } from '../support/eslint';

/** The architecture rule "libs/engine and libs/bpmn are pure" is enforced by lint; prove the rule bites. */
describe('the pure-core lint rule', () => {
  const lint = async (file: string, code: string) => lintMessages(file, code, 'no-restricted-imports');

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
