import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root (where package.json is), from source (`test/…`) and from the build (`dist/test/…`) alike. */
export const PROJECT_ROOT = ((): string => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no package.json above ${__dirname}`);
})();
