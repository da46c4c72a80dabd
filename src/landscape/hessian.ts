import { DomainError } from '../errors.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { symmetricEigen } from '../linalg/svd.js';
import { type Data, type LossScale, scaleFactor, validateData } from '../model/loss.js';
import { type Weights, widthsOf } from '../model/network.js';
import { absMatrix, gamma, partialProducts } from './tolerances.js';

/**
 * The full Hessian of L(W_1..W_N) = (κ/2)‖W_{N:1}X − Y‖² as an n_p×n_p matrix, assembled block by block from
 * THEORY §1's lecture form (not from Hessian-vector products, so it cross-checks src/model/hessian.ts).
 * Parameters are ordered layer by layer (W_1 first), each layer row-major like Matrix.data. With
 * A_j = W_{N:j+1}, B_j = W_{j−1:1}, C = XXᵀ, G = κ(W C − Y Xᵀ):
 *   Gauss–Newton part  H[(j,a,b),(i,c,d)] += κ (A_jᵀA_i)[a,c] (B_j C B_iᵀ)[b,d],
 *   second-order part  H[(j,a,b),(i,c,d)] += (A_jᵀ G B_iᵀ)[a,d] · (W_{j−1:i+1})[b,c]   for j > i (mirrored).
 * A masked completion loss (κ/2)Σ_{(p,q)∈I}(A_pq − A*_pq)² has the same second-order part with G = κ M∘(A − A*)
 * and a Gauss–Newton part summed over the observed columns q: κ (A_jᵀP_qA_i)[a,c] (B_j e_qe_qᵀ B_iᵀ)[b,d], with
 * P_q = diag(M_{·q}) the rows observed in column q.
 */
export interface FullHessian {
  readonly matrix: Matrix;
  /** Start of layer j's block (0-based j) in the parameter vector; offsets[N] = n_p. */
  readonly offsets: number[];
  readonly size: number;
}

export function parameterOffsets(weights: Weights): number[] {
  const offsets = [0];
  for (const w of weights) offsets.push(offsets[offsets.length - 1] + w.rows * w.cols);
  return offsets;
}

/** One Gauss–Newton term κ (A_jᵀPA_i) ⊗ (B_j C B_iᵀ): P weighs the outputs (identity when absent), C the inputs. */
interface GaussNewtonTerm {
  readonly outputs?: Matrix;
  readonly inputs: Matrix;
}

function assemble(layers: readonly Matrix[], terms: readonly GaussNewtonTerm[], G: Matrix, kappa: number): FullHessian {
  const n = layers.length;
  const offsets = parameterOffsets(layers);
  const size = offsets[n];
  const H = new Matrix(size, size),
    h = H.data;
  const { below, above } = partialProducts(layers);
  // middle[j][i] = W_{j−1:i+1} for j > i (identity when j = i + 1).
  for (let j = 1; j <= n; j++) {
    const rj = layers[j - 1].rows,
      cj = layers[j - 1].cols,
      oj = offsets[j - 1];
    const bjC = terms.map((t) => multiply(below[j - 1], t.inputs));
    let middle = Matrix.identity(cj);
    for (let i = j; i >= 1; i--) {
      const ri = layers[i - 1].rows,
        ci = layers[i - 1].cols,
        oi = offsets[i - 1];
      terms.forEach((t, k) => {
        const left = t.outputs ? multiply(above[j], t.outputs, 't', 'n') : above[j];
        const ata = multiply(left, above[i], t.outputs ? 'n' : 't', 'n').data; // rj×ri
        const bcb = multiply(bjC[k], below[i - 1], 'n', 't').data; // cj×ci
        for (let a = 0; a < rj; a++) {
          for (let b = 0; b < cj; b++) {
            const row = (oj + a * cj + b) * size;
            for (let c = 0; c < ri; c++) {
              const x = kappa * ata[a * ri + c];
              if (x === 0) continue;
              for (let d = 0; d < ci; d++) h[row + oi + c * ci + d] += x * bcb[b * ci + d];
            }
          }
        }
      });
      if (i < j) {
        // middle = W_{j−1:i+1}: cj×ri.
        const k = multiply(multiply(above[j], G, 't', 'n'), below[i - 1], 'n', 't').data; // rj×ci
        const md = middle.data;
        for (let a = 0; a < rj; a++) {
          for (let b = 0; b < cj; b++) {
            const row = (oj + a * cj + b) * size;
            for (let c = 0; c < ri; c++) {
              const mbc = md[b * ri + c];
              if (mbc === 0) continue;
              for (let d = 0; d < ci; d++) h[row + oi + c * ci + d] += k[a * ci + d] * mbc;
            }
          }
        }
      }
      if (i < j && i > 1) middle = multiply(middle, layers[i - 1]);
    }
  }
  // Mirror the lower block triangle (j ≥ i) into the upper one.
  for (let p = 0; p < size; p++) for (let q = p + 1; q < size; q++) h[p * size + q] = h[q * size + p];
  return { matrix: H, offsets, size };
}

/** The exact Hessian of L at the weights (no weight decay: the landscape claims are about the plain loss). */
export function fullHessian(weights: Weights, data: Data, scale: LossScale = 'half'): FullHessian {
  widthsOf(weights);
  validateData(data, weights[0].cols, weights[weights.length - 1].rows);
  const kappa = scaleFactor(scale, data.X.cols);
  const C = multiply(data.X, data.X, 'n', 't');
  const { below } = partialProducts(weights);
  const G = multiply(below[weights.length], C);
  const yx = multiply(data.Y, data.X, 'n', 't');
  for (let i = 0; i < G.data.length; i++) G.data[i] = kappa * (G.data[i] - yx.data[i]);
  return assemble(weights, [{ inputs: C }], G, kappa);
}

/**
 * The same assembly on absolute values (|W_j|, |X||X|ᵀ, κ(|W_N|⋯|W_1||X||X|ᵀ + |Y||X|ᵀ)): an entrywise bound on
 * the terms whose rounding errors make up the error of the computed Hessian.
 */
export function hessianMagnitude(weights: Weights, data: Data, scale: LossScale = 'half'): Matrix {
  const kappa = scaleFactor(scale, data.X.cols);
  const abs = weights.map(absMatrix);
  const ax = absMatrix(data.X);
  const C = multiply(ax, ax, 'n', 't');
  const { below } = partialProducts(abs);
  const G = multiply(below[weights.length], C);
  const yx = multiply(absMatrix(data.Y), ax, 'n', 't');
  for (let i = 0; i < G.data.length; i++) G.data[i] = kappa * (G.data[i] + yx.data[i]);
  return assemble(abs, [{ inputs: C }], G, kappa).matrix;
}

/**
 * The exact Hessian of the masked completion loss (κ/2)Σ_{(p,q)∈I}(A_pq − A*_pq)² (κ included; `pattern` is the
 * 0/1 matrix M of I), and its round-off level τ_H = γ·‖|H|‖_F from the same assembly on absolute values (with
 * G → κ M∘(|W_N|⋯|W_1| + |A*|)); γ is the regression's with X = I (the chain of d_0 unit samples).
 */
export function maskedHessian(
  weights: Weights,
  target: Matrix,
  pattern: Matrix,
  kappa: number,
): { hessian: FullHessian; tolerance: number } {
  const d0 = weights[0].cols,
    n = weights.length;
  const terms: GaussNewtonTerm[] = [];
  for (let q = 0; q < d0; q++) {
    const outputs = new Matrix(pattern.rows, pattern.rows);
    for (let p = 0; p < pattern.rows; p++) outputs.data[p * pattern.rows + p] = pattern.data[p * d0 + q];
    const inputs = new Matrix(d0, d0);
    inputs.data[q * d0 + q] = 1;
    if (outputs.data.some((x) => x !== 0)) terms.push({ outputs, inputs });
  }
  // G = κ M∘(A − A*), and its magnitude κ M∘(|W_N|⋯|W_1| + |A*|).
  const masked = (layers: readonly Matrix[], plus: (a: number, t: number) => number): Matrix => {
    const g = partialProducts(layers).below[n].clone();
    for (let k = 0; k < g.data.length; k++) g.data[k] = kappa * pattern.data[k] * plus(g.data[k], target.data[k]);
    return g;
  };
  const abs = weights.map(absMatrix);
  const magnitude = assemble(
    abs,
    terms,
    masked(abs, (a, t) => a + Math.abs(t)),
    kappa,
  ).matrix;
  const data = { X: Matrix.identity(d0), Y: target };
  const tolerance = Math.max(gamma(weights, data) * frobeniusNorm(magnitude), Number.MIN_VALUE);
  return {
    hessian: assemble(
      weights,
      terms,
      masked(weights, (a, t) => a - t),
      kappa,
    ),
    tolerance,
  };
}

export interface HessianSpectrum {
  readonly hessian: FullHessian;
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as columns (n_p×n_p), in the order of `values`. */
  readonly vectors: Matrix;
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  /** τ_H = γ·‖|H|‖_F: eigenvalues in [−τ_H, τ_H] are zero to round-off. */
  readonly tolerance: number;
  readonly negative: number;
  readonly zero: number;
  readonly positive: number;
}

/** Largest Hessian the classifier assembles by default (n_p = 600 takes about a second to diagonalize). */
export const MAX_HESSIAN_SIZE = 600;

/**
 * symmetricEigen of a Hessian with entries below 1e-200·max|H| flushed to 0. ml-matrix's tql2 crashes (TypeError)
 * on matrices mixing subnormal and O(1) entries, which Newton iterates near exact zeros produce; entries that
 * small move no eigenvalue by more than n·1e-200·max|H|, far below τ_H.
 */
export function hessianEigen(H: Matrix): { values: Float64Array; Q: Matrix } {
  let big = 0;
  for (const x of H.data) big = Math.max(big, Math.abs(x));
  const cut = 1e-200 * big;
  const flushed = H.data.some((x) => x !== 0 && Math.abs(x) < cut)
    ? new Matrix(
        H.rows,
        H.cols,
        H.data.map((x) => (Math.abs(x) < cut ? 0 : x)),
      )
    : H;
  return symmetricEigen(flushed, 'hessian');
}

export function hessianSpectrum(
  weights: Weights,
  data: Data,
  scale: LossScale = 'half',
  maxSize = MAX_HESSIAN_SIZE,
): HessianSpectrum {
  const hessian = fullHessian(weights, data, scale);
  if (hessian.size > maxSize)
    throw new DomainError('hessian', `has ${hessian.size} parameters, more than the limit ${maxSize}`);
  const { values, Q } = hessianEigen(hessian.matrix);
  const magnitude = frobeniusNorm(hessianMagnitude(weights, data, scale));
  // Never below the smallest positive double, so that "λ < −τ_H" is a strict test even where H is exactly 0.
  const tolerance = Math.max(gamma(weights, data) * magnitude, Number.MIN_VALUE);
  let negative = 0,
    zero = 0,
    positive = 0;
  for (const v of values) {
    if (v < -tolerance) negative++;
    else if (v > tolerance) positive++;
    else zero++;
  }
  return {
    hessian,
    values,
    vectors: Q,
    lambdaMin: values.length ? values[values.length - 1] : 0,
    lambdaMax: values.length ? values[0] : 0,
    tolerance,
    negative,
    zero,
    positive,
  };
}

/** Split a parameter vector (length n_p) into matrices shaped like the weights. */
export function unflatten(weights: Weights, vector: ArrayLike<number>, offset = 0, stride = 1): Matrix[] {
  const offsets = parameterOffsets(weights);
  return weights.map((w, j) => {
    const m = new Matrix(w.rows, w.cols);
    for (let p = 0; p < m.data.length; p++) m.data[p] = vector[(offsets[j] + p) * stride + offset];
    return m;
  });
}

/** Column c of an eigenvector matrix as weight-shaped matrices. */
export function eigenDirection(weights: Weights, vectors: Matrix, column: number): Matrix[] {
  return unflatten(weights, vectors.data, column, vectors.cols);
}

export function flatten(mats: readonly Matrix[]): Float64Array {
  let n = 0;
  for (const m of mats) n += m.data.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const m of mats) {
    out.set(m.data, o);
    o += m.data.length;
  }
  return out;
}
