import { checkOrderAdaptive, describeOrderTest, ORDER_TEST } from '../check/order.js';
import { EPS, type Verdict } from '../check/verdict.js';
import { callbackObserver, type FixedStepOptions, integrateRk4, type VectorField } from '../dynamics/index.js';
import { sci as fmt } from '../format.js';
import type { Matrix } from '../linalg/matrix.js';
import { balancednessDefects } from '../model/balancedness.js';
import { cloneWeights } from '../model/network.js';
import { listDistance, maxSquaredNorm, withNote } from './state-measures.js';

/** A fixed-step integrator with integrateRk4's signature; injectable so tests can swap in Euler or GD. */
export type FixedStepIntegrator = (field: VectorField, state: Matrix[], options: FixedStepOptions) => unknown;

/** The order test every RK4 claim here is held to, in words generated from its constants. */
export const RK4_ORDER_TEST = describeOrderTest({ order: 4, refinements: ORDER_TEST.refinements });

export const rk4Integrator: FixedStepIntegrator = (field, state, options) => integrateRk4(field, state, options);

/**
 * A quantity q(state) (a list of matrices) with a claimed evolution q(t) = claimed(t, q(0)) along the flow. For a
 * conserved quantity `claimed` is the identity.
 */
export interface TrackedQuantity {
  readonly name: string;
  measure(state: readonly Matrix[]): Matrix[];
  claimed(t: number, initial: readonly Matrix[]): Matrix[];
}

export interface DriftOrderOptions {
  readonly T: number;
  /** The coarsest step count; the order test refines n_0·2^k until it decides. Observations are taken on the
   * grid of min(n_0, 16) intervals, the same for every step count. */
  readonly n0: number;
  readonly order: number;
  readonly integrator?: FixedStepIntegrator;
  /** Ulps per unit of (√steps + Σd)·scale charged to round-off in the floor (default 2: each step rounds every entry
   * once, |δC| ≤ 2‖W‖‖δW‖, and uncorrelated roundings add like a random walk, √n; the order test ignores points
   * below 10× this floor). Measured: RK4 drift at 16384 steps (truncation ≪ round-off) was 3–101·ε·max‖W_j‖² on 12
   * random instances, below 2·√16384 = 256. */
  readonly floorUlps?: number;
  readonly sizeFactor: number;
  readonly label: string;
}

/**
 * Order test of a tracked quantity: for step counts n = n_0·2^k, integrate to T and record
 * e(h) = max over the coarse-grid times t_i of ‖q(t_i) − claimed(t_i, q(0))‖_F (the sup over times keeps a zero
 * crossing of the leading error coefficient at T from faking a higher order). A true claim gives e(h) ∝ h^p for an
 * order-p integrator; checkOrderAdaptive refines until the order estimates stabilize. Round-off floor of each run:
 * floorUlps·(√n + Σd)·ε·scale, scale = max‖X_j‖_F² over its observed states (each step rounds every entry once,
 * uncorrelated between steps; forming q costs Σd roundings per entry). A step at which the explicit method blows up
 * (the Lipschitz estimate is taken at t = 0) is outside its stability region: the order test skips it.
 */
export function driftOrderVerdict(
  field: VectorField,
  state0: readonly Matrix[],
  quantity: TrackedQuantity,
  options: DriftOrderOptions,
): Verdict {
  const integrator = options.integrator ?? rk4Integrator;
  const floorUlps = options.floorUlps ?? 2;
  const q0 = quantity.measure(state0);
  const grid = Math.min(options.n0, 16);
  const counts: number[] = [];
  let scale = maxSquaredNorm(state0);
  const v = checkOrderAdaptive(
    (h) => {
      const n = Math.round(options.T / h);
      counts.push(n);
      const state = cloneWeights(state0);
      let worst = 0,
        runScale = maxSquaredNorm(state0);
      const observer = callbackObserver((_step, t, s) => {
        if (!Number.isFinite(worst) || !s.every((m) => m.data.every(Number.isFinite))) {
          worst = Infinity;
          return;
        }
        worst = Math.max(worst, listDistance(quantity.measure(s), quantity.claimed(t, q0)));
        runScale = Math.max(runScale, maxSquaredNorm(s));
      });
      integrator(field, state, { t1: options.T, steps: n, observer, every: n / grid });
      // A run that blew up has no meaningful scale: its error is ∞, which the order test handles.
      if (Number.isFinite(worst) && Number.isFinite(runScale)) scale = Math.max(scale, runScale);
      else runScale = maxSquaredNorm(state0);
      return { error: worst, floor: floorUlps * (Math.sqrt(n) + options.sizeFactor) * EPS * runScale };
    },
    { order: options.order, h0: options.T / options.n0, label: `${options.label}: ${quantity.name}` },
  );
  return withNote(
    v,
    `floor = ${floorUlps}·(√n + Σd ${options.sizeFactor})·ε·max‖W_j‖_F² (${fmt(scale)}) per run; T = ${fmt(options.T)}, steps ${counts.join('/')}`,
  );
}

/** A quantity claimed constant along the flow: claimed(t, q(0)) = q(0). */
export function conserved(name: string, measure: (state: readonly Matrix[]) => Matrix[]): TrackedQuantity {
  return { name, measure, claimed: (_t, q0) => q0.map((m) => m) };
}

/** C_j = W_{j+1}ᵀW_{j+1} − W_jW_jᵀ, j = 1..N−1, claimed constant. */
export const defectsConserved: TrackedQuantity = conserved('max_t ‖C_j(t) − C_j(0)‖_F', (s) => balancednessDefects(s));

/** C_j(t) = e^{−2λt}C_j(0) under weight decay λ (canonical (λ/2)Σ‖W_j‖², THEORY §0). */
export function defectsDecaying(lambda: number): TrackedQuantity {
  return {
    name: `max_t ‖C_j(t) − e^{−2λt}C_j(0)‖_F (λ = ${lambda})`,
    measure: (s) => balancednessDefects(s),
    claimed: (t, q0) =>
      q0.map((m) => {
        const out = m.clone();
        const f = Math.exp(-2 * lambda * t);
        for (let i = 0; i < out.data.length; i++) out.data[i] *= f;
        return out;
      }),
  };
}
