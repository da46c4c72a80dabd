import fc from 'fast-check';
import { acghDeltaBound, acghStepBound } from '../acgh/descent.js';
import type { DescentInstance } from '../acgh/instances.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import type { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { maxBalancednessDefect } from '../model/balancedness.js';
import type { Data } from '../model/loss.js';
import { endToEnd } from '../model/partial-products.js';
import { whitenedInputs } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { marginStart } from './deficiency-margin.js';
import { dimension, seeded } from './seeded.js';

export type { DescentInstance };

/** The shapes of acgh.descent's instances (both shrinking toward their minimum). */
export interface DescentConstraints {
  /** Layer width d (default [1, 4]). */
  readonly dimension?: [number, number];
  /** Depth N (default [1, 4]). */
  readonly depth?: [number, number];
  /** Samples beyond d (default at most 3). */
  readonly maxExtraSamples?: number;
}

/** Whitened data for the "mean" scale: X = √m·(orthonormal rows), so XXᵀ/m = I, and Y with YXᵀ/m = Φ exactly in exact arithmetic. */
function whitenedData(rng: Rng, phi: Matrix, samples: number): Data {
  const d = phi.cols,
    m = samples;
  const X = whitenedInputs(rng, d, m);
  for (let t = 0; t < X.data.length; t++) X.data[t] *= Math.sqrt(m);
  // Y = ΦX + R with R ⟂ the rows of X (R = G(I − XᵀX/m)): it only adds a constant to L.
  const Y = multiply(phi, X);
  const G = gaussianMatrix(rng, phi.rows, m);
  const GXt = multiply(G, X, 'n', 't');
  const proj = multiply(GXt, X);
  for (let t = 0; t < Y.data.length; t++) Y.data[t] += G.data[t] - proj.data[t] / m;
  return { X, Y };
}

function distanceTo(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let t = 0; t < a.data.length; t++) s += (a.data[t] - b.data[t]) ** 2;
  return Math.sqrt(s);
}

/**
 * Square layers d×d (no bottleneck), Φ with σ_max = 1, σ_min = 10^{−q/4}; W(0) = Φ + Δ at distance u(σ_min − c) with
 * c = γσ_min; layers from ACGH Procedure 1 (balanced), optionally perturbed to be δ-balanced with δ ≤ ACGH's bound;
 * whitened data with d + extra samples. Shrinks toward d = 1, N = 1, a well-conditioned Φ, c = σ_min/4, a close
 * start, exact balance.
 */
export function descentInstanceArb(constraints: DescentConstraints = {}): fc.Arbitrary<DescentInstance> {
  const params = fc.tuple(
    dimension(...(constraints.dimension ?? [1, 4])),
    dimension(...(constraints.depth ?? [1, 4])),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
    fc.boolean(),
    fc.integer({ min: 0, max: constraints.maxExtraSamples ?? 3 }),
  );
  return seeded(params, ([d, depth, q, gammaQ, uQ, perturb, extra], rng) => {
    const { Phi, sigmaMinPhi, c, weights } = marginStart(rng, d, depth, q, gammaQ, uQ);
    const phiNorm = frobeniusNorm(Phi);
    const deltaBound = acghDeltaBound(c, phiNorm, depth);
    let balanced = !(perturb && depth >= 2);
    if (!balanced) {
      // δ-balanced start: perturb every layer by E_j (‖E_j‖_F ≤ ρ), halving ρ until max‖C_j‖_F ≤ δ-bound/2 and the
      // deficiency margin still holds with c.
      const E = weights.map(() => gaussianMatrix(rng, d, d));
      const base = weights.map((w) => w.clone());
      let rho = deltaBound,
        ok = false;
      for (let tries = 0; tries < 80 && !ok; tries++) {
        weights.forEach((w, j) => {
          // ‖E_j‖_F = ρ(j+1)/N: different sizes per layer, so a 1×1 network cannot stay balanced by symmetry.
          const s = (rho * (j + 1)) / (depth * frobeniusNorm(E[j]));
          for (let t = 0; t < w.data.length; t++) w.data[t] = base[j].data[t] + s * E[j].data[t];
        });
        ok = maxBalancednessDefect(weights) <= deltaBound / 2 && distanceTo(endToEnd(weights), Phi) <= sigmaMinPhi - c;
        rho /= 2;
      }
      if (!ok) {
        weights.forEach((w, j) => w.data.set(base[j].data)); // never leave the hypotheses: fall back to balanced
        balanced = true;
      }
    }
    const data = whitenedData(rng, Phi, d + extra);
    return {
      d,
      depth,
      Phi,
      sigmaMinPhi,
      c,
      distance: distanceTo(endToEnd(weights), Phi),
      deltaBound,
      delta: maxBalancednessDefect(weights),
      balanced,
      eta: acghStepBound(c, phiNorm, depth),
      weights,
      data,
    };
  });
}

const round = (x: number): number => Number(x.toPrecision(4));

export function summarizeDescentInstance(i: DescentInstance): unknown {
  return {
    d: i.d,
    N: i.depth,
    sigmaMinPhi: round(i.sigmaMinPhi),
    c: round(i.c),
    distance: round(i.distance),
    balanced: i.balanced,
    delta: round(i.delta),
    deltaBound: round(i.deltaBound),
    eta: round(i.eta),
    samples: i.data.X.cols,
    Phi: i.Phi.toArray().map((r) => r.map(round)),
  };
}
