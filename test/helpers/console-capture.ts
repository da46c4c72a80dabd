import { afterEach, beforeEach, vi } from 'vitest';

/** What console.log and console.error printed during the current test, one entry per call (arguments joined by ' '). */
export interface CapturedConsole {
  out: string[];
  err: string[];
}

/**
 * Installs beforeEach/afterEach hooks (in the enclosing describe, or the file when called at top level) that capture
 * console.log into `out` and console.error into `err`, and restore every mock after each test. The arrays are the
 * same objects for the whole file and are emptied before each test; empty one mid-test with `out.length = 0`.
 */
export function captureConsole(): CapturedConsole {
  const captured: CapturedConsole = { out: [], err: [] };
  beforeEach(() => {
    captured.out.length = 0;
    captured.err.length = 0;
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void captured.out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void captured.err.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
