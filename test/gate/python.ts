import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellQuote } from '../../src/gate/runner.js';

/** The repository root and the paths the gate tests run. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLES = join(ROOT, 'examples');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

// The fixtures import examples/numpy_dln.py as a module: keep Python from writing __pycache__ into the repository.
process.env.PYTHONDONTWRITEBYTECODE = '1';

const cache = new Map<string, string | undefined>();

/**
 * A python3 that can import every module listed, or undefined. The default `python3` on PATH comes first, then
 * Debian's /usr/bin/python3 (which sees apt's python3-numpy and python3-torch), as in test/nnls/scipy-reference.ts.
 */
export function pythonWith(...modules: string[]): string | undefined {
  const key = modules.join(',');
  if (!cache.has(key)) {
    let found: string | undefined;
    for (const candidate of ['python3', '/usr/bin/python3']) {
      const r = spawnSync(candidate, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (r.status === 0) {
        found = candidate;
        break;
      }
    }
    cache.set(key, found);
  }
  return cache.get(key);
}

export const SKIP_NUMPY = 'skipped: no python3 with numpy (apt-get install python3-numpy)';
export const SKIP_TORCH = 'skipped: no python3 with torch (apt-get install python3-torch)';

/** The shell command for a Python file (words quoted only when needed: the repository path may contain spaces). */
export function pythonCommand(python: string, file: string, ...args: string[]): string {
  return [python, file, ...args].map(shellQuote).join(' ');
}
