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
