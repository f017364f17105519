import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lintMessages } from '../support/eslint';

const ROOT = path.resolve(__dirname, '..', '..');
const RULE = 'no-restricted-syntax';
const DISABLED = `eslint-disable-next-line ${RULE}`;

/** Third-party texts that carry nothing but their words: the only places allowed to read a message. */
const THIRD_PARTY_TEXT: Readonly<Record<string, string>> = {
  'libs/bpmn/reader-warnings.ts': "bpmn-moddle's reader warnings, which have no code",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/**
 * Errors carry data (entity, id, class): an ESLint rule (run by `npm test`) refuses any source in apps/
 * and libs/ that decides by an error's message text. Prove that it bites, and that it is switched off
 * only where a third-party text has nothing else to go by.
 */
describe('the error-message lint rule', () => {
  const lint = (code: string, file = 'libs/runtime/anything.ts') => lintMessages(file, code, RULE);

  it.each([
    'export const a = (error: Error, id: string) => error.message === `Process instance with id ${id} does not exist`;',
    "export const a = (error: Error) => error.message !== 'x';",
    "export const a = (err: Error) => 'x' == err.message;",
    "export const a = (error: Error) => error.message.startsWith('Process instance with id');",
    'export const a = (e: { message?: string }) => e.message?.includes("deadlock");',
    'export const a = (error: Error) => /Deadlock/.test(error.message);',
  ])('bites on %s', (code) => {
    expect(lint(code)).toHaveLength(1);
    expect(lint(code, 'libs/persistence/repositories/anything.ts')).toHaveLength(1);
    expect(lint(code, 'apps/api/anything.ts')).toHaveLength(1);
  });

  it.each([
    'export const a = (error: Error) => error.message;',
    'export const a = (error: Error) => new Error(error.message);',
    "export const a = (error: { entity?: string }) => error.entity === 'processInstance';",
  ])('lets %s pass', (code) => {
    expect(lint(code)).toEqual([]);
  });

  it('is switched off only for third-party texts, each with its reason', () => {
    const disabled = ['apps', 'libs']
      .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line.includes(DISABLED))
          .map((line) => ({ file: path.relative(ROOT, file), reason: line.split('--')[1]?.trim() ?? '' })),
      );
    expect(disabled.map((entry) => entry.file).sort()).toEqual(Object.keys(THIRD_PARTY_TEXT).sort());
    expect(disabled.every((entry) => entry.reason.length > 0)).toBe(true);
  });
});
