import { readFileSync } from 'node:fs';

/** Running (a zombie waiting to be reaped by its parent counts as gone: it holds no resources and runs nothing). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
