// Time to prove each catalogue derivation for every N (src/symbolic/every-n), against how the concrete engine's
// time grows with the depth it has to enumerate. Run: npm run build && node dist/bench/every-n.js [--out DIR]
// (from the repository root; writes DIR/every-n.json and DIR/every-n.svg, default DIR = bench).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { CROSS_CHECK_DEPTH, everyNDerivations } from '../proofs/every-n.js';
import type { Series } from '../src/check/plot-spec.js';
import { renderSvg } from '../src/report/svg-plot.js';

const REPEATS = 5;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex >= 0 ? process.argv[outIndex + 1] : 'bench';
  const rows = everyNDerivations.map((d) => {
    d.prove(); // warm-up
    const proof: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const t0 = performance.now();
      const res = d.prove();
      proof.push(performance.now() - t0);
      if (res.answer !== 'PROVED') throw new Error(`${d.id}: ${res.answer}`);
    }
    const perDepth: number[][] = [];
    for (let r = 0; r < REPEATS; r++) {
      const c = d.crossCheck(CROSS_CHECK_DEPTH);
      if (c.failures.length > 0) throw new Error(`${d.id}: ${c.failures[0]}`);
      c.msPerDepth.forEach((ms, n) => (perDepth[n] ??= []).push(ms));
    }
    // The machine is shared: the least of the repeats is the steadiest estimate of the work at each depth.
    const concrete = perDepth.map((ms, n) => ({ N: n, ms: Math.min(...ms) })).filter((x) => x !== undefined);
    const cumulative = concrete.reduce((s, c) => s + c.ms, 0);
    const row = {
      id: d.id,
      everyNms: median(proof),
      everyNRange: [Math.min(...proof), Math.max(...proof)],
      concrete,
      concreteUpTo12ms: cumulative,
    };
    console.log(
      `${d.id}: every N ${row.everyNms.toFixed(1)} ms; concrete engine ` +
        `${concrete.map((c) => `N=${c.N} ${c.ms.toFixed(1)}`).join(', ')} ms (sum ${cumulative.toFixed(0)} ms)`,
    );
    return row;
  });
  const series: Series[] = rows.flatMap((r) => [
    {
      name: `${r.id.replace('every-n.', '')}: concrete, depth N`,
      x: r.concrete.map((c) => c.N),
      y: r.concrete.map((c) => Math.max(c.ms, 0.01)),
    },
    {
      name: `${r.id.replace('every-n.', '')}: every N (once)`,
      x: [1, CROSS_CHECK_DEPTH],
      y: [r.everyNms, r.everyNms],
      style: 'dashed' as const,
    },
  ]);
  const svg = renderSvg({
    title: 'Proving each derivation once for every N (dashed) vs the concrete engine at depth N (all layers j)',
    x: { label: 'depth N' },
    y: { label: 'milliseconds', scale: 'log' },
    series,
  });
  const result = {
    what:
      'everyNms: median ms of prove() for symbolic N and j (derivation, reduction to 0, 6 numeric instances); ' +
      'concrete: least ms over the repeats, at depth N, of instantiating the identity for every j and proving it ' +
      'with the concrete engine (src/symbolic); concreteUpTo12ms: their sum over N = 1..12',
    repeats: REPEATS,
    node: process.version,
    cpu: cpus()[0]?.model,
    loadavg: loadavg(),
    derivations: rows,
  };
  writeFileSync(join(out, 'every-n.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(out, 'every-n.svg'), svg);
  console.log(`wrote ${join(out, 'every-n.json')} and ${join(out, 'every-n.svg')}`);
}

main();
