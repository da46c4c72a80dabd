import fc from 'fast-check';
import { dimension, seeded } from '../../src/arbitraries/seeded.js';
import { compare, inconclusive } from '../../src/check/verdict.js';
import { type Claim, defineClaim } from '../../src/claims/claim.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';
import { svd } from '../../src/linalg/svd.js';
import { matrixWithSpectrum } from '../../src/random/constructions.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';

/**
 * Three FALSE claims whose counterexamples sit in thin regions of the instance space — an alignment of singular
 * vectors, a specific step size, an initialization on a saddle's stable manifold — so that random sampling
 * (fast-check alone) almost never meets them and the targeted phase of the search must climb to them.
 */

const source = { paper: 'dlnv search demo', location: 'thin-region counterexamples', provenance: 'D' as const };
const fmt = (x: number): string => x.toExponential(3);
const round = (x: number): number => Number(x.toPrecision(4));

// -------------------------------------------------------------------------------------------------------------
// 1. Alignment of singular vectors: ‖W_3W_2W_1‖_2 = 1 exactly when the top singular vectors chain up.

export interface ProductInstance {
  readonly d: number;
  readonly layers: readonly Matrix[];
}

const PRODUCT_BOUND = 1 - 1e-4;

export const productNormClaim: Claim<ProductInstance> = defineClaim<ProductInstance>({
  id: 'thin.product-norm',
  title: 'FALSE: a depth-3 product of layers with spectrum (1, ½, ¼, …) contracts by at least 1e-4',
  statement:
    'W_j = U_j diag(1, 2^{-1}, …, 2^{1−d}) V_jᵀ with Haar U_j, V_j (d = 2..4): ‖W_3W_2W_1‖_2 ≤ 1 − 1e-4. FALSE: the norm reaches 1 when ' +
    'v_3 = ±u_2 and v_2 = ±u_1 (the top singular vectors align), a set of measure zero surrounded by a thin region.',
  source,
  hypotheses: ['d ∈ [2, 4], depth 3, square layers', 'singular values 2^{−i}, Haar singular vectors'],
  instances: seeded(fc.tuple(dimension(2, 4)), ([d], rng) => ({
    d,
    layers: [0, 1, 2].map(() =>
      matrixWithSpectrum(
        rng,
        d,
        d,
        Array.from({ length: d }, (_, i) => 2 ** -i),
      ),
    ),
  })),
  check: (i) => {
    const norm = svd(multiply(i.layers[2], multiply(i.layers[1], i.layers[0]))).s[0];
    return compare({
      measured: norm,
      bound: PRODUCT_BOUND,
      errorModel: 'exact bound 1 − 1e-4 (round-off ~1e-16 is far below)',
      detail: `‖W_3W_2W_1‖_2 = ${norm.toPrecision(8)}`,
    });
  },
  expected: 'counterexample',
  tolerance: 'none beyond the claimed 1e-4 gap',
  summarize: (i) => ({ d: i.d, layers: i.layers.map((w) => w.toArray().map((r) => r.map(round))) }),
});

// -------------------------------------------------------------------------------------------------------------
// 2. A specific step size: one GD step on ½(ab − y)² balances the network exactly when η|ab − y| = 1.

export interface BalanceInstance {
  readonly a: number;
  readonly b: number;
  readonly y: number;
  readonly eta: number;
}

const BALANCE_BOUND = 1e-4;

export const balanceStepClaim: Claim<BalanceInstance> = defineClaim<BalanceInstance>({
  id: 'thin.gd-balance',
  title: 'FALSE: one GD step never balances an unbalanced scalar two-layer network',
  statement:
    'For f(a, b) = ½(ab − y)² and one GD step of size η ∈ [0.01, 1]: |a₁² − b₁²| ≥ 1e-4·|a₀² − b₀²|. FALSE: a₁² − b₁² = (a₀² − b₀²)(1 − η²r²) with ' +
    'r = a₀b₀ − y, which vanishes at the single step η = 1/|r|.',
  source,
  hypotheses: ['a₀, b₀, y ~ N(0, 1), unbalanced: |a₀² − b₀²| ≥ 0.01 (else inconclusive)', 'η log-uniform in [0.01, 1]'],
  instances: seeded(fc.constant(null), (_p, rng) => ({
    a: rng.gaussian(),
    b: rng.gaussian(),
    y: rng.gaussian(),
    eta: 10 ** (2 * rng.uniform() - 2),
  })),
  check: ({ a, b, y, eta }) => {
    const r = a * b - y;
    const a1 = a - eta * r * b,
      b1 = b - eta * r * a;
    const before = Math.abs(a * a - b * b),
      after = Math.abs(a1 * a1 - b1 * b1);
    if (before < 0.01) {
      return inconclusive({
        measured: 1,
        bound: BALANCE_BOUND,
        comparison: '>=',
        errorModel: 'hypothesis',
        detail: `start not unbalanced: |a₀² − b₀²| = ${fmt(before)} < 0.01`,
      });
    }
    return compare({
      measured: after / before,
      bound: BALANCE_BOUND,
      comparison: '>=',
      errorModel: 'exact bound 1e-4 (the ratio is computed to ~1e-15)',
      detail: `|a₁² − b₁²|/|a₀² − b₀²| = ${fmt(after / before)} at η = ${eta.toPrecision(6)}, 1/|r| = ${(1 / Math.abs(r)).toPrecision(6)}`,
    });
  },
  expected: 'counterexample',
  tolerance: 'none beyond the claimed factor 1e-4',
  summarize: (i) => ({ a: round(i.a), b: round(i.b), y: round(i.y), eta: i.eta }),
});

// -------------------------------------------------------------------------------------------------------------
// 3. An initialization on a saddle's stable manifold: GD from a small init escapes the saddle at 0 in T steps.

export interface SaddleInstance {
  readonly d: number;
  readonly W1: Matrix;
  readonly W2: Matrix;
}

const SADDLE = { eta: 0.25, steps: 200, scale: 0.1, loss: 0.02 } as const;

/** Φ = diag(1, ½, …) on R^d; loss ½‖W_2W_1 − Φ‖²; GD with step η for T steps. */
function saddleLoss(i: SaddleInstance): number {
  const d = i.d;
  const W1 = Float64Array.from(i.W1.data),
    W2 = Float64Array.from(i.W2.data);
  const R = new Float64Array(d * d),
    G1 = new Float64Array(d * d),
    G2 = new Float64Array(d * d);
  const residual = (): number => {
    let l = 0;
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += W2[r * d + k] * W1[k * d + c];
        const v = s - (r === c ? 2 ** -r : 0);
        R[r * d + c] = v;
        l += 0.5 * v * v;
      }
    return l;
  };
  for (let t = 0; t < SADDLE.steps; t++) {
    residual();
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++) {
        let g1 = 0,
          g2 = 0;
        for (let k = 0; k < d; k++) {
          g1 += W2[k * d + r] * R[k * d + c]; // (W_2ᵀR)_{rc}
          g2 += R[r * d + k] * W1[c * d + k]; // (RW_1ᵀ)_{rc}
        }
        G1[r * d + c] = g1;
        G2[r * d + c] = g2;
      }
    for (let k = 0; k < d * d; k++) {
      W1[k] -= SADDLE.eta * G1[k];
      W2[k] -= SADDLE.eta * G2[k];
    }
  }
  return residual();
}

export const saddleEscapeClaim: Claim<SaddleInstance> = defineClaim<SaddleInstance>({
  id: 'thin.saddle-escape',
  title: `FALSE: GD from a small random init fits Φ = diag(1, ½, …) within ${SADDLE.steps} steps`,
  statement:
    `Two-layer network W_2W_1 on R^d (d = 2..3), W_j(0) with i.i.d. N(0, ${SADDLE.scale}²) entries, loss ½‖W_2W_1 − Φ‖², GD with η = ${SADDLE.eta}: ` +
    `after ${SADDLE.steps} steps the loss is ≤ ${SADDLE.loss}. FALSE: an init whose component along one of Φ's singular pairs, u_iᵀW_2 + (W_1v_i)ᵀ, nearly vanishes sits near the stable ` +
    'manifold of the saddle at 0 and needs arbitrarily long to escape (a thin region: a codimension-d condition).',
  source,
  hypotheses: ['d ∈ [2, 3]', `W_j(0) entries N(0, ${SADDLE.scale}²)`, `η = ${SADDLE.eta}, T = ${SADDLE.steps}`],
  instances: seeded(fc.tuple(dimension(2, 3)), ([d], rng) => ({
    d,
    W1: gaussianMatrix(rng, d, d, SADDLE.scale),
    W2: gaussianMatrix(rng, d, d, SADDLE.scale),
  })),
  check: (i) => {
    const loss = saddleLoss(i);
    return compare({
      measured: loss,
      bound: SADDLE.loss,
      errorModel: `exact bound ${SADDLE.loss} on the loss after T steps`,
      detail: `L(W(T)) = ${fmt(loss)} after ${SADDLE.steps} GD steps`,
    });
  },
  expected: 'counterexample',
  tolerance: `none beyond the claimed loss level ${SADDLE.loss} (the fitted value is ~1e-6, a stuck run stays near ½)`,
  summarize: (i) => ({
    d: i.d,
    W1: i.W1.toArray().map((r) => r.map(round)),
    W2: i.W2.toArray().map((r) => r.map(round)),
  }),
});

/** A claim file's export, so that 'dlnv search test/search/thin-claims.ts#ID' finds them. */
export const claims: Claim<any>[] = [productNormClaim, balanceStepClaim, saddleEscapeClaim];
