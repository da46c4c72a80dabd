import fc from 'fast-check';
import { type Verdict, compare, holdsWhen, worstOf } from '../src/check/verdict.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { dimension, seeded } from '../src/arbitraries/seeded.js';
import { Matrix } from '../src/linalg/matrix.js';
import { multiply, transpose } from '../src/linalg/products.js';
import { frobeniusNorm } from '../src/linalg/frobenius.js';
import { svd } from '../src/linalg/svd.js';
import { type LossScale, loss } from '../src/model/loss.js';
import { layerGradients } from '../src/model/gradients.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { randomOrthonormal } from '../src/random/orthonormal.js';
import { Rng } from '../src/random/rng.js';
import { classifyPoint } from '../src/landscape/classify.js';
import { globalDescentVerdict } from '../src/landscape/global-descent.js';
import { flatten, hessianSpectrum, unflatten } from '../src/landscape/hessian.js';
import { lbfgs } from '../src/landscape/descent.js';
import { fiberDistance, opennessCriterion, opennessWitness } from '../src/landscape/openness.js';
import { burerMonteiroDescend, iclr18Example, positivePart, twoLayerClosedForm, twoLayerMinimizer } from '../src/landscape/nr-models.js';
import { gradientTolerance, lossTolerance } from '../src/landscape/tolerances.js';
import { fmt } from './support/verdict-text.js';

/**
 * Nouiehed & Razaviyayn, "Learning deep models: critical points and local openness" (arXiv 1803.02968), and the
 * regression examples THEORY §3 attaches to it.
 */

// ---------------------------------------------------------------------------------------------------------
// nr.local-openness

interface OpennessInstance {
  readonly X: Matrix;
  readonly Y: Matrix;
  /** 'random' or one of NR's counterexamples. */
  readonly name: string;
  readonly seed: number;
}

/**
 * (X, Y) with rank X = r_x, rank Y = r_y and dim(corange X ∩ range Y) = o chosen up front, so that rank XY = o
 * and both regimes and both verdicts occur; small overlaps are favoured (they make non-open points).
 */
const randomPair: fc.Arbitrary<OpennessInstance> = seeded(
  fc.tuple(dimension(1, 3), dimension(1, 3), dimension(1, 3), fc.nat(), fc.nat(), fc.nat()),
  ([m, k, n, a, b, c], rng) => {
    const rx = a % (Math.min(m, k) + 1), ry = b % (Math.min(k, n) + 1);
    const lo = Math.max(0, rx + ry - k), hi = Math.min(rx, ry);
    const o = lo + (c % (hi - lo + 1));
    const basis = randomOrthonormal(rng, k, k);
    const col = (i: number) => Array.from({ length: k }, (_, r) => basis.data[r * k + i]);
    const B = Array.from({ length: rx }, (_, i) => col(i));
    const C = [...Array.from({ length: o }, (_, i) => col(i)), ...Array.from({ length: ry - o }, (_, i) => col(k - 1 - i))];
    const U = randomOrthonormal(rng, m, rx), V = randomOrthonormal(rng, n, ry);
    const X = new Matrix(m, k), Y = new Matrix(k, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < rx; t++) s += U.data[i * rx + t] * (1 + 0.5 * t) * B[t][j];
      X.data[i * k + j] = s;
    }
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < ry; t++) s += C[t][i] * (1 + 0.3 * t) * V.data[j * ry + t];
      Y.data[i * n + j] = s;
    }
    return { X, Y, name: 'random', seed: rng.integer(0, 0x7fffffff) };
  },
);

/** NR's counterexamples (THEORY §3): (a) X = [1; 2], Y = [1 1]; (b) X = [1; 1], Y = [0 0]. */
export const nrExampleA: OpennessInstance = { X: Matrix.from([[1], [2]]), Y: Matrix.from([[1, 1]]), name: 'NR (a)', seed: 1 };
export const nrExampleB: OpennessInstance = { X: Matrix.from([[1], [1]]), Y: Matrix.from([[0, 0]]), name: 'NR (b)', seed: 2 };

const opennessArb = fc.oneof({ arbitrary: fc.constantFrom(nrExampleA, nrExampleB), weight: 1 }, { arbitrary: randomPair, weight: 6 });

function opennessVerdict(instance: OpennessInstance, assumeOpen?: boolean): Verdict {
  const w = opennessWitness(instance.X, instance.Y, new Rng(instance.seed), { targets: 3 });
  const open = assumeOpen ?? w.criterion.open;
  const d = `${instance.name} ${w.criterion.m}×${w.criterion.k}·${w.criterion.k}×${w.criterion.n}: ${w.criterion.rule} ⇒ ${w.criterion.open ? 'open' : 'not open'}`;
  if (open) {
    return compare({ measured: w.worstVanishing, bound: 1e-2, errorModel: 'fiber points verified to ‖X\'Y\' − Z‖ ≤ 1e-12; distances relative to 1 + ‖X‖ + ‖Y‖; open points give ≤ √(2δ) ~ 1e-4 at δ = 1e-8', detail: `${d}; largest fiber distance at δ = 1e-8 over 3 random targets (must vanish)` });
  }
  return compare({ measured: w.bestAway, bound: 1e-2, comparison: '>=', errorModel: `${w.rigorousAway ? 'rigorous lower bound (rank Z = k forces range X\' = range Z)' : 'best verified fiber point found (Gauss–Newton + variable projection): an upper bound'}`, detail: `${d}; fiber distance of the worst target stays ≥ 1e-2 for δ = 1e-2 … 1e-8` });
}

export const nrLocalOpenness: Claim<OpennessInstance> = defineClaim({
  id: 'nr.local-openness',
  title: 'Local openness of (X, Y) ↦ XY: rank criteria vs a fiber-distance witness',
  statement:
    'M(X, Y) = XY (X ∈ R^{m×k}, Y ∈ R^{k×n}) is locally open at (X, Y) onto its range iff: k ≥ min(m, n): rank Y − rank XY ≤ k − m or rank X − rank XY ≤ k − n; k < min(m, n): rank X = rank Y = rank XY. Witness: for random targets Z in the range with ‖Z − XY‖ = δ, dist((X, Y), M⁻¹(Z)) → 0 as δ → 0 iff open.',
  source: { paper: 'NR', location: 'local openness of matrix multiplication (stated in NR); the rank form of the criterion is derived from NR\'s statements', provenance: 'P/D' },
  hypotheses: ['m, k, n ≤ 3; ranks and overlap dim(corange X ∩ range Y) drawn explicitly', 'NR\'s counterexamples (a) and (b) included', 'the witness is numeric (vanishing is shown by verified fiber points; "bounded away" is rigorous for rank-k targets when k < min(m, n), an upper-bound estimate otherwise) except at (X, Y) = (0, 0), where the fiber distance √(2‖Z‖_*) is exact'],
  instances: opennessArb,
  check: (instance) => opennessVerdict(instance),
  expected: 'holds',
  tolerance: 'open: fiber distance at δ = 1e-8 ≤ 1e-2·(1 + ‖X‖ + ‖Y‖) (rates δ or √δ give ≤ 1e-4); not open: ≥ 1e-2·(1 + ‖X‖ + ‖Y‖) at every δ',
  runs: 150,
  summarize: (i) => ({ name: i.name, X: i.X.toArray(), Y: i.Y.toArray() }),
});

export const nrLocalOpennessEverywhere: Claim<OpennessInstance> = defineClaim({
  ...nrLocalOpenness,
  id: 'nr.local-openness.everywhere',
  title: 'FALSE: matrix multiplication is locally open everywhere',
  statement: 'FALSE variant: XY is locally open at every (X, Y) (onto its range). NR: it is not, e.g. at X = [1; 1], Y = [0 0].',
  source: { paper: 'NR', location: 'negation of local openness at rank-deficient pairs; the paper gives the counterexample X = [1; 1], Y = [0 0]', provenance: 'D' },
  instances: randomPair,
  check: (instance) => opennessVerdict(instance, true),
  expected: 'counterexample',
  runs: 60,
});

/** NR's two counterexamples, checked the way THEORY states them. */
export const nrLocalOpennessExamples: Claim<'a' | 'b'> = defineClaim({
  id: 'nr.local-openness.examples',
  title: 'NR\'s counterexamples (a) and (b)',
  statement:
    '(a) X = [1; 2], Y = [1 1] is locally open onto the rank ≤ 1 matrices but not onto R^{2×2} (rank-2 targets near XY are unreachable); (b) X = [1; 1], Y = [0 0]: the target [[δ, 0], [0, 0]] needs a move of at least 1 for every δ > 0 — not open.',
  source: { paper: 'NR', location: 'counterexamples (a), (b)', provenance: 'P' },
  hypotheses: ['exact examples, δ ∈ {1e-2, 1e-5, 1e-8}'],
  instances: fc.constantFrom<'a' | 'b'>('a', 'b'),
  check: (which) => {
    const rng = new Rng(which === 'a' ? 11 : 12);
    if (which === 'a') {
      const w = opennessWitness(nrExampleA.X, nrExampleA.Y, rng, { targets: 3 });
      const XY = multiply(nrExampleA.X, nrExampleA.Y);
      // Rank-2 targets XY + δG: every product of a 2×1 and a 1×2 matrix has rank ≤ 1, so dist(Z, range) ≥ σ_2(Z) > 0.
      const G = gaussianMatrix(rng, 2, 2);
      const gaps = [1e-2, 1e-5, 1e-8].map((d) => {
        const Z = XY.clone();
        for (let i = 0; i < 4; i++) Z.data[i] += (d * G.data[i]) / frobeniusNorm(G);
        return svd(Z).s[1];
      });
      return worstOf([
        holdsWhen(w.criterion.open && w.criterion.regime === 'narrow', { reason: 'the rank criterion says open (narrow regime)', detail: `(a): ${w.criterion.rule} ⇒ open onto rank ≤ 1` }),
        compare({ measured: w.worstVanishing, bound: 1e-2, errorModel: 'verified fiber points', detail: '(a): fiber distances of rank-1 targets vanish' }),
        compare({ measured: Math.min(...gaps), bound: 64 * Number.EPSILON * frobeniusNorm(XY), comparison: '>=', errorModel: 'σ_2(Z) > 0 (rank(X\'Y\') ≤ 1 is exact); σ_2 must exceed the SVD resolution 64ε‖Z‖', detail: `(a): rank-2 targets at δ = 1e-2, 1e-5, 1e-8 have σ_2 = ${gaps.map(fmt).join(', ')} > 0: not in the range, so not open onto R^{2×2}` }),
      ]);
    }
    const lowers = [1e-2, 1e-5, 1e-8].map((d) => fiberDistance(nrExampleB.X, nrExampleB.Y, Matrix.from([[d, 0], [0, 0]]), rng).lower);
    return worstOf([
      holdsWhen(!opennessCriterion(nrExampleB.X, nrExampleB.Y).open, { reason: 'the rank criterion says not open', detail: '(b): the rank criterion says not open' }),
      compare({ measured: Math.min(...lowers), bound: 1 - 1e-12, comparison: '>=', errorModel: 'rigorous: X\'y\'ᵀ = δe_1e_1ᵀ forces X\' ∝ e_1, so ‖X\' − [1; 1]‖ ≥ 1', detail: `(b): fiber distances ≥ ${lowers.map(fmt).join(', ')}` }),
    ]);
  },
  expected: 'holds',
  tolerance: 'exact arguments; fiber points verified to round-off',
  runs: 2,
});

// ---------------------------------------------------------------------------------------------------------
// nr.two-layer-global

interface TwoLayerInstance {
  readonly widths: number[];
  readonly scale: LossScale;
  readonly data: { X: Matrix; Y: Matrix };
  readonly start: Matrix[];
  readonly seed: number;
}

const twoLayerArb: fc.Arbitrary<TwoLayerInstance> = seeded(
  fc.tuple(dimension(1, 4), dimension(1, 4), dimension(1, 4), dimension(1, 6), fc.nat(3), fc.constantFrom<LossScale>('half', 'sum', 'mean')),
  ([d0, d1, d2, m, deficiency, scale], rng) => {
    // X of rank ρ ≤ min(d_0, m), often rank-deficient; Y arbitrary (not in the row space of X).
    const rho = Math.max(1, Math.min(d0, m) - deficiency);
    const X = multiply(gaussianMatrix(rng, d0, rho), gaussianMatrix(rng, rho, m));
    const Y = gaussianMatrix(rng, d2, m);
    const start = [gaussianMatrix(rng, d1, d0, 1 / Math.sqrt(d0)), gaussianMatrix(rng, d2, d1, 1 / Math.sqrt(d1))];
    return { widths: [d0, d1, d2], scale, data: { X, Y }, start, seed: rng.integer(0, 0x7fffffff) };
  },
);

function twoLayerVerdicts(instance: TwoLayerInstance, withProjection: boolean): Verdict[] {
  const cf = twoLayerClosedForm(instance.data, instance.widths, instance.scale);
  const formula = withProjection ? cf.value : cf.truncation;
  const opt = twoLayerMinimizer(instance.data, instance.widths, new Rng(instance.seed));
  const attained = loss(opt, instance.data, { scale: instance.scale });
  const tau = lossTolerance(opt, instance.data, instance.scale) + lossTolerance(instance.start, instance.data, instance.scale);
  const label = withProjection ? '½Σ_{i>k}σ_i(YV_x)² + ½‖Y(I − V_xV_xᵀ)‖²' : '½Σ_{i>k}σ_i(YV_x)² (projection term dropped)';
  return [
    compare({ measured: Math.abs(attained - formula), bound: tau + 1e-12 * (1 + formula), errorModel: 'τ_L + 1e-12 relative (SVD of X and YV_x)', detail: `explicit minimizer [YV_x]_kΣ_x⁻¹U_xᵀ attains ${fmt(attained)} vs ${label} = ${fmt(formula)} (rank X = ${cf.rankX}, k = ${cf.k})` }),
    globalDescentVerdict(instance.start, instance.data, formula, { scale: instance.scale, targetLabel: label }),
  ];
}

export const nrTwoLayerGlobal: Claim<TwoLayerInstance> = defineClaim({
  id: 'nr.two-layer-global',
  title: 'Two layers: every local minimum is global, closed form with rank-deficient X',
  statement:
    'Every local minimum of ½‖W_2W_1X − Y‖² is global with no assumption on X, Y; the global value is ½Σ_{i>k}σ_i(YV_x)² + ½‖Y(I − V_xV_xᵀ)‖² (X = U_xΣ_xV_xᵀ thin SVD, k = min(d_0, d_1, d_2)).',
  source: { paper: 'NR', location: 'two-layer linear networks: every local minimum is global (the closed form is derived)', provenance: 'P' },
  hypotheses: ['X arbitrary, often rank-deficient (ρ < min(d_0, m)); Y arbitrary', 'local descent from a random start (trust-region Newton, monotone); an endpoint refutes only if certified a local minimum, else inconclusive'],
  instances: twoLayerArb,
  check: (instance) => worstOf(twoLayerVerdicts(instance, true)),
  expected: 'holds',
  tolerance: 'closed form vs explicit minimizer: τ_L + 1e-12 relative; descent end vs closed form: 1e-7·(1 + |L*|), refuted only at a certified local minimum',
  runs: 150,
  summarize: (i) => ({ widths: i.widths, samples: i.data.X.cols, scale: i.scale }),
});

export const nrTwoLayerNoProjection: Claim<TwoLayerInstance> = defineClaim({
  ...nrTwoLayerGlobal,
  id: 'nr.two-layer-global.no-projection',
  title: 'FALSE: the closed form without the ½‖Y(I − V_xV_xᵀ)‖² term',
  statement: 'FALSE variant: min ½‖W_2W_1X − Y‖² = ½Σ_{i>k}σ_i(YV_x)². Wrong whenever Y has a part outside the row space of X (m > rank X).',
  source: { paper: 'NR', location: 'closed form with the projection term dropped (FALSE variant, derived)', provenance: 'D' },
  check: (instance) => worstOf(twoLayerVerdicts(instance, false)),
  expected: 'counterexample',
  runs: 30,
});

// ---------------------------------------------------------------------------------------------------------
// nr.iclr18-example

interface IclrInstance {
  readonly angles: [number, number, number];
  readonly reflections: [boolean, boolean, boolean];
  readonly c: number;
  readonly scale: LossScale;
  readonly seed: number;
}

const iclrArb: fc.Arbitrary<IclrInstance> = seeded(
  fc.tuple(fc.constantFrom<LossScale>('half', 'sum', 'mean'), fc.boolean()),
  ([scale, moved], rng) => {
    if (!moved) return { angles: [0, 0, 0], reflections: [false, false, false], c: 1, scale, seed: 1 };
    const angles: [number, number, number] = [0, 0, 0].map(() => 2 * Math.PI * rng.uniform()) as [number, number, number];
    const reflections: [boolean, boolean, boolean] = [0, 0, 0].map(() => rng.uniform() < 0.5) as [boolean, boolean, boolean];
    return { angles, reflections, c: Math.exp(rng.uniform() - 0.5), scale, seed: rng.integer(0, 0x7fffffff) };
  },
);

function orth(angle: number, reflect: boolean): Matrix {
  const s = reflect ? -1 : 1;
  return Matrix.from([[Math.cos(angle), -s * Math.sin(angle)], [Math.sin(angle), s * Math.cos(angle)]]);
}

function iclrOf(i: IclrInstance) {
  return iclr18Example({ Oin: orth(i.angles[0], i.reflections[0]), Oout: orth(i.angles[1], i.reflections[1]), Os: orth(i.angles[2], i.reflections[2]), c: i.c, scale: i.scale });
}

export const nrIclr18Example: Claim<IclrInstance> = defineClaim({
  id: 'nr.iclr18-example',
  title: 'The ICLR-2018 "non-global local minimum" is a non-strict saddle',
  statement:
    'X = I, Y = diag(0, 1), W_3 = [1; 0], W_2 = [0], W_1 = [1 0] is a critical point with a PSD Hessian but NOT a local minimum: along W_3 = [1; t], W_2 = [t²], W_1 = [1, t] the loss is ½(1 − t⁴ + 2t⁶ + t⁸) < ½. A checker that calls a point a local minimum must survive higher-order curves.',
  source: { paper: 'NR', location: '2018 preprint example, regression (derived)', provenance: 'D' },
  hypotheses: ['also moved by symmetries that keep every statement: orthogonal changes of input, output and sample bases, gauge W_3 → cW_3, W_1 → c⁻¹W_1; all three loss scales'],
  instances: iclrArb,
  check: (instance) => {
    const ex = iclrOf(instance);
    const { weights, data, scale } = ex;
    const g = Math.hypot(...layerGradients(weights, data, { scale }).map((m) => frobeniusNorm(m)));
    const spec = hessianSpectrum(weights, data, scale);
    let curveErr = 0, curveTol = 0;
    for (const t of [0.1, 0.3, 0.5, 0.7]) {
      const wt = ex.curve(t);
      curveErr = Math.max(curveErr, Math.abs(loss(wt, data, { scale }) - ex.curveLoss(t)));
      curveTol = Math.max(curveTol, lossTolerance(wt, data, scale));
    }
    const c = classifyPoint(weights, data, { scale, seed: instance.seed });
    return worstOf([
      compare({ measured: g, bound: Math.max(gradientTolerance(weights, data, scale), Number.MIN_VALUE), errorModel: 'τ_g', detail: `‖∇L‖ at the example` }),
      compare({ measured: -spec.lambdaMin, bound: spec.tolerance, errorModel: `τ_H = ${fmt(spec.tolerance)}`, detail: `Hessian PSD: λ_min = ${fmt(spec.lambdaMin)} (eigenvalues: ${spec.positive} positive, ${spec.zero} zero)` }),
      compare({ measured: curveErr, bound: curveTol, errorModel: 'τ_L', detail: 'L along the curve = κ·½(1 − t⁴ + 2t⁶ + t⁸) at t = 0.1, 0.3, 0.5, 0.7' }),
      holdsWhen(c.class === 'non-strict-saddle' && !!c.probe?.found && c.probe.order === 4, { reason: 'classified a non-strict saddle with descent of order 4', detail: `classifier: ${c.class}; probe: ${c.probe?.detail ?? 'none'}` }),
    ]);
  },
  expected: 'holds',
  tolerance: 'exact identities at τ_g, τ_H, τ_L; the probe confirms order-4 descent by direct evaluation',
  runs: 24,
  summarize: (i) => i,
});

export const nrIclr18SecondOrderTest: Claim<IclrInstance> = defineClaim({
  ...nrIclr18Example,
  id: 'nr.iclr18-example.second-order-test',
  title: 'FALSE: critical + PSD Hessian ⇒ local minimum',
  statement: 'FALSE variant: a critical point whose Hessian is positive semidefinite is a local minimum (no nearby point has lower loss). The ICLR-2018 example refutes it at t = 0.3 on its curve.',
  source: { paper: 'NR', location: 'second-order test misused (FALSE variant, derived)', provenance: 'D' },
  check: (instance) => {
    const ex = iclrOf(instance);
    const l0 = loss(ex.weights, ex.data, { scale: ex.scale });
    const lt = loss(ex.curve(0.3), ex.data, { scale: ex.scale });
    return compare({ measured: lt - l0, bound: -lossTolerance(ex.weights, ex.data, ex.scale), comparison: '>=', errorModel: 'τ_L', detail: `L(curve(0.3)) − L(0) = ${fmt(lt - l0)} must be ≥ 0 for a local minimum` });
  },
  expected: 'counterexample',
  runs: 4,
});

// ---------------------------------------------------------------------------------------------------------
// nr.burer-monteiro

interface BurerMonteiroInstance {
  readonly n: number;
  readonly positive: number;
  readonly k: number;
  readonly M: Matrix;
  readonly X0: Matrix;
  /** A second factor for the asymmetric variant (drawn after X_0, so X_0 is the same as without it). */
  readonly Y0: Matrix;
}

function burerMonteiroArb(): fc.Arbitrary<BurerMonteiroInstance> {
  return seeded(fc.tuple(dimension(2, 5), fc.nat(), fc.nat()), ([n, a, b], rng) => {
    // p < n positive eigenvalues (so M has a negative part) and k > p.
    const p = a % n;
    const k = p + 1 + (b % (n - p));
    const Q = randomOrthonormal(rng, n, n);
    const lambda = Array.from({ length: n }, (_, i) => (i < p ? 1 : -1) * (0.3 + 1.2 * rng.uniform()));
    const M = new Matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += lambda[c] * Q.data[i * n + c] * Q.data[j * n + c];
      M.data[i * n + j] = s;
    }
    const X0 = gaussianMatrix(rng, n, k, 0.5);
    return { n, positive: p, k, M, X0, Y0: gaussianMatrix(rng, n, k, 0.5) };
  });
}

function burerMonteiroCheck(instance: BurerMonteiroInstance): Verdict {
  const r = burerMonteiroDescend(instance.X0, instance.M);
  const rel = r.distance / frobeniusNorm(instance.M);
  return compare({ measured: rel, bound: 1e-6, errorModel: 'descent stops at ‖∇f‖ ≤ 1e-10(1 + ‖∇f_0‖); ‖XXᵀ − M_+‖ ~ ‖∇f‖/|λ| ≪ 1e-6', detail: `n = ${instance.n}, p = ${instance.positive} positive eigenvalues, k = ${instance.k}: ‖XXᵀ − M_+‖/‖M‖ after ${r.iterations} steps` });
}

export const nrBurerMonteiro: Claim<BurerMonteiroInstance> = defineClaim({
  id: 'nr.burer-monteiro',
  title: 'Burer–Monteiro: with k > #positive eigenvalues, descent reaches XXᵀ = M_+',
  statement: 'For f(X) = ½‖XXᵀ − M‖² with X ∈ R^{n×k} and k larger than the number of positive eigenvalues of the symmetric M, local descent reaches XXᵀ = M_+ (the positive part of M).',
  source: { paper: 'NR', location: 'recalled symmetric (Burer–Monteiro) case; not confirmed in the text', provenance: 'M' },
  hypotheses: ['M symmetric with eigenvalues bounded away from 0 (|λ| ∈ [0.3, 1.5])', 'random start X_0 with N(0, 0.25) entries; monotone L-BFGS descent'],
  instances: burerMonteiroArb(),
  check: burerMonteiroCheck,
  expected: 'holds',
  tolerance: '‖XXᵀ − M_+‖_F ≤ 1e-6·‖M‖_F',
  runs: 150,
  summarize: (i) => ({ n: i.n, positive: i.positive, k: i.k }),
});

/**
 * The asymmetric factorization XYᵀ (a two-layer DLN [n, k, n] on data X = I) from an independent start (X_0, Y_0),
 * held to M_+. (From Y_0 = X_0 the iterates stay symmetric and this would be nr.burer-monteiro itself.)
 */
function asymmetricCheck(instance: BurerMonteiroInstance): Verdict {
  const start = [transpose(instance.Y0), instance.X0.clone()];
  const data = { X: Matrix.identity(instance.n), Y: instance.M };
  const r = lbfgs((x) => loss(unflatten(start, x), data), (x) => flatten(layerGradients(unflatten(start, x), data)), flatten(start));
  const weights = unflatten(start, r.x);
  const product = multiply(weights[1], weights[0]);
  const mPlus = positivePart(instance.M);
  for (let i = 0; i < product.data.length; i++) product.data[i] -= mPlus.data[i];
  return compare({
    measured: frobeniusNorm(product) / frobeniusNorm(instance.M),
    bound: 1e-6,
    errorModel: 'as nr.burer-monteiro: descent stops at ‖∇f‖ ≤ 1e-10(1 + ‖∇f_0‖), so a converged XYᵀ = M_+ would be within ~1e-10',
    detail: `n = ${instance.n}, p = ${instance.positive}, k = ${instance.k}: ‖XYᵀ − M_+‖/‖M‖ after ${r.iterations} L-BFGS steps (‖∇f‖ = ${fmt(r.gradientNorm)})`,
  });
}

export const nrBurerMonteiroAsymmetric: Claim<BurerMonteiroInstance> = defineClaim({
  ...nrBurerMonteiro,
  id: 'nr.burer-monteiro.asymmetric',
  title: 'FALSE: the asymmetric factorization XYᵀ (X, Y ∈ R^{n×k}, k > p) also ends at M_+',
  statement:
    'nr.burer-monteiro with XYᵀ in place of XXᵀ (independent random X_0, Y_0): descent on ½‖XYᵀ − M‖² reaches M_+. FALSE: without the symmetric constraint ' +
    'XYᵀ can carry negative eigen-directions; descent reaches the best rank-k approximation [M]_k (Eckart–Young on |λ|), which has M\'s negative part when k > p.',
  source: { paper: 'NR', location: 'FALSE variant of the recalled Burer–Monteiro statement (symmetry X = Y dropped); derived', provenance: 'D' },
  hypotheses: ['M symmetric with p positive and n − p ≥ 1 negative eigenvalues, |λ| ∈ [0.3, 1.5]', 'k > p, independent Gaussian X_0, Y_0; monotone L-BFGS descent on (X, Y)'],
  instances: burerMonteiroArb(),
  check: asymmetricCheck,
  expected: 'counterexample',
  runs: 20,
});

export const nrClaims: Claim<any>[] = [
  nrLocalOpenness,
  nrLocalOpennessEverywhere,
  nrLocalOpennessExamples,
  nrTwoLayerGlobal,
  nrTwoLayerNoProjection,
  nrIclr18Example,
  nrIclr18SecondOrderTest,
  nrBurerMonteiro,
  nrBurerMonteiroAsymmetric,
];


