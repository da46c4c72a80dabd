import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The layers of src/, lowest first: a file may import from its own layer or a lower one, never from a higher one,
 * and no folders may import each other in a loop. Each entry is a folder or a file directly under src/.
 * Read upward, the path of a claim: numbers (linalg, model) → checks → the topic folders' checks of each paper →
 * generators of their instances → claims → reports → the command line.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'format.ts', 'installation.ts', 'wasm'],
  ['linalg'],
  ['random', 'json'],
  ['model'],
  ['geometry', 'rank', 'dynamics', 'completion'],
  ['check'],
  ['flow', 'landscape', 'rayleigh', 'nnls', 'acgh', 'ye-du', 'wang-jacot'],
  ['arbitraries'],
  ['claims', 'symbolic', 'search'],
  ['report'],
  ['gate'],
  ['cli', 'index.ts', 'vitest.ts'],
];

/** An import of one src/ file by another, paths relative to src/ ('flow/rank.ts'). */
export interface Import {
  readonly from: string;
  readonly to: string;
}

/** The src/ entry (top folder or file) a path relative to src/ belongs to. */
export const entryOf = (path: string): string => path.split('/')[0];

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')` with a relative specifier.
const SPECIFIER =
  /\b(?:import|export)\s+(?:[^'";]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/**
 * The imports among the given sources (path relative to src/ → text) that stay inside src/: `.js` specifiers name
 * the `.ts` file beside them. Imports leaving src/ (the catalogue in properties/, proofs/) are not layered here.
 */
export function importsOf(sources: ReadonlyMap<string, string>): Import[] {
  const imports: Import[] = [];
  for (const [from, text] of sources) {
    for (const m of text.matchAll(SPECIFIER)) {
      const to = posix.normalize(posix.join(posix.dirname(from), m[1] ?? m[2])).replace(/\.js$/, '.ts');
      if (!to.startsWith('../')) imports.push({ from, to });
    }
  }
  return imports;
}

/** Every .ts file under `dir`, by its path relative to `dir`, with its text. */
export function readSources(dir: string): Map<string, string> {
  const sources = new Map<string, string>();
  const visit = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) visit(path);
      else if (e.name.endsWith('.ts')) sources.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  visit('');
  return sources;
}

/** The imports that climb from a lower layer to a higher one, as 'from -> to', and entries placed in no layer. */
export function upwardImports(imports: readonly Import[], layers: readonly (readonly string[])[]): string[] {
  const layerOf = new Map(layers.flatMap((entries, level) => entries.map((e) => [e, level] as const)));
  const found: string[] = [];
  for (const { from, to } of imports) {
    const a = layerOf.get(entryOf(from)),
      b = layerOf.get(entryOf(to));
    if (a === undefined) found.push(`${from}: ${entryOf(from)} is in no layer`);
    else if (b === undefined) found.push(`${to}: ${entryOf(to)} is in no layer`);
    else if (b > a) found.push(`${from} -> ${to}`);
  }
  return [...new Set(found)];
}

/** The loops of a directed graph: its strongly connected components of two nodes or more (Tarjan), sorted. */
export function cycles(edges: readonly (readonly [string, string])[]): string[][] {
  const next = new Map<string, string[]>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    next.set(a, [...(next.get(a) ?? []), b]);
    if (!next.has(b)) next.set(b, []);
  }
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of next.keys()) if (!index.has(v)) connect(v);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * What README's layout table gets wrong about src/: an entry of src/ with no row of its own (`| layer | \`src/x\` |`),
 * a row whose layer is not the entry's layer in LAYERS (counted from 1), a row for something src/ does not hold.
 */
export function layoutProblems(readme: string, entries: readonly string[], layers = LAYERS): string[] {
  const section = readme.split('\n## Layout\n')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map([...section.matchAll(/^\| (\d+) \| `src\/([^`]+)` \|/gm)].map((m) => [m[2], Number(m[1])]));
  const layerOf = new Map(layers.flatMap((group, level) => group.map((e) => [e, level + 1] as const)));
  const problems = entries.filter((e) => !rows.has(e)).map((e) => `src/${e} has no row`);
  for (const [entry, layer] of rows) {
    if (!entries.includes(entry)) problems.push(`src/${entry} is not in src/`);
    else if (layerOf.get(entry) !== layer)
      problems.push(`src/${entry}: layer ${layer} in README, ${layerOf.get(entry)} in LAYERS`);
  }
  return problems;
}
