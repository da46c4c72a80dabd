import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import { ObservationSchedule } from './schedule.js';
import { allocateState, assertCount, assertNonNegative, assertStateShapes, type Shape } from './state.js';
import type { ObserveOptions, VectorField } from './vector-field.js';

export interface ImplicitMidpointOptions {
  /** Stop the fixed-point iteration when ‖r‖_∞ ≤ atol + rtol·‖K‖_∞ (r the residual below). Default rtol 1e-13. */
  readonly rtol?: number;
  /** Default 0 (pure relative); the stagnation rule (residual no longer falls) still ends the iteration at the
   *  round-off floor, and that stop is reported. */
  readonly atol?: number;
  /** Iteration cap per step. Default 100. */
  readonly maxIterations?: number;
}

/** What one step's nonlinear solve achieved. */
export interface MidpointSolve {
  readonly iterations: number;
  /** ‖K − F(t + h/2, y + (h/2)K)‖_∞ of the slope K actually used for the step (measured, not estimated). */
  readonly residual: number;
  /** ‖K‖_∞, to read the residual relatively. */
  readonly slopeNorm: number;
  /** 'tolerance': residual ≤ atol + rtol‖K‖; 'stagnated': the residual stopped falling (round-off floor);
   *  'maxIterations': neither, within the cap. (Contraction needs (h/2)·Lip(F) < 1.) */
  readonly stop: 'tolerance' | 'stagnated' | 'maxIterations';
}

/**
 * The implicit midpoint rule y⁺ = y + hK, K = F(t + h/2, y + (h/2)K) (Gauss–Legendre, s = 1; order 2, symplectic).
 * It preserves every quadratic invariant Q with ⟨∇Q(y), F(y)⟩ ≡ 0 exactly when K solves its equation: with a
 * solve residual r = K − F(ȳ), Q(y⁺) − Q(y) = h·DQ(ȳ)[r] (the error is linear in r), so the C_j of the DLN flow are
 * kept to ~h·‖r‖·‖W‖ per step.
 * The equation is solved by fixed-point iteration K ← F(y + (h/2)K), a contraction when (h/2)·Lip(F) < 1, started
 * from the previous step's K (or F(y) at the first step). The slope used is the last iterate K_i whose residual
 * ‖K_i − F(y + (h/2)K_i)‖ = ‖K_i − K_{i+1}‖ was measured — so the reported residual is exact, at the price of one
 * extra evaluation per step. Buffers are allocated once; step allocates nothing.
 */
export class ImplicitMidpoint {
  readonly shapes: readonly Shape[];
  readonly rtol: number;
  readonly atol: number;
  readonly maxIterations: number;
  private readonly slope: Matrix[];
  private readonly image: Matrix[];
  private readonly mid: Matrix[];
  private started = false;

  constructor(
    private readonly field: VectorField,
    options: ImplicitMidpointOptions = {},
  ) {
    this.shapes = field.shapes;
    this.rtol = assertNonNegative(options.rtol ?? 1e-13, 'rtol');
    this.atol = assertNonNegative(options.atol ?? 0, 'atol');
    this.maxIterations = assertCount(options.maxIterations ?? 100, 'maxIterations');
    this.slope = allocateState(field.shapes);
    this.image = allocateState(field.shapes);
    this.mid = allocateState(field.shapes);
  }

  /** Forget the warm start (call between unrelated runs). */
  reset(): void {
    this.started = false;
  }

  step(t: number, h: number, state: readonly Matrix[]): MidpointSolve {
    const f = this.field;
    let K = this.slope,
      F = this.image;
    if (!this.started) {
      f.evaluate(t, state, K);
      this.started = true;
    }
    let previous = Infinity,
      residual = Infinity,
      norm = 0,
      iterations = 0;
    let stop: MidpointSolve['stop'] = 'maxIterations';
    for (;;) {
      // mid ← y + (h/2)K; F ← F(t + h/2, mid); r = ‖K − F‖_∞.
      for (let j = 0; j < state.length; j++) {
        const M = this.mid[j].data,
          Y = state[j].data,
          S = K[j].data;
        for (let i = 0; i < M.length; i++) M[i] = Y[i] + 0.5 * h * S[i];
      }
      f.evaluate(t + h / 2, this.mid, F);
      iterations++;
      residual = 0;
      norm = 0;
      for (let j = 0; j < state.length; j++) {
        const S = K[j].data,
          G = F[j].data;
        for (let i = 0; i < S.length; i++) {
          residual = Math.max(residual, Math.abs(S[i] - G[i]));
          norm = Math.max(norm, Math.abs(S[i]));
        }
      }
      if (!Number.isFinite(residual))
        throw new DomainError('implicit midpoint', `non-finite residual at t = ${t} (h = ${h}): diverged`);
      if (residual <= this.atol + this.rtol * norm) stop = 'tolerance';
      else if (iterations >= 3 && residual >= previous) stop = 'stagnated';
      else if (iterations >= this.maxIterations) stop = 'maxIterations';
      else {
        previous = residual;
        const swap = K; // the next iterate is the image
        K = F;
        F = swap;
        continue;
      }
      break;
    }
    // Use K (its residual was just measured): y ← y + hK. Keep K as the warm start of the next step.
    for (let j = 0; j < state.length; j++) {
      const Y = state[j].data,
        S = K[j].data;
      for (let i = 0; i < Y.length; i++) Y[i] += h * S[i];
    }
    if (K !== this.slope) {
      // The buffers were swapped an odd number of times: copy the slope back into its own buffer.
      for (let j = 0; j < state.length; j++) this.slope[j].data.set(K[j].data);
    }
    return { iterations, residual, slopeNorm: norm, stop };
  }
}

export interface ImplicitMidpointStats {
  readonly t: number;
  readonly steps: number;
  readonly h: number;
  /** Field evaluations (iterations, plus one for the first warm start). */
  readonly evaluations: number;
  readonly maxIterationsInStep: number;
  /** max over steps of the measured solve residual ‖K − F(ȳ)‖_∞. */
  readonly maxResidual: number;
  /** Σ_steps h·‖r‖_∞: the invariant drift model is C·(this)·‖W‖ (see ImplicitMidpoint). */
  readonly residualIntegral: number;
  readonly stagnatedSteps: number;
  readonly unconvergedSteps: number;
  readonly rtol: number;
  readonly atol: number;
}

/** Integrate from t0 (default 0) to t1 with `steps` implicit-midpoint steps, in place. */
export function integrateImplicitMidpoint(
  field: VectorField,
  state: readonly Matrix[],
  options: ImplicitMidpointOptions &
    ObserveOptions & { readonly t0?: number; readonly t1: number; readonly steps: number },
): ImplicitMidpointStats {
  assertStateShapes(state, field.shapes, 'state');
  const t0 = options.t0 ?? 0,
    t1 = options.t1;
  const steps = assertCount(options.steps, 'steps');
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || !(t1 > t0))
    throw new DomainError('[t0, t1]', `expected finite t0 < t1, received [${t0}, ${t1}]`);
  const h = (t1 - t0) / steps;
  const im = new ImplicitMidpoint(field, options);
  const schedule = new ObservationSchedule(options);
  schedule.observe(0, t0, state);
  let evaluations = 1,
    maxIterationsInStep = 0,
    maxResidual = 0,
    residualIntegral = 0,
    stagnatedSteps = 0,
    unconvergedSteps = 0;
  for (let s = 1; s <= steps; s++) {
    const r = im.step(t0 + (s - 1) * h, h, state);
    evaluations += r.iterations;
    maxIterationsInStep = Math.max(maxIterationsInStep, r.iterations);
    maxResidual = Math.max(maxResidual, r.residual);
    residualIntegral += h * r.residual;
    if (r.stop === 'stagnated') stagnatedSteps++;
    if (r.stop === 'maxIterations') unconvergedSteps++;
    schedule.observe(s, s === steps ? t1 : t0 + s * h, state, s === steps);
  }
  return {
    t: t1,
    steps,
    h,
    evaluations,
    maxIterationsInStep,
    maxResidual,
    residualIntegral,
    stagnatedSteps,
    unconvergedSteps,
    rtol: im.rtol,
    atol: im.atol,
  };
}
