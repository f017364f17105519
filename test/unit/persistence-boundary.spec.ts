import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintMessages } from '../support/eslint';

/** The architecture rule "SQL is written in libs/persistence only" is enforced by lint; prove the rule bites. */
describe('the persistence-boundary lint rule', () => {
  const lint = (file: string, code: string) => lintMessages(file, code, 'no-restricted-syntax');

  it.each([
    ['libs/runtime/anything.ts', "export const q = 'SELECT id, due_date FROM ru_job WHERE id = ?';"],
    ['libs/batch/anything.ts', 'export const q = `DELETE FROM hi_batch WHERE id = ${"?"}`;'],
    ['apps/api/anything.ts', "export const q = 'UPDATE ru_job SET retries = ? WHERE id = ?';"],
    [
      'libs/runtime/anything.ts',
      "export const q = 'UPDATE ru_job j JOIN ru_batch b ON b.id = j.batch_id SET j.suspended = 1';",
    ],
    ['apps/worker/anything.ts', "export const q = 'INSERT IGNORE INTO batch_item (batch_id) VALUES (?)';"],
  ])('rejects SQL in %s: %s', (file, code) => {
    expect(lint(file, code)).not.toEqual([]);
  });

  it('allows SQL in libs/persistence and in tests', () => {
    const code = "export const q = 'SELECT id FROM ru_job WHERE id = ?';";
    expect(lint('libs/persistence/repositories/anything.ts', code)).toEqual([]);
    expect(lint('libs/runtime/anything.spec.ts', code)).toEqual([]);
  });

  it('lets prose through that only looks like SQL', () => {
    expect(
      lint('libs/runtime/anything.ts', "export const m = 'Select a task from the list to update it';"),
    ).toEqual([]);
  });
});

/** "One repository owns each table": every statement on job rows is in the jobs repository's folder. */
describe('the owner of ru_job', () => {
  const root = join(__dirname, '..', '..');
  const sources = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sources(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
    });
  const namesJobTable = (code: string) => /\b(FROM|INTO|UPDATE|JOIN)\s+ru_job\b|['"]ru_job['"]/i.test(code);

  it('is libs/persistence/repositories/jobs: no other source file writes a statement on ru_job', () => {
    const writers = [...sources('libs'), ...sources('apps')].filter((file) =>
      namesJobTable(readFileSync(join(root, file), 'utf8')),
    );
    expect(writers.length).toBeGreaterThan(0);
    expect(
      writers.filter((file) => !file.startsWith(join('libs', 'persistence', 'repositories', 'jobs'))),
    ).toEqual([]);
  });

  it('is recognised by the check in every form a statement takes', () => {
    expect(namesJobTable("'DELETE FROM ru_job WHERE id = ?'")).toBe(true);
    expect(namesJobTable('`UPDATE ru_job SET retries = ?`')).toBe(true);
    expect(namesJobTable("insertRows(sql, 'ru_job', [])")).toBe(true);
    expect(namesJobTable('/** jobs are `ru_job` rows */')).toBe(false);
  });
});
