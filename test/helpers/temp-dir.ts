import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

// Imported while vitest collects a test file, so this hook belongs to that file: every folder made through
// tempDir during the file's tests is removed when the file ends, whether its tests passed or not.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system's temporary directory, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dlnv-${prefix}-`));
  created.push(dir);
  return dir;
}
