import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, entryOf, type Import, importsOf, LAYERS, readSources, upwardImports } from '../helpers/layers.js';

/**
 * src/ is layered (test/helpers/layers.ts holds the order): no import climbs back up a layer, and neither files nor
 * folders import each other in a loop. A failure names each offending import, file by file.
 */
const src = join(import.meta.dirname, '..', '..', 'src');
const imports = importsOf(readSources(src));
const folderEdges = (list: readonly Import[]): [string, string][] =>
  list.map(({ from, to }) => [entryOf(from), entryOf(to)]);

describe('the layers of src/', () => {
  it('every file and folder of src/ stands in exactly one layer', () => {
    const placed = LAYERS.flat();
    expect(placed.filter((e, i) => placed.indexOf(e) !== i)).toEqual([]);
    expect(readdirSync(src).filter((e) => !placed.includes(e))).toEqual([]);
    expect(placed.filter((e) => !readdirSync(src).includes(e))).toEqual([]);
  });

  it('reads the imports of src/ (static, type-only, re-exports, multi-line and dynamic)', () => {
    const targets = (from: string) => imports.filter((i) => i.from === from).map((i) => i.to);
    expect(targets('check/layer-calculus.ts')).toEqual(
      expect.arrayContaining(['linalg/matrix.ts', 'check/verdict.ts']),
    );
    expect(targets('index.ts')).toContain('check/plot-spec.ts');
    expect(imports.length).toBeGreaterThan(500);
  });

  it('no import climbs from a lower layer to a higher one', () => {
    expect(upwardImports(imports, LAYERS)).toEqual([]);
  });

  it('no files import each other in a loop', () => {
    expect(cycles(imports.map(({ from, to }) => [from, to]))).toEqual([]);
  });

  it('no folders import each other in a loop', () => {
    expect(cycles(folderEdges(imports))).toEqual([]);
  });
});

describe('the layer checks have teeth', () => {
  const sources = new Map([
    [
      'model/loss.ts',
      "import { multiply } from '../linalg/products.js';\nimport type { Verdict } from '../check/verdict.js';",
    ],
    ['check/verdict.ts', "export {\n  sci,\n} from '../format.js';\nconst later = () => import('../model/loss.js');"],
    ['linalg/products.ts', "import type { Matrix } from './matrix.js';"],
    ['linalg/matrix.ts', "import { multiply } from './products.js';\nimport fc from 'fast-check';"],
    ['cli/main.ts', "import { catalogue } from '../../properties/index.js';"],
  ]);
  const bad = importsOf(sources);

  it('reads static, type-only, re-exported and dynamic imports; leaves packages and outside src/ out', () => {
    expect(bad).toEqual([
      { from: 'model/loss.ts', to: 'linalg/products.ts' },
      { from: 'model/loss.ts', to: 'check/verdict.ts' },
      { from: 'check/verdict.ts', to: 'format.ts' },
      { from: 'check/verdict.ts', to: 'model/loss.ts' },
      { from: 'linalg/products.ts', to: 'linalg/matrix.ts' },
      { from: 'linalg/matrix.ts', to: 'linalg/products.ts' },
    ]);
  });

  it('names an import that climbs a layer, and an entry that is in no layer', () => {
    expect(upwardImports(bad, LAYERS)).toEqual(['model/loss.ts -> check/verdict.ts']);
    expect(upwardImports([{ from: 'plots/figure.ts', to: 'linalg/matrix.ts' }], LAYERS)).toEqual([
      'plots/figure.ts: plots is in no layer',
    ]);
  });

  it('finds loops between files and between folders', () => {
    expect(cycles(bad.map(({ from, to }) => [from, to]))).toEqual([
      ['check/verdict.ts', 'model/loss.ts'],
      ['linalg/matrix.ts', 'linalg/products.ts'],
    ]);
    expect(cycles(folderEdges(bad))).toEqual([['check', 'model']]);
  });
});
