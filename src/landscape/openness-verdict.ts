import { compare, holdsWhen, type Verdict, worstOf } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { svd } from '../linalg/svd.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import { Rng } from '../random/rng.js';
import { type FactorPair, nrExampleA, nrExampleB } from './instances.js';
import { fiberDistance, opennessCriterion, opennessWitness } from './openness.js';

/**
 * Verdicts of nr.local-openness: the rank criterion (openness.ts) against the fiber-distance witness. Open points
 * must show vanishing fiber distances at δ = 1e-8; non-open points must keep one target's distance ≥ 1e-2 (both
 * relative to 1 + ‖X‖ + ‖Y‖). `assumeOpen` overrides the criterion (the FALSE variant "open everywhere").
 */
export function opennessVerdict(instance: FactorPair, assumeOpen?: boolean): Verdict {
  const w = opennessWitness(instance.X, instance.Y, new Rng(instance.seed), { targets: 3 });
  const open = assumeOpen ?? w.criterion.open;
  const { m, k, n, rule } = w.criterion;
  const d = `${instance.name} ${m}×${k}·${k}×${n}: ${rule} ⇒ ${w.criterion.open ? 'open' : 'not open'}`;
  if (open) {
    return compare({
      measured: w.worstVanishing,
      bound: 1e-2,
      errorModel:
        "fiber points verified to ‖X'Y' − Z‖ ≤ 1e-12; distances relative to 1 + ‖X‖ + ‖Y‖; open points give ≤ √(2δ) " +
        '~ 1e-4 at δ = 1e-8',
      detail: `${d}; largest fiber distance at δ = 1e-8 over 3 random targets (must vanish)`,
    });
  }
  return compare({
    measured: w.bestAway,
    bound: 1e-2,
    comparison: '>=',
    errorModel: w.rigorousAway
      ? "rigorous lower bound (rank Z = k forces range X' = range Z)"
      : 'best verified fiber point found (Gauss–Newton + variable projection): an upper bound',
    detail: `${d}; fiber distance of the worst target stays ≥ 1e-2 for δ = 1e-2 … 1e-8`,
  });
}

/**
 * NR's example (a), X = [1; 2], Y = [1 1]: open onto the rank ≤ 1 matrices (narrow regime, vanishing fiber
 * distances) but not onto R^{2×2}: every product of a 2×1 and a 1×2 matrix has rank ≤ 1, so a rank-2 target
 * XY + δG is at distance ≥ σ_2(XY + δG) > 0 from the range.
 */
export function nrExampleAVerdict(rng: Rng): Verdict {
  const w = opennessWitness(nrExampleA.X, nrExampleA.Y, rng, { targets: 3 });
  const XY = multiply(nrExampleA.X, nrExampleA.Y);
  const G = gaussianMatrix(rng, 2, 2);
  const gaps = [1e-2, 1e-5, 1e-8].map((d) => {
    const Z = XY.clone();
    for (let i = 0; i < 4; i++) Z.data[i] += (d * G.data[i]) / frobeniusNorm(G);
    return svd(Z).s[1];
  });
  return worstOf([
    holdsWhen(w.criterion.open && w.criterion.regime === 'narrow', {
      reason: 'the rank criterion says open (narrow regime)',
      detail: `(a): ${w.criterion.rule} ⇒ open onto rank ≤ 1`,
    }),
    compare({
      measured: w.worstVanishing,
      bound: 1e-2,
      errorModel: 'verified fiber points',
      detail: '(a): fiber distances of rank-1 targets vanish',
    }),
    compare({
      measured: Math.min(...gaps),
      bound: 64 * Number.EPSILON * frobeniusNorm(XY),
      comparison: '>=',
      errorModel: "σ_2(Z) > 0 (rank(X'Y') ≤ 1 is exact); σ_2 must exceed the SVD resolution 64ε‖Z‖",
      detail:
        `(a): rank-2 targets at δ = 1e-2, 1e-5, 1e-8 have σ_2 = ${gaps.map((g) => sci(g)).join(', ')} > 0: not in ` +
        `the range, so not open onto R^{2×2}`,
    }),
  ]);
}

/** NR's example (b), X = [1; 1], Y = [0 0]: the target [[δ, 0], [0, 0]] needs a move of at least 1 for every δ > 0. */
export function nrExampleBVerdict(rng: Rng): Verdict {
  const lowers = [1e-2, 1e-5, 1e-8].map(
    (d) =>
      fiberDistance(
        nrExampleB.X,
        nrExampleB.Y,
        Matrix.from([
          [d, 0],
          [0, 0],
        ]),
        rng,
      ).lower,
  );
  return worstOf([
    holdsWhen(!opennessCriterion(nrExampleB.X, nrExampleB.Y).open, {
      reason: 'the rank criterion says not open',
      detail: '(b): the rank criterion says not open',
    }),
    compare({
      measured: Math.min(...lowers),
      bound: 1 - 1e-12,
      comparison: '>=',
      errorModel: "rigorous: X'y'ᵀ = δe_1e_1ᵀ forces X' ∝ e_1, so ‖X' − [1; 1]‖ ≥ 1",
      detail: `(b): fiber distances ≥ ${lowers.map((l) => sci(l)).join(', ')}`,
    }),
  ]);
}
