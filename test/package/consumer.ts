import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A user's project with dlnv installed from its packed tarball, the way `npm install dlnv --ignore-scripts` would
 * do it — but offline: the consumer's package-lock.json is written from dlnv's own (every version pinned, every
 * tarball already in the npm cache after `npm ci`), so `npm ci --offline` needs no registry.
 */

export const root = join(import.meta.dirname, '..', '..');

interface LockEntry {
  version?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
}

/** Fail with the command's output, so a broken step says why. */
export function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * `npm pack` of a copy of the repository's sources (so the prepack build never touches the dist/ that other test
 * files use), into `into`. Returns the tarball's path.
 */
export function pack(into: string): string {
  const copy = join(into, 'dlnv');
  for (const entry of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'README.md',
    'LICENSE',
    'binding.gyp',
    'bin',
    'src',
    'properties',
    'proofs',
    'bench',
    'docs',
    'examples',
    'native',
  ]) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const out = ok(run('npm', ['pack', '--json', '--pack-destination', into], copy), 'npm pack');
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return join(into, filename);
}

/** The lock entries of `names` and everything they need, taken from dlnv's own package-lock.json. */
function closure(lock: Record<string, LockEntry>, names: readonly string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const visit = (name: string, optional: boolean): void => {
    const key = `node_modules/${name}`;
    if (out[key] || !lock[key]) {
      if (!lock[key] && !optional) throw new Error(`consumer: ${name} is not in dlnv's package-lock.json`);
      return;
    }
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = lock[key];
    out[key] = entry;
    for (const d of Object.keys(entry.dependencies ?? {})) visit(d, false);
    for (const d of Object.keys(entry.optionalDependencies ?? {})) visit(d, true);
    for (const d of Object.keys(entry.peerDependencies ?? {}))
      if (!entry.peerDependenciesMeta?.[d]?.optional) visit(d, false);
  };
  for (const n of names) visit(n, false);
  return out;
}

/**
 * An empty project in a new temporary folder with the tarball installed (scripts ignored), plus `devTools`
 * (e.g. vitest, typescript) at dlnv's own pinned versions. Returns the project folder.
 */
export function consumer(tarball: string, devTools: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'dlnv-consumer-'));
  const lock = (
    JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
  ).packages;
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  const tools = Object.fromEntries(devTools.map((t) => [t, lock[`node_modules/${t}`].version!]));
  const file = `file:${tarball}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', dependencies: { dlnv: file }, devDependencies: tools },
    'node_modules/dlnv': {
      version: own.version,
      resolved: file,
      license: 'MIT',
      dependencies: own.dependencies,
      bin: own.bin,
      engines: { node: '>=20' },
    },
    ...closure(lock, [...Object.keys(own.dependencies), ...devTools]),
  };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: 'consumer', private: true, type: 'module', dependencies: { dlnv: file }, devDependencies: tools },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  ok(run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir), 'npm ci (consumer)');
  return dir;
}

/** Files of a folder tree, relative, for assertions on what got installed. */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

export function write(dir: string, file: string, text: string): void {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
}
