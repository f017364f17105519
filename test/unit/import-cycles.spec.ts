import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import madge from 'madge';
import { PROJECT_ROOT } from '../support/project-root';

/** The project's madge settings (`.madgerc`): TypeScript with its path aliases, type-only imports skipped. */
const settings = JSON.parse(readFileSync(path.join(PROJECT_ROOT, '.madgerc'), 'utf8')) as madge.MadgeConfig;

const cyclesIn = async (paths: string[], baseDir: string) =>
  (
    await madge(paths, { ...settings, baseDir, tsConfig: path.join(PROJECT_ROOT, 'tsconfig.json') })
  ).circular();

/** No runtime import cycle may creep in: a cycle makes module initialisation order matter. */
describe('import cycles', () => {
  it('has none at run time in apps and libs', async () => {
    expect(await cyclesIn(['apps', 'libs'], PROJECT_ROOT)).toEqual([]);
  }, 30_000);

  describe('the check', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'cycles-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('finds a cycle of value imports', async () => {
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      expect(await cyclesIn([dir], dir)).toEqual([['a.ts', 'b.ts']]);
    });

    it('ignores a cycle of type-only imports, which vanish at run time', async () => {
      writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b?: B };\n");
      writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = { a?: A };\n");
      expect(await cyclesIn([dir], dir)).toEqual([]);
    });
  });
});
