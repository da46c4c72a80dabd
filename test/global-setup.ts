import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run build` once before any test file: the tests of the compiled CLI (bin/dlnv.js, worker threads, user claim
 * files through the published entry point, the packed tarball) run what the sources say now. The build script
 * empties dist/ first, so no file of a deleted source survives into what they test.
 */
export default function buildDist(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: join(import.meta.dirname, '..'), stdio: 'inherit' });
}
