import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Ways of deciding by an error's message text: comparing, searching or matching it. */
const MESSAGE_TESTS = [
  /\.message\s*[!=]==?/,
  /[!=]==?\s*[\w$.?]*\.message\b(?!\s*\()/,
  /\.message\??\.(startsWith|endsWith|includes|indexOf|lastIndexOf|match|matchAll|search|localeCompare)\(/,
  /\.test\([^)]*\.message\b/,
];

/** The lines of `source` that decide something by a message, as `line: text`. */
function messageTests(source: string): string[] {
  return source
    .split('\n')
    .flatMap((line, index) =>
      MESSAGE_TESTS.some((pattern) => pattern.test(line)) ? [`${index + 1}: ${line.trim()}`] : [],
    );
}

/**
 * Third-party errors that carry nothing but their text. Each file may test messages of those alone.
 */
const THIRD_PARTY_TEXT: Readonly<Record<string, string>> = {
  'libs/queue/connections.ts': "a Redis READONLY reply (ioredis' documented reconnectOnError check)",
  'libs/bpmn/reader-warnings.ts': "bpmn-moddle's reader warnings, which have no code",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Errors carry data (entity, id, class): no source decides by parsing an error message. */
describe('error messages', () => {
  it('are never compared, searched or matched in apps/ and libs/', () => {
    const found = ['apps', 'libs']
      .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
      .filter((file) => !(path.relative(ROOT, file) in THIRD_PARTY_TEXT))
      .flatMap((file) =>
        messageTests(readFileSync(file, 'utf8')).map((hit) => `${path.relative(ROOT, file)}:${hit}`),
      );
    expect(found).toEqual([]);
  });

  it.each([
    'if (error.message === `Process instance with id ${id} does not exist`)',
    "error.message !== 'x'",
    "if ('x' == err.message) return;",
    "error instanceof NotFoundException && error.message.startsWith('Process instance with id')",
    'e.message?.includes("deadlock")',
    '/Deadlock/.test(error.message)',
  ])('bites on %s', (line) => {
    expect(messageTests(line)).toHaveLength(1);
  });

  it.each([
    "expect(error.message).toBe('x')",
    'const reason = error.message;',
    'throw new X(400, error.message);',
  ])('lets %s pass', (line) => {
    expect(messageTests(line)).toEqual([]);
  });
});
