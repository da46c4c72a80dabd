import { Matrix } from '../linalg/matrix.js';
import type { Data, LossScale } from '../model/loss.js';
import { loss } from '../model/loss.js';
import type { Weights } from '../model/network.js';
import { Rng } from '../random/rng.js';
import type { HessianSpectrum } from './hessian.js';
import { eigenDirection, flatten, unflatten } from './hessian.js';
import { curveSeries, gradientCoefficient, lossSeries, type ScalarSeries } from './poly-curve.js';
import { lossTolerance } from './tolerances.js';

/**
 * The higher-order probe: is a critical point with a positive semidefinite Hessian a local minimum? It searches
 * for a polynomial curve W(t) = W + tA + t²B along which L(W(t)) − L(W) = c_q t^q + O(t^{q+1}) with c_q < 0
 * (or q odd), which proves the point is NOT a local minimum however flat the Hessian is.
 *
 * Construction: A is drawn from the Hessian's null space (so the t² term vanishes). With c_3 = ⅙∇³L[A,A,A] = 0,
 * the t⁴ coefficient is a quadratic in B: c_4(B) = ¹⁄₂₄∇⁴L[A⁴] + ⟨g, B⟩ + ½∇²L[B,B], g = ½∇³L[A,A,·] (the t²
 * coefficient of ∇L(W + tA)), minimized by B = −H⁺g (plus a large multiple of −g's null-space part, which makes
 * c_4 arbitrarily negative when it exists). Each single layer is also tried negated, so even-order terms that
 * are products of one factor per layer (the origin: c_N = −κ⟨YXᵀ, A_{N:1}⟩) are caught at any depth; half of
 * the trials first climb |c_3| on the null space by a higher-order power iteration. The leading coefficient is
 * found by power-series arithmetic (with rounding-error bounds) and then CONFIRMED by evaluating the loss
 * directly (src/model) at t₀, t₀/2, t₀/4: every change must be negative beyond round-off and shrink by 2^q per
 * halving. On the ICLR-2018 example it finds order-4 curves of the same form as the paper's
 * W_3 = [1; t], W_2 = [t²], W_1 = [1, t] (which is the case A = ([0 1], 0, [0; 1]), B = (0, 1, 0)).
 */
export interface ProbeObservation {
  readonly t: number;
  readonly change: number;
  readonly roundoff: number;
}

export interface ProbeResult {
  readonly found: boolean;
  /** q: the order of the leading term of L(W(t)) − L(W). */
  readonly order?: number;
  /** c_q < 0. */
  readonly coefficient?: number;
  readonly curve?: { readonly A: Matrix[]; readonly B: Matrix[] };
  readonly observations?: ProbeObservation[];
  /** log2 of successive ratios of the observed changes (≈ q). */
  readonly slopes?: number[];
  readonly trials: number;
  readonly kernelDimension: number;
  readonly detail: string;
}

export interface ProbeOptions {
  readonly rng?: Rng;
  /** Random null-space directions tried (each as drawn and with each single layer negated; odd trials first climb the cubic form). Default 6. */
  readonly trials?: number;
}

/**
 * Index and value of the first coefficient of degree ≥ 1 that is significant: above 10× its rounding bound AND
 * above `floor` (100× the round-off of L itself: with ‖A‖ = max(‖W‖, 1) and t ≤ 1 a smaller term can never be
 * seen, and such terms arise only from the round-off of A itself, e.g. an eigenvector's 1e-17 leak out of the
 * null space).
 */
function leading(s: ScalarSeries, floor: number): { q: number; c: number } | undefined {
  for (let q = 1; q < s.coef.length; q++)
    if (Math.abs(s.coef[q]) > Math.max(10 * s.error[q], floor)) return { q, c: s.coef[q] };
  return undefined;
}

function scaled(ms: readonly Matrix[], f: number): Matrix[] {
  return ms.map((m) => {
    const out = new Matrix(m.rows, m.cols);
    for (let i = 0; i < m.data.length; i++) out.data[i] = f * m.data[i];
    return out;
  });
}

function along(weights: Weights, A: readonly Matrix[], B: readonly Matrix[], t: number): Matrix[] {
  return weights.map((w, j) => {
    const out = new Matrix(w.rows, w.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = w.data[i] + t * A[j].data[i] + t * t * B[j].data[i];
    return out;
  });
}

/** Confirm c_q t^q by direct evaluation; returns the observations when every change is a clear decrease. */
function confirm(
  weights: Weights,
  data: Data,
  scale: LossScale,
  A: Matrix[],
  B: Matrix[],
  s: ScalarSeries,
  q: number,
): { observations: ProbeObservation[]; slopes: number[]; t: number } | undefined {
  const cq = Math.abs(s.coef[q]);
  const D = s.coef.length - 1;
  let t = 1;
  for (let p = q + 1; p <= D; p++) {
    const cp = Math.abs(s.coef[p]) + s.error[p];
    if (cp > 0) t = Math.min(t, Math.pow(cq / (4 * D * cp), 1 / (p - q)));
  }
  const l0 = loss(weights, data, { scale });
  const base = lossTolerance(weights, data, scale);
  const observations: ProbeObservation[] = [];
  for (const f of [1, 0.5, 0.25]) {
    const wt = along(weights, A, B, t * f);
    const change = loss(wt, data, { scale }) - l0;
    const roundoff = base + lossTolerance(wt, data, scale);
    observations.push({ t: t * f, change, roundoff });
  }
  if (!observations.every((o) => o.change < -10 * o.roundoff)) return undefined;
  const slopes = [
    Math.log2(observations[0].change / observations[1].change),
    Math.log2(observations[1].change / observations[2].change),
  ];
  if (!slopes.every((x) => Math.abs(x - q) <= 0.5)) return undefined;
  return { observations, slopes, t };
}

/** Power iteration for max |⅙∇³L[A,A,A]| over unit A in span(V[:, kernel]); returns a unit-norm direction. */
function climbCubic(
  weights: Weights,
  data: Data,
  scale: LossScale,
  start: Matrix[],
  V: Matrix,
  kernel: readonly number[],
): Matrix[] {
  const size = V.rows;
  let a = flatten(start);
  let best = a,
    bestValue = 0;
  for (let it = 0; it < 8; it++) {
    const g = flatten(
      gradientCoefficient(curveSeries(weights, [unflatten(weights, a)]), data, scale, 2, weights).value,
    );
    let value = 0;
    for (let p = 0; p < size; p++) value += g[p] * a[p];
    if (Math.abs(value) > bestValue) {
      bestValue = Math.abs(value);
      best = a;
    }
    const next = new Float64Array(size);
    for (const c of kernel) {
      let d = 0;
      for (let p = 0; p < size; p++) d += V.data[p * size + c] * g[p];
      for (let p = 0; p < size; p++) next[p] += d * V.data[p * size + c];
    }
    const norm = Math.hypot(...next);
    if (!(norm > 0)) break;
    a = next.map((x) => x / norm);
  }
  return unflatten(weights, best);
}

export function higherOrderProbe(
  weights: Weights,
  data: Data,
  scale: LossScale,
  spectrum: HessianSpectrum,
  options: ProbeOptions = {},
): ProbeResult {
  const rng = options.rng ?? new Rng(0x5eed);
  const trials = options.trials ?? 6;
  const n = weights.length;
  const zero = weights.map((w) => new Matrix(w.rows, w.cols));
  const values = spectrum.values,
    size = values.length;
  const floor = 100 * lossTolerance(weights, data, scale);
  let wn = 0;
  for (const w of weights) for (const x of w.data) wn += x * x;
  const aNorm = Math.max(Math.sqrt(wn), 1);
  const kerTol = Math.max(10 * spectrum.tolerance, 1e-9 * Math.max(spectrum.lambdaMax, 0));
  // Negative curvature: order 2 along the eigenvector of λ_min.
  if (spectrum.negative > 0) {
    const A = scaled(eigenDirection(weights, spectrum.vectors, size - 1), aNorm);
    const s = lossSeries(curveSeries(weights, [A]), data, scale, 2 * n, weights);
    const lead = leading(s, floor);
    if (lead && lead.q === 2 && lead.c < 0) {
      const ok = confirm(weights, data, scale, A, zero, s, 2);
      if (ok)
        return {
          found: true,
          order: 2,
          coefficient: lead.c,
          curve: { A, B: zero },
          observations: ok.observations,
          slopes: ok.slopes,
          trials: 0,
          kernelDimension: 0,
          detail: `negative curvature λ_min = ${spectrum.lambdaMin.toExponential(3)}: L(W + tv) − L(W) = ${lead.c.toExponential(3)}·t² + …`,
        };
    }
  }
  const kernel: number[] = [];
  for (let c = 0; c < size; c++) if (Math.abs(values[c]) <= kerTol) kernel.push(c);
  const inKernel = new Set(kernel);
  if (kernel.length === 0)
    return {
      found: false,
      trials: 0,
      kernelDimension: 0,
      detail: 'the Hessian is positive definite: a strict local minimum',
    };
  const V = spectrum.vectors;
  let best: ProbeResult | undefined;
  let tried = 0;
  for (let trial = 0; trial < trials; trial++) {
    const coeff = kernel.map(() => rng.gaussian());
    const norm = Math.hypot(...coeff);
    const vec = new Float64Array(size);
    kernel.forEach((c, k) => {
      for (let p = 0; p < size; p++) vec[p] += (coeff[k] / norm) * V.data[p * size + c];
    });
    // Odd trials climb the cubic form c_3(A) = ⅙∇³L[A,A,A] on the unit sphere of the null space by the
    // higher-order power iteration A ← Π_ker ∇c_3(A) = Π_ker ½∇³L[A,A,·] (the t² coefficient of ∇L(W + tA)):
    // escape directions are a thin subset of a null space dominated by flat (gauge) directions.
    const base =
      trial % 2 === 1 ? climbCubic(weights, data, scale, unflatten(weights, vec), V, kernel) : unflatten(weights, vec);
    // Sign patterns: as drawn, then each single layer negated (an even-order term that is a product of one
    // factor per participating layer, like the origin's −κ⟨YXᵀ, A_{N:1}⟩, changes sign with any of its layers).
    for (let flipLayer = -1; flipLayer < n; flipLayer++) {
      tried++;
      const A = base.map((m, j) => scaled([m], (j === flipLayer ? -1 : 1) * aNorm)[0]);
      const candidates: Array<{ A: Matrix[]; B: Matrix[]; s: ScalarSeries }> = [];
      const s1 = lossSeries(curveSeries(weights, [A]), data, scale, 2 * n, weights);
      candidates.push({ A, B: zero, s: s1 });
      // Optimize the quartic coefficient over B (useful when the cubic term vanishes).
      const gc = gradientCoefficient(curveSeries(weights, [A]), data, scale, 2, weights);
      const g = flatten(gc.value);
      const proj = new Float64Array(size);
      for (let c = 0; c < size; c++) {
        let d = 0;
        for (let p = 0; p < size; p++) d += V.data[p * size + c] * g[p];
        proj[c] = d;
      }
      let nullPart = 0;
      for (const c of kernel) nullPart += proj[c] ** 2;
      nullPart = Math.sqrt(nullPart);
      const alpha = Math.abs(s1.coef[4] ?? 0) + floor;
      const beta = nullPart > 10 * gc.error && nullPart > floor ? alpha / (nullPart * nullPart) : 0;
      const b = new Float64Array(size);
      for (let c = 0; c < size; c++) {
        const f = inKernel.has(c) ? -beta * proj[c] : values[c] > kerTol ? -proj[c] / values[c] : 0;
        if (f === 0) continue;
        for (let p = 0; p < size; p++) b[p] += f * V.data[p * size + c];
      }
      const B = unflatten(weights, b);
      candidates.push({ A, B, s: lossSeries(curveSeries(weights, [A, B]), data, scale, 4 * n, weights) });
      for (const cand of candidates) {
        const lead = leading(cand.s, floor);
        if (!lead) continue;
        let { q, c } = lead;
        let curveA = cand.A,
          series = cand.s;
        if (c > 0 && q % 2 === 1) {
          curveA = scaled(cand.A, -1);
          c = -c;
          series = { coef: series.coef.map((x, p) => (p % 2 === 1 ? -x : x)), error: series.error };
        }
        if (c >= 0) continue;
        if (best?.order !== undefined && best.order <= q) continue;
        const ok = confirm(weights, data, scale, curveA, cand.B, series, q);
        if (!ok) continue;
        best = {
          found: true,
          order: q,
          coefficient: c,
          curve: { A: curveA, B: cand.B },
          observations: ok.observations,
          slopes: ok.slopes,
          trials: tried,
          kernelDimension: kernel.length,
          detail: `descent of order ${q} along W + tA${cand.B === zero ? '' : ' + t²B'} (A in the ${kernel.length}-dimensional Hessian null space): L(t) − L(0) = ${c.toExponential(3)}·t^${q} + …, seen ${ok.observations[0].change.toExponential(2)} at t = ${ok.t.toExponential(2)} (round-off ${ok.observations[0].roundoff.toExponential(1)})`,
        };
        if (q <= 3) return best;
      }
    }
  }
  return (
    best ?? {
      found: false,
      trials: tried,
      kernelDimension: kernel.length,
      detail: `no descent curve of the form W + tA + t²B found in ${tried} trials (A in the ${kernel.length}-dimensional Hessian null space)`,
    }
  );
}
