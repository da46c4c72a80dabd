import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { installation } from '../installation.js';
import type { Claim } from './claim.js';

/**
 * Load a user's claim file — the same API as properties/: a module exporting `claims` (or a default export), an
 * array of claims built with defineClaim. JavaScript (.js/.mjs) is imported as is. TypeScript (.ts/.mts/.cts) is
 * bundled by esbuild on the fly (Node 20 cannot strip types): the file and its relative imports are compiled,
 * while packages stay external. 'dlnv', 'fast-check' and dlnv's other dependencies resolve from the dlnv
 * installation that runs the file — wherever the file lives, and even when its folder has no node_modules — so
 * the claims share one dlnv and one fast-check with the runner; other packages resolve from the file's folder.
 * No build step, no tsconfig needed.
 */
export async function loadClaimFile(file: string, option = '--claims-file'): Promise<Claim<any>[]> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`${option}: no such file '${file}'`);
  let module: { claims?: unknown; default?: unknown };
  try {
    module = /\.[mc]?tsx?$/.test(path) ? await importTypeScript(path) : await import(pathToFileURL(path).href);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${option}: cannot load '${file}': ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  const claims = module.claims ?? module.default;
  if (
    !Array.isArray(claims) ||
    !claims.every((c) => c && typeof c.id === 'string' && typeof c.check === 'function' && c.instances)
  ) {
    throw new UsageError(
      `${option}: '${file}' must export 'claims', an array of claims ({id, instances, check, expected, …}) built with defineClaim`,
    );
  }
  const ids = new Set<string>();
  for (const c of claims as Claim<any>[]) {
    if (ids.has(c.id)) throw new UsageError(`${option}: '${file}' defines the claim id '${c.id}' twice`);
    ids.add(c.id);
  }
  return claims as Claim<any>[];
}

async function importTypeScript(path: string): Promise<{ claims?: unknown; default?: unknown }> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new UsageError(
      `cannot load '${path}': TypeScript claim files need the 'esbuild' package (npm install esbuild), or compile the file to .js`,
    );
  }
  const result = await esbuild
    .build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [
        {
          name: 'dlnv-external-packages',
          setup(build) {
            // Packages stay external, rewritten to the absolute file they resolve to (esbuild's resolver honours
            // package "exports"), so the bundle may live in a temporary folder.
            build.onResolve({ filter: /^[^./]/ }, async (args) => {
              if (args.pluginData === 'resolving') return undefined;
              if (isBuiltin(args.path)) return { path: args.path, external: true };
              const resolveDir = ownPackages().has(packageName(args.path)) ? installation().root : args.resolveDir;
              const found = await build.resolve(args.path, {
                kind: args.kind,
                resolveDir,
                importer: args.importer,
                pluginData: 'resolving',
              });
              if (found.errors.length > 0) return { errors: found.errors };
              return { path: pathToFileURL(found.path).href, external: true };
            });
          },
        },
      ],
    })
    .catch((e: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
      const first = e.errors?.[0];
      const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
      throw new UsageError(`cannot compile '${path}': ${first ? first.text : String(e)}${where}`);
    });
  const directory = mkdtempSync(join(tmpdir(), 'dlnv-claims-'));
  const bundled = join(directory, `${basename(path, extname(path))}.mjs`);
  try {
    writeFileSync(bundled, result.outputFiles[0].text);
    return await import(pathToFileURL(bundled).href);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** 'dlnv' and the packages it depends on: a claim file gets these from the installation that runs it. */
function ownPackages(): Set<string> {
  const pkg = JSON.parse(readFileSync(join(installation().root, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
  };
  return new Set([pkg.name, ...Object.keys(pkg.dependencies ?? {})]);
}

/** 'fast-check' of 'fast-check/lib/x', '@scope/name' of '@scope/name/sub'. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** A claim named on the command line: an id (catalogue or claim files), 'FILE#id', or a FILE holding one claim. */
export interface ClaimReference {
  readonly claim: Claim<any>;
  /** The claim file it came from (as given), when not the catalogue. */
  readonly file?: string;
}

const CLAIM_FILE = /\.(m?js|[mc]?ts)$/;

export async function resolveClaimReference(
  reference: string,
  catalogue: readonly Claim<any>[],
  claimsFiles: readonly string[] = [],
): Promise<ClaimReference> {
  const hash = reference.lastIndexOf('#');
  if (hash > 0 || (CLAIM_FILE.test(reference) && existsSync(reference))) {
    const file = hash > 0 ? reference.slice(0, hash) : reference;
    const id = hash > 0 ? reference.slice(hash + 1) : undefined;
    const claims = await loadClaimFile(file, 'claim file');
    if (id === undefined) {
      if (claims.length !== 1)
        throw new UsageError(
          `'${file}' defines ${claims.length} claims (${claims.map((c) => c.id).join(', ')}): name one as ${file}#ID`,
        );
      return { claim: claims[0], file };
    }
    const claim = claims.find((c) => c.id === id);
    if (!claim)
      throw new UsageError(`'${file}' has no claim '${id}' (it defines: ${claims.map((c) => c.id).join(', ')})`);
    return { claim, file };
  }
  for (const file of claimsFiles) {
    const claim = (await loadClaimFile(file)).find((c) => c.id === reference);
    if (claim) return { claim, file };
  }
  const claim = catalogue.find((c) => c.id === reference);
  if (!claim)
    throw new UsageError(
      `no claim '${reference}' (run 'dlnv list' for the catalogue, or name a user claim as FILE#ID)`,
    );
  return { claim };
}
