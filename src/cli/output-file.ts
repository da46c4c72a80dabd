import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { colourOn, paintStatus } from './style.js';

/** The output path that means standard output (`--json -`). */
export const STDOUT = '-';

/**
 * Write a file so that readers only ever see the previous complete content or the new complete content: the text
 * goes to a temporary file in the same directory, which is then renamed over the target (atomic on one file
 * system). Ctrl-C, a crash or a full disk leaves the previous file intact, never a 0-byte or half-written one.
 */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

function errorCode(e: unknown): string {
  return (e as { code?: string }).code ?? 'error';
}

/**
 * Check an output path before the (possibly long) run, so an unwritable path fails in one line at once rather
 * than after minutes of work; the file itself is not touched until the run ends. Returns a writer for the final
 * content, which replaces the file atomically. `-` writes to standard output.
 */
export function reserveOutput(option: string, path: string | undefined): ((content: string) => void) | undefined {
  if (path === undefined) return undefined;
  if (path === STDOUT)
    return (content: string) => void process.stdout.write(content.endsWith('\n') ? content : `${content}\n`);
  try {
    accessSync(dirname(path), constants.W_OK);
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (existing) accessSync(path, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${option}: cannot write '${path}' (${errorCode(e)})`);
  }
  return (content: string) => writeFileAtomic(path, content);
}

/**
 * Where a command's human-readable lines go: standard output, unless one of its reports is written there
 * (`--json -`), in which case they move to standard error so the report stays parseable.
 */
export function humanOutput(...paths: (string | undefined)[]): (line: string) => void {
  const taken = paths.filter((p) => p === STDOUT).length;
  if (taken > 1) throw new UsageError('only one report can be written to standard output (-)');
  const on = colourOn(taken === 1 ? process.stderr : process.stdout);
  const paint = (text: string): string =>
    text
      .split('\n')
      .map((line) => paintStatus(line, on))
      .join('\n');
  return taken === 1 ? (text) => console.error(paint(text)) : (text) => console.log(paint(text));
}

/** Create (if needed) an output directory before the run and check that it is writable. */
export function reserveDirectory(option: string, path: string): string {
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${option}: cannot write to directory '${path}' (${errorCode(e)})`);
  }
  return path;
}
