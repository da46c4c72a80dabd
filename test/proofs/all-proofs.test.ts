import { describe, expect, test } from 'vitest';
import { CROSS_CHECK_DEPTH, everyNDerivations } from '../../proofs/every-n.js';
import { allProofs } from '../../proofs/index.js';
import { DEFAULT_PROOF_SEED, type ProofResult, renderProofResult } from '../../src/symbolic/proof.js';

const results = new Map<string, ProofResult>();
function result(id: string): ProofResult {
  if (!results.has(id)) results.set(id, allProofs.find((p) => p.id === id)!.run(DEFAULT_PROOF_SEED));
  return results.get(id)!;
}

describe('every proof holds (symbolic reduction to 0 and numeric confirmation)', () => {
  test('the catalogue has one proof per derivation, with unique ids', () => {
    const ids = allProofs.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 7)).toEqual([
      'grad.layer',
      'grad.hessian',
      'flow.conservation',
      'gd.drift-identity',
      'flow.end-to-end',
      'metric.svd-form',
      'metric.riemannian-gradient',
    ]);
    for (const p of allProofs) expect(['P', 'D', 'M', 'P/D', 'P/M']).toContain(p.provenance);
  });

  for (const p of allProofs) {
    test(p.id, () => {
      const r = result(p.id);
      expect(r.symbolic.holds, r.symbolic.detail).toBe(true);
      expect(r.numeric.status, r.numeric.detail).toBe('pass');
      expect(r.holds).toBe(true);
      expect(r.symbolic.text.length).toBeGreaterThan(100);
      expect(r.symbolic.latex).toMatch(/\\begin\{enumerate\}/);
      expect(Number.isFinite(r.numeric.measured) && Number.isFinite(r.numeric.bound)).toBe(true);
      console.log(
        `${r.id}: symbolic ${r.timings.symbolicMs.toFixed(0)} ms, numeric ${r.timings.numericMs.toFixed(0)} ms`,
      );
    });
  }

  test(`the every-N derivations are PROVED for symbolic N and agree with the concrete engine at N ≤ ${CROSS_CHECK_DEPTH}`, () => {
    for (const d of everyNDerivations) {
      const detail = result(d.id).symbolic.detail;
      const cases = /; (\d+) instantiations N ≤ (\d+) agree with the concrete engine$/.exec(detail);
      expect(detail, d.id).toMatch(/^PROVED for symbolic N/);
      expect(cases, detail).not.toBeNull();
      expect(Number(cases![2])).toBe(CROSS_CHECK_DEPTH);
      expect(Number(cases![1])).toBeGreaterThanOrEqual(CROSS_CHECK_DEPTH);
    }
  });

  test('nnls.reparam-flow shows its chain rule', () => {
    expect(renderProofResult(result('nnls.reparam-flow'), 'md')).toContain('Chain rule');
  });

  test('results serialize to the JSON the CLI writes', () => {
    const r = result('flow.conservation');
    const json = JSON.parse(JSON.stringify({ proofs: [r] }));
    expect(json.proofs[0]).toMatchObject({
      id: 'flow.conservation',
      holds: true,
      symbolic: { holds: true },
      numeric: { status: 'pass' },
    });
    expect(typeof json.proofs[0].numeric.measured).toBe('number');
    expect(typeof json.proofs[0].numeric.bound).toBe('number');
    expect(typeof json.proofs[0].statement).toBe('string');
  });

  test('render to Markdown and LaTeX', () => {
    const r = result('gd.drift-identity');
    const md = renderProofResult(r, 'md');
    expect(md).toMatch(/^## gd\.drift-identity — holds/);
    expect(md).toContain('### Symbolic derivation (proved)');
    expect(md).toContain('### Numeric confirmation');
    const tex = renderProofResult(r, 'latex');
    expect(tex).toMatch(/^\\subsection\*\{gd\.drift-identity --- holds\}/);
    expect(tex).toContain('\\[ ');
    expect(allProofs.find((p) => p.id === 'flow.end-to-end')!.render('md', 3)).toContain('flow.end-to-end — holds');
  });

  test('the numeric part depends on the seed, the verdict does not', () => {
    const p = allProofs.find((x) => x.id === 'flow.end-to-end')!;
    const a = result(p.id),
      b = p.run(DEFAULT_PROOF_SEED + 1);
    expect(a.holds && b.holds).toBe(true);
    expect(a.numeric.measured).not.toBe(b.numeric.measured);
  });
});
