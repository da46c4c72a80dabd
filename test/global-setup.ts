import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Build dist/ once before the tests: the tests of the compiled CLI (worker threads, user claim files through the
 * published entry point) must run what the sources say now, never a stale or missing build.
 */
export default function buildDist(): void {
  const root = join(import.meta.dirname, '..');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
}
