import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The dlnv installation this code runs from: its root folder (the one holding dlnv's package.json) and version.
 * Found by walking up from this module, which sits at src/ in a checkout and at dist/src/ in a package, so the
 * answer is right whether dlnv runs from its TypeScript sources, its build, or node_modules/dlnv.
 */
export interface Installation {
  readonly root: string;
  readonly version: string;
}

let found: Installation | undefined;

export function installation(): Installation {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'dlnv') return (found = { root: dir, version: pkg.version ?? 'unknown' });
  }
  throw new Error(`cannot find dlnv's package.json above ${fileURLToPath(import.meta.url)}`);
}
