import { DomainError } from '../errors.js';
import { orthonormalComplement } from '../linalg/complement.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { numericalRank } from '../linalg/rank.js';
import { appendColumns, selectColumns } from '../linalg/svd.js';
import type { Data } from '../model/loss.js';
import { shapesFor } from '../model/network.js';
import { randomOrthonormal } from '../random/orthonormal.js';
import type { Rng } from '../random/rng.js';
import { criticality } from './criticality.js';
import { criticalValue, type Frame, fromFrame, maxRank, optimalRank, validateIndexSet } from './frame.js';

/**
 * Exact critical points with prescribed (S, r, layer ranks) (THEORY §3): a rank-r "signal chain"
 * O_h D_h O_{h−1}ᵀ with O_0 = V_S, O_N = U_S and Π_h D_h = Σ_S, plus a "residual chain" E_h orthogonal to it
 * (O_hᵀE_h = 0, E_h O_{h−1} = 0) that is a zero-product critical point of ½‖E_{N:1} − R‖², R = Q̃ − U_SΣ_SV_Sᵀ.
 * Then W_{N:1}' = U_SΣ_SV_Sᵀ and ∇_{W_j}L = −κ E_{N:j+1}ᵀ R E_{j−1:1}ᵀ (the signal parts are killed by R).
 *
 * The residual chain is E_h = A_h diag(c_h) B_hᵀ with orthonormal A_h ⊂ O_h^⊥ (range) and B_h ⊂ O_{h−1}^⊥
 * (co-range), e_h = rank E_h. A "break" at link b makes B_{b+1} ⊥ A_b, so E_{b+1}E_b = 0; random subspaces
 * otherwise overlap, so a partial product E_{b:a} is non-zero exactly when every e_h ≥ 1 on [a, b] and no link
 * in [a, b−1] is broken. Criticality needs, for every layer j, E_{N:j+1}ᵀ R E_{j−1:1}ᵀ = 0:
 *   j = N: E_{N−1:1} = 0, or co-range(E_1) inside the right null space of Q̃;
 *   j = 1: E_{N:2} = 0, or range(E_N) inside the left null space of Q̃;
 *   1 < j < N with both parts non-zero: range(E_N) and co-range(E_1) use disjoint residual directions
 *   (u_i, i ∈ I_A and v_i, i ∈ I_B with I_A ∩ I_B = ∅), so that A_NᵀR B_1 = 0;
 * and E_{N:1} = 0 (some break or zero layer). The constructor enforces these and then verifies ‖∇L‖ ≤ τ_c (criticality.ts).
 */
export interface ResidualSpec {
  /** e_h = rank E_h for h = 1..N. */
  readonly ranks: readonly number[];
  /** Broken links b ∈ 1..N−1 (E_{b+1}E_b = 0). */
  readonly breaks?: readonly number[];
}

export interface CriticalPointSpec {
  /** [d_0, …, d_N]; d_0 must be the number of rows of X and d_N of Y. */
  readonly widths: readonly number[];
  /** 1-based indices of the kept singular values of Q̃ (σ_i > 0). */
  readonly S: readonly number[];
  readonly residual?: ResidualSpec;
  /** D_h: 'balanced' (σ_i^{1/N} in every layer) or 'random' (positive factors with the right product). */
  readonly factors?: 'balanced' | 'random';
  /** Condition number of the random gauge W_h ← M_h W_h, W_{h+1} ← W_{h+1} M_h^{−1} on hidden layers (1 = none). */
  readonly gauge?: number;
  /** Add a random W_1 component on the directions of R^{d_0} the data never reach (XXᵀ singular only). */
  readonly nullComponent?: boolean;
}

export interface ConstructedCriticalPoint {
  readonly weights: Matrix[];
  readonly widths: number[];
  readonly S: number[];
  readonly r: number;
  readonly rMax: number;
  readonly rStar: number;
  readonly residualRanks: number[];
  readonly breaks: number[];
  /** rank W_h for h = 1..N (numerical). */
  readonly layerRanks: number[];
  /** The closed-form critical value κ·½(tr Σ_YY − Σ_{i∈S} λ_i). */
  readonly value: number;
  readonly gradientNorm: number;
  /** τ_c: τ_g plus, when needed, the representation error of the stored point (criticality.ts). */
  readonly gradientTolerance: number;
  /** 'global' (S = {1..r*}), 'top' (S = {1..r}, r < r*) or 'gap' (S ≠ {1..r}). */
  readonly kind: 'global' | 'top' | 'gap';
}

function columns(m: Matrix, idx: readonly number[]): Matrix {
  return selectColumns(m, idx as number[]);
}

/** A random e-dimensional orthonormal subset of span(basis) (basis: n×k orthonormal columns). */
function randomSubspace(rng: Rng, basis: Matrix, e: number, argument: string): Matrix {
  if (e > basis.cols) throw new DomainError(argument, `needs ${e} directions but only ${basis.cols} are available`);
  if (e === 0) return new Matrix(basis.rows, 0);
  return multiply(basis, randomOrthonormal(rng, basis.cols, e));
}

/** Orthonormal basis of span(basis) ∩ span(exclude)^⊥ (both with orthonormal columns, exclude ⊂ span(basis)). */
function withinComplement(basis: Matrix, exclude: Matrix): Matrix {
  if (exclude.cols === 0) return basis;
  const coords = multiply(basis, exclude, 't', 'n'); // k×e, orthonormal columns
  return multiply(basis, orthonormalComplement(coords));
}

function chainNonzero(ranks: readonly number[], breaks: ReadonlySet<number>, a: number, b: number): boolean {
  if (a > b) return true;
  for (let h = a; h <= b; h++) if (ranks[h - 1] < 1) return false;
  for (let l = a; l < b; l++) if (breaks.has(l)) return false;
  return true;
}

function fullBasis(thin: Matrix): Matrix {
  return appendColumns(thin, orthonormalComplement(thin));
}

/** The nullity-aware orthonormal frames used by the constructor: full U (d_N×d_N) and V (ρ×ρ). */
function completeFrames(frame: Frame): { U: Matrix; V: Matrix } {
  return { U: fullBasis(frame.U), V: fullBasis(frame.V) };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/** The validated shape of a critical-point spec: widths, index set, residual ranks and breaks. */
interface CheckedSpec {
  readonly widths: number[];
  readonly N: number;
  readonly S: number[];
  readonly r: number;
  readonly rMax: number;
  readonly rStar: number;
  /** [ρ, d_1, …, d_N]: the layer dimensions in the whitened frame. */
  readonly dims: number[];
  readonly ranks: number[];
  readonly breakList: number[];
  readonly breaks: ReadonlySet<number>;
}

function checkSpec(frame: Frame, spec: CriticalPointSpec): CheckedSpec {
  const widths = [...spec.widths];
  shapesFor(widths);
  const N = widths.length - 1;
  if (widths[0] !== frame.d0)
    throw new DomainError('spec.widths[0]', `must equal d_0 = ${frame.d0} (rows of X), received ${widths[0]}`);
  if (widths[N] !== frame.dN)
    throw new DomainError(`spec.widths[${N}]`, `must equal d_N = ${frame.dN} (rows of Y), received ${widths[N]}`);
  const S = validateIndexSet(frame, spec.S, 'spec.S');
  const r = S.length,
    rMax = maxRank(frame, widths),
    rStar = optimalRank(frame, widths);
  if (r > rMax) throw new DomainError('spec.S', `|S| = ${r} exceeds r_max = ${rMax}`);
  const dims = [frame.rank, ...widths.slice(1)];
  const ranks = spec.residual ? [...spec.residual.ranks] : new Array<number>(N).fill(0);
  if (ranks.length !== N || ranks.some((e) => !Number.isInteger(e) || e < 0))
    throw new DomainError('spec.residual.ranks', `expected ${N} non-negative integers (one per layer)`);
  const breakList = [...(spec.residual?.breaks ?? [])].sort((a, b) => a - b);
  for (const b of breakList)
    if (!Number.isInteger(b) || b < 1 || b >= N)
      throw new DomainError('spec.residual.breaks', `link ${b} is not in 1..${N - 1}`);
  for (let h = 1; h <= N; h++) {
    const cap = Math.min(dims[h], dims[h - 1]) - r;
    if (ranks[h - 1] > cap)
      throw new DomainError(
        `spec.residual.ranks[${h - 1}]`,
        `rank ${ranks[h - 1]} of E_${h} exceeds min(d_${h}, d_${h - 1}) − r = ${cap}`,
      );
  }
  for (const b of breakList) {
    const room = dims[b] - r - ranks[b - 1];
    if (ranks[b] > room)
      throw new DomainError(
        `spec.residual.ranks[${b}]`,
        `the break at link ${b} leaves d_${b} − r − e_${b} = ${room} directions for the co-range of E_${b + 1}, fewer than its rank ${ranks[b]}`,
      );
  }
  return { widths, N, S, r, rMax, rStar, dims, ranks, breakList, breaks: new Set(breakList) };
}

/**
 * Where the residual chain's two ends live: range(E_N) in topSpace, co-range(E_1) in bottomSpace. They must lie in
 * the null spaces of Q when the partial residual products E_{N−1:1} or E_{N:2} are non-zero, and use disjoint
 * residual directions when a middle layer sees a non-zero residual product on both sides ("dangerous").
 */
function residualEnds(
  frame: Frame,
  c: CheckedSpec,
  U: Matrix,
  V: Matrix,
  rng: Rng,
): { topSpace: Matrix; bottomSpace: Matrix } {
  const { N, ranks, breaks } = c;
  const inS = new Set(c.S.map((i) => i - 1));
  const residualIdx = range(0, frame.rankQ).filter((i) => !inS.has(i));
  const leftNull = columns(U, range(frame.rankQ, frame.dN));
  const rightNull = columns(V, range(frame.rankQ, frame.rank));
  if (N === 1 && ranks[0] > 0)
    throw new DomainError(
      'spec.residual.ranks',
      'depth 1 has no residual chain (every critical point is W = U_SU_SᵀQ T⁺)',
    );
  let bottomNull = false,
    topNull = false;
  if (N >= 2) {
    if (chainNonzero(ranks, breaks, 1, N))
      throw new DomainError('spec.residual', 'E_{N:1} ≠ 0: a residual chain needs a break or a zero layer');
    if (chainNonzero(ranks, breaks, 1, N - 1)) {
      if (ranks[0] > rightNull.cols)
        throw new DomainError(
          'spec.residual',
          `E_{N−1:1} ≠ 0 needs co-range(E_1) in the right null space of Q (dimension ${rightNull.cols} < e_1 = ${ranks[0]})`,
        );
      bottomNull = true;
    }
    if (chainNonzero(ranks, breaks, 2, N)) {
      if (ranks[N - 1] > leftNull.cols)
        throw new DomainError(
          'spec.residual',
          `E_{N:2} ≠ 0 needs range(E_N) in the left null space of Q (dimension ${leftNull.cols} < e_N = ${ranks[N - 1]})`,
        );
      topNull = true;
    }
  }
  let dangerous = false;
  for (let j = 2; j <= N - 1; j++)
    if (chainNonzero(ranks, breaks, j + 1, N) && chainNonzero(ranks, breaks, 1, j - 1)) dangerous = true;
  const shuffled = [...residualIdx];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const k = rng.integer(0, i);
    [shuffled[i], shuffled[k]] = [shuffled[k], shuffled[i]];
  }
  let topSpace: Matrix, bottomSpace: Matrix | undefined;
  if (topNull) topSpace = leftNull;
  else if (dangerous && !bottomNull) {
    const needTop = Math.max(0, ranks[N - 1] - leftNull.cols);
    const needBottom = Math.max(0, ranks[0] - rightNull.cols);
    if (needTop + needBottom > shuffled.length)
      throw new DomainError(
        'spec.residual',
        `ranks e_1 = ${ranks[0]}, e_N = ${ranks[N - 1]} cannot use disjoint residual directions (${shuffled.length} available)`,
      );
    const split = needTop + rng.integer(0, shuffled.length - needTop - needBottom);
    topSpace = appendColumns(columns(U, shuffled.slice(0, split)), leftNull);
    bottomSpace = appendColumns(columns(V, shuffled.slice(split)), rightNull);
  } else topSpace = appendColumns(columns(U, residualIdx), leftNull);
  if (bottomNull) bottomSpace = rightNull;
  else bottomSpace ??= appendColumns(columns(V, residualIdx), rightNull);
  return { topSpace, bottomSpace };
}

/**
 * The signal chain: orthonormal frames O_0 = V_S, O_1..O_{N−1} random, O_N = U_S, and diagonal factors D_h with
 * Π_h D_h = Σ_S (equal shares σ^{1/N}, or log-normally redistributed across layers for 'random').
 */
function signalChain(
  frame: Frame,
  c: CheckedSpec,
  factors: CriticalPointSpec['factors'],
  U: Matrix,
  V: Matrix,
  rng: Rng,
): { O: Matrix[]; D: number[][] } {
  const { N, dims, r } = c;
  const Sidx = c.S.map((i) => i - 1);
  const O: Matrix[] = [columns(V, Sidx)];
  for (let h = 1; h < N; h++) O.push(randomOrthonormal(rng, dims[h], r));
  O.push(columns(U, Sidx));
  const sig = Sidx.map((i) => frame.sigma[i]);
  const D: number[][] = [];
  for (let h = 0; h < N; h++) D.push(sig.map((s) => Math.pow(s, 1 / N)));
  if (factors === 'random' && N > 1) {
    for (let k = 0; k < r; k++) {
      const logs = Array.from({ length: N }, () => 0.35 * rng.gaussian());
      const mean = logs.reduce((a, b) => a + b, 0) / N;
      for (let h = 0; h < N; h++) D[h][k] *= Math.exp(logs[h] - mean);
    }
  }
  return { O, D };
}

/**
 * The layers in the whitened frame: W_h = O_h D_h O_{h−1}ᵀ + A_h diag(scales) B_hᵀ, the residual chain drawn
 * bottom-up orthogonally to the signal frames (and, after a break, to the previous residual range).
 */
function frameLayers(
  c: CheckedSpec,
  O: readonly Matrix[],
  D: readonly number[][],
  ends: { topSpace: Matrix; bottomSpace: Matrix },
  rng: Rng,
): Matrix[] {
  const { N, dims, ranks, breaks, r } = c;
  const complements = O.map((o, h) => (h === 0 || h === N ? null : orthonormalComplement(o)));
  const A: Matrix[] = [],
    B: Matrix[] = [];
  for (let h = 1; h <= N; h++) {
    const e = ranks[h - 1];
    let coSpace: Matrix;
    if (h === 1) coSpace = ends.bottomSpace;
    else {
      coSpace = complements[h - 1]!;
      if (breaks.has(h - 1)) coSpace = withinComplement(coSpace, A[h - 2]);
    }
    B.push(randomSubspace(rng, coSpace, e, `spec.residual.ranks[${h - 1}]`));
    A.push(randomSubspace(rng, h === N ? ends.topSpace : complements[h]!, e, `spec.residual.ranks[${h - 1}]`));
  }
  const layers: Matrix[] = [];
  for (let h = 1; h <= N; h++) {
    const w = new Matrix(dims[h], dims[h - 1]);
    const o = O[h],
      op = O[h - 1],
      d = D[h - 1];
    for (let i = 0; i < dims[h]; i++) {
      for (let k = 0; k < dims[h - 1]; k++) {
        let s = 0;
        for (let q = 0; q < r; q++) s += o.data[i * r + q] * d[q] * op.data[k * r + q];
        w.data[i * dims[h - 1] + k] = s;
      }
    }
    const e = ranks[h - 1];
    if (e > 0) {
      const a = A[h - 1],
        b = B[h - 1];
      const scales = Array.from({ length: e }, () => 0.5 + rng.uniform());
      for (let i = 0; i < dims[h]; i++) {
        for (let k = 0; k < dims[h - 1]; k++) {
          let s = 0;
          for (let q = 0; q < e; q++) s += a.data[i * e + q] * scales[q] * b.data[k * e + q];
          w.data[i * dims[h - 1] + k] += s;
        }
      }
    }
    layers.push(w);
  }
  return layers;
}

/** Gauge: W_h ← M_hW_h, W_{h+1} ← W_{h+1}M_h⁻¹ with cond(M_h) ≈ gauge (leaves the product and criticality unchanged). */
function applyGauge(layers: Matrix[], dims: readonly number[], gauge: number, rng: Rng): void {
  if (!(gauge >= 1)) throw new DomainError('spec.gauge', `must be a condition number ≥ 1, received ${gauge}`);
  if (gauge === 1) return;
  for (let h = 1; h < layers.length; h++) {
    const n = dims[h];
    const left = randomOrthonormal(rng, n, n),
      right = randomOrthonormal(rng, n, n);
    const s = Array.from(
      { length: n },
      (_, i) => (n === 1 ? 1 : Math.pow(gauge, -i / (n - 1))) * Math.exp(0.3 * rng.gaussian()),
    );
    const M = new Matrix(n, n),
      Minv = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        let x = 0,
          y = 0;
        for (let q = 0; q < n; q++) {
          x += left.data[i * n + q] * s[q] * right.data[k * n + q];
          y += (right.data[i * n + q] * left.data[k * n + q]) / s[q];
        }
        M.data[i * n + k] = x;
        Minv.data[i * n + k] = y;
      }
    }
    layers[h - 1] = multiply(M, layers[h - 1]);
    layers[h] = multiply(layers[h], Minv);
  }
}

/** Build (and verify) an exact critical point; throws DomainError when the specification is infeasible. */
export function constructCriticalPoint(
  frame: Frame,
  data: Data,
  spec: CriticalPointSpec,
  rng: Rng,
): ConstructedCriticalPoint {
  const c = checkSpec(frame, spec);
  const { U, V } = completeFrames(frame);
  const ends = residualEnds(frame, c, U, V, rng);
  const { O, D } = signalChain(frame, c, spec.factors, U, V, rng);
  const layers = frameLayers(c, O, D, ends, rng);
  applyGauge(layers, c.dims, spec.gauge ?? 1, rng);
  const nullComponent =
    spec.nullComponent && frame.rank < frame.d0 ? randomNull(rng, c.widths[1], frame.d0) : undefined;
  const weights = fromFrame(frame, layers, nullComponent);
  const { gradientNorm, tolerance: tol, critical } = criticality(weights, data, frame.scale);
  const { S, r, ranks, breakList } = c;
  if (!critical) {
    throw new Error(
      `internal: constructed point is not critical (‖∇L‖ = ${gradientNorm.toExponential(3)} > τ_c = ${tol.toExponential(3)} = τ_g + γ·Σ_j‖|H|_{:,j}‖‖W_j‖; S = {${S}}, ranks ${ranks}, breaks ${breakList})`,
    );
  }
  const topR = S.every((i, k) => i === k + 1);
  return {
    weights,
    widths: c.widths,
    S,
    r,
    rMax: c.rMax,
    rStar: c.rStar,
    residualRanks: ranks,
    breaks: breakList,
    layerRanks: weights.map((w, h) => numericalRank(h === 0 ? multiply(w, frame.T) : w, 1e-9).rank),
    value: criticalValue(frame, S),
    gradientNorm,
    gradientTolerance: tol,
    kind: topR && r === c.rStar ? 'global' : topR ? 'top' : 'gap',
  };
}

function randomNull(rng: Rng, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  rng.fillGaussian(m.data);
  return m;
}

/** The origin W_j = 0: a critical point (S = ∅) for N ≥ 2. */
export function originPoint(widths: readonly number[]): Matrix[] {
  return shapesFor([...widths]).map(([r, c]) => new Matrix(r, c));
}

/** An aligned rank-r chain: S = {1..r}, no residual chain, balanced factors (the rank-constrained optimum for r). */
export function alignedChain(
  frame: Frame,
  data: Data,
  widths: readonly number[],
  r: number,
  rng: Rng,
  options: { factors?: 'balanced' | 'random'; gauge?: number } = {},
): ConstructedCriticalPoint {
  return constructCriticalPoint(frame, data, { widths, S: range(1, r + 1), ...options }, rng);
}

/**
 * A Kawaguchi-type chain: N ≥ 3, equal hidden widths d, and residual chains that fill every middle layer
 * W_2..W_{N−1} to full rank d (invertible), with E_1 = E_N = 0. Kawaguchi 2016 [M wording]: at such a saddle
 * (rank W_{N−1}⋯W_2 = min(d_1..d_{N−1})) the Hessian has a negative eigenvalue.
 */
export function kawaguchiChain(
  frame: Frame,
  data: Data,
  widths: readonly number[],
  S: readonly number[],
  rng: Rng,
  options: { gauge?: number } = {},
): ConstructedCriticalPoint {
  const N = widths.length - 1;
  if (N < 3) throw new DomainError('widths', 'a Kawaguchi-type chain needs depth N ≥ 3');
  const d = widths[1];
  for (let h = 1; h < N; h++)
    if (widths[h] !== d)
      throw new DomainError(`widths[${h}]`, `hidden widths must all equal d_1 = ${d} for invertible middle layers`);
  const r = S.length;
  const ranks = widths.slice(1).map((_, h) => (h === 0 || h === N - 1 ? 0 : d - r));
  return constructCriticalPoint(frame, data, { widths, S, residual: { ranks }, ...options }, rng);
}

export type CriticalKind = 'global' | 'top' | 'gap';

/** Which kinds of critical point the data and widths admit. */
export function admissibleKinds(frame: Frame, widths: readonly number[]): CriticalKind[] {
  const rStar = optimalRank(frame, widths),
    rMax = maxRank(frame, widths);
  const kinds: CriticalKind[] = ['global'];
  if (rStar >= 1 && widths.length > 2) kinds.push('top');
  if (Math.min(rMax, frame.rankQ - 1) >= 1) kinds.push('gap');
  return kinds;
}

/** A random index set of the requested kind (1-based); a 'gap' set has `size` elements when given (≤ its cap). */
export function randomIndexSet(
  rng: Rng,
  frame: Frame,
  widths: readonly number[],
  kind: CriticalKind,
  size?: number,
): number[] {
  const rStar = optimalRank(frame, widths),
    rMax = maxRank(frame, widths);
  if (kind === 'global') return range(1, rStar + 1);
  if (kind === 'top') {
    if (rStar < 1) throw new DomainError('kind', 'no non-global S = {1..r} exists (r* = 0)');
    return range(1, rng.integer(0, rStar - 1) + 1);
  }
  const cap = Math.min(rMax, frame.rankQ - 1);
  if (cap < 1) throw new DomainError('kind', 'no S ≠ {1..r} exists (needs rank Q ≥ 2 and r_max ≥ 1)');
  if (size !== undefined && !(size >= 1 && size <= cap))
    throw new DomainError('size', `a gap set here has 1..${cap} elements, not ${size}`);
  const r = size ?? rng.integer(1, cap);
  for (;;) {
    const pool = range(1, frame.rankQ + 1);
    for (let i = pool.length - 1; i > 0; i--) {
      const k = rng.integer(0, i);
      [pool[i], pool[k]] = [pool[k], pool[i]];
    }
    const S = pool.slice(0, r).sort((a, b) => a - b);
    if (!S.every((i, k) => i === k + 1)) return S;
  }
}

/**
 * A random feasible residual specification for |S| = r: ranks drawn in [0, cap], links broken at random, then
 * repaired until the criticality conditions of constructCriticalPoint hold (a random zero layer or break is
 * added where needed).
 */
export function randomResidualSpec(
  rng: Rng,
  frame: Frame,
  widths: readonly number[],
  r: number,
  options: { density?: number } = {},
): ResidualSpec {
  const N = widths.length - 1;
  if (N < 2) return { ranks: [0] };
  const dims = [frame.rank, ...widths.slice(1)];
  const density = options.density ?? 0.7;
  const ranks = range(1, N + 1).map((h) => {
    const cap = Math.min(dims[h], dims[h - 1]) - r;
    return cap > 0 && rng.uniform() < density ? rng.integer(1, cap) : 0;
  });
  const breaks = new Set<number>();
  for (let b = 1; b < N; b++) if (rng.uniform() < 0.3) breaks.add(b);
  const nullL = frame.dN - frame.rankQ,
    nullR = frame.rank - frame.rankQ;
  const residualCount = frame.rankQ - r;
  const kill = (a: number, b: number): void => {
    // Break the chain on [a, b]: either a zero layer or a broken link, chosen at random.
    const links = range(a, b);
    if (links.length > 0 && rng.uniform() < 0.6) breaks.add(links[rng.integer(0, links.length - 1)]);
    else ranks[rng.integer(a, b) - 1] = 0;
  };
  for (let guard = 0; guard < 4 * N + 8; guard++) {
    const nz = (a: number, b: number) => chainNonzero(ranks, breaks, a, b);
    // A broken link b leaves d_b − r − e_b directions for the co-range of E_{b+1}.
    for (const b of breaks) ranks[b] = Math.min(ranks[b], Math.max(0, dims[b] - r - ranks[b - 1]));
    if (nz(1, N)) {
      kill(1, N);
      continue;
    }
    if (nz(1, N - 1) && ranks[0] > nullR) {
      kill(1, N - 1);
      continue;
    }
    if (nz(2, N) && ranks[N - 1] > nullL) {
      kill(2, N);
      continue;
    }
    let dangerous = false;
    for (let j = 2; j <= N - 1; j++) if (nz(j + 1, N) && nz(1, j - 1)) dangerous = true;
    const need = Math.max(0, ranks[N - 1] - nullL) + Math.max(0, ranks[0] - nullR);
    if (dangerous && !nz(1, N - 1) && !nz(2, N) && need > residualCount) {
      const half = Math.floor(residualCount / 2);
      ranks[0] = Math.min(ranks[0], nullR + half);
      ranks[N - 1] = Math.min(ranks[N - 1], nullL + residualCount - half);
      continue;
    }
    return { ranks, breaks: [...breaks].sort((a, b) => a - b) };
  }
  throw new Error('internal: randomResidualSpec did not reach a feasible specification');
}

/** A random exact critical point of the given kind (S, residual ranks, factors, gauge all random). */
export function randomCriticalPoint(
  rng: Rng,
  frame: Frame,
  data: Data,
  widths: readonly number[],
  kind: CriticalKind,
  options: { gauge?: number; residual?: boolean } = {},
): ConstructedCriticalPoint {
  const S = randomIndexSet(rng, frame, widths, kind);
  const residual = options.residual === false ? undefined : randomResidualSpec(rng, frame, widths, S.length);
  return constructCriticalPoint(
    frame,
    data,
    {
      widths,
      S,
      residual,
      factors: rng.uniform() < 0.5 ? 'balanced' : 'random',
      gauge: options.gauge ?? (rng.uniform() < 0.5 ? 1 : 1 + 4 * rng.uniform()),
      nullComponent: true,
    },
    rng,
  );
}
