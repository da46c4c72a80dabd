import { compare, EPS, inconclusive, type Verdict } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import { Matrix } from '../../linalg/matrix.js';
import { pseudoInverse } from '../../linalg/pinv.js';
import { multiply } from '../../linalg/products.js';
import { mirrorGradient } from '../bregman.js';
import type { DeepImplicitBiasInstance } from '../instances.js';
import { reparamFlow } from '../reparam-flow.js';
import { distance, matVecInto, norm2 } from '../vector.js';
import { FLOW_MAX_STEPS } from './implicit-bias.js';

/** Safety factor on the accumulated local-error model of the invariant (below). */
const DRIFT_SAFETY = 10;
const RTOL = 1e-12,
  ATOL = 1e-15,
  STOP = 1e-10;

/** The mirror map a check holds the flow's invariant to: depth L's ∇Φ_L by default. */
export type MirrorMap = (L: number, x: Float64Array) => Float64Array;

/**
 * The u-flow of x = u^{⊙L} from α·1 is mirror flow d/dt ∇Φ_L(x) = −∇f(x) = −Aᵀ(Ax − b) (bregman.ts), so
 * v(t) = ∇Φ_L(x(t)) − ∇Φ_L(x0) stays in range(Aᵀ); at a limit with Ax = b that is the optimality condition of
 * argmin {D_Φ(x, x0) : Ax = b} (Φ_L is Legendre on the orthant for L ≥ 2, so x ≥ 0 is inactive) [D]. Measured:
 * ‖P_ker(A) v‖ at the first time the relative residual is ≤ 1e-10. Error model: each accepted step moves u by at
 * most √n(rtol|u| + atol) beyond the exact flow, i.e. x by L(rtol + atol/u)·x and ∇Φ by L(rtol + atol/u)·|x∇²Φ|
 * ≤ L(rtol + atol/u_min)·max|∇Φ| (|x∇²Φ_L| = (L−2)|∇Φ_L| ≤ L|∇Φ_L|; for log, 1/4), summed over the steps, times
 * a safety factor, plus the round-off of the projection.
 */
export function checkDeepImplicitBias(inst: DeepImplicitBiasInstance, mirror: MirrorMap = mirrorGradient): Verdict {
  const { A, b, L, alpha } = inst;
  const m = A.rows,
    n = A.cols;
  const lo = new Float64Array(n).fill(Infinity),
    hi = new Float64Array(n).fill(-Infinity),
    buf = new Float64Array(m);
  const nb = norm2(b) || 1;
  const flow = reparamFlow(A, b, {
    L,
    alpha,
    T: 1e6,
    rtol: RTOL,
    atol: ATOL,
    maxSteps: FLOW_MAX_STEPS,
    observe: (_t, _u, x) => {
      for (let i = 0; i < n; i++) {
        lo[i] = Math.min(lo[i], x[i]);
        hi[i] = Math.max(hi[i], x[i]);
      }
      return distance(matVecInto(buf, A, x), b) / nb <= STOP;
    },
  });
  const x0 = new Float64Array(n).fill(alpha ** L);
  const start = mirror(L, x0);
  const v = mirror(L, flow.x).map((g, i) => g - start[i]);
  const pinv = pseudoInverse(A).matrix;
  const av = multiply(A, new Matrix(n, 1, v));
  const rowPart = multiply(pinv, av).data;
  const r = v.map((g, i) => g - rowPart[i]);
  const measured = norm2(r);
  const largest = Math.max(...mirror(L, lo).map(Math.abs), ...mirror(L, hi).map(Math.abs));
  const uMin = Math.min(...lo) ** (1 / L);
  const drift = DRIFT_SAFETY * flow.steps * Math.sqrt(n) * L * (RTOL + ATOL / uMin) * largest;
  const roundOff = 64 * n * EPS * (norm2(v) + largest);
  const rho = distance(matVecInto(buf, A, flow.x), b) / nb;
  const input = {
    measured,
    bound: drift + roundOff,
    errorModel:
      `${DRIFT_SAFETY}·N√n·L(rtol + atol/u_min)·max|∇Φ| + 64nε(‖v‖ + max|∇Φ|) = ${fmt(drift)} + ${fmt(roundOff)} (N ` +
      `= ${flow.steps} steps, rtol ${RTOL}, atol ${ATOL}; local integrator errors summed)`,
    detail:
      `L = ${L}, α = ${alpha}: ‖P_ker(A)(∇Φ(x_T) − ∇Φ(x0))‖ = ${fmt(measured)} of ‖v‖ = ${fmt(norm2(v))}, residual ` +
      `ρ = ${fmt(rho)} at t = ${fmt(flow.t)} (${flow.status})`,
  };
  return flow.status === 'stopped'
    ? compare(input)
    : inconclusive({ ...input, detail: `${input.detail}; did not reach ρ ≤ ${STOP}` });
}
