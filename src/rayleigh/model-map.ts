import { DomainError, NonFiniteError, ShapeError } from '../errors.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';

/**
 * A model map φ: θ ↦ f_θ from a parameter space R^P to a finite-dimensional output space H = R^M with the
 * Euclidean inner product (THEORY §6). The Jacobian J_θ: R^P → R^M is given by its two actions, a Jacobian–vector
 * product (jvp: v ↦ J_θv) and a vector–Jacobian product (vjp: w ↦ J_θ*w = J_θᵀw). The tangent kernel is
 * K_θ = J_θJ_θ* (M×M, PSD). For a loss L(θ) = ℓ(f_θ) with functional gradient g = ∇ℓ(f_θ), ∇L(θ) = J_θ*g.
 *
 * The two products are independent pieces of code in every concrete model, so ⟨Jv, w⟩ = ⟨v, J*w⟩ is a check of
 * the model and not a tautology.
 */
export interface ModelMap {
  /** A short name for reports, e.g. "DLN f = W_{3:1}X". */
  readonly name: string;
  /** P: the number of parameters. */
  readonly parameterDim: number;
  /** M: the dimension of the output space H. */
  readonly outputDim: number;
  /** f_θ ∈ R^M (a fresh array). */
  evaluate(theta: Float64Array): Float64Array;
  /** J_θ v ∈ R^M (a fresh array). */
  jvp(theta: Float64Array, v: Float64Array): Float64Array;
  /** J_θ* w = J_θᵀ w ∈ R^P (a fresh array). */
  vjp(theta: Float64Array, w: Float64Array): Float64Array;
}

/** Validate a parameter vector for a model map (length P, finite). */
export function assertParameters(map: ModelMap, theta: Float64Array, argument = 'theta'): Float64Array {
  return assertVector(theta, map.parameterDim, argument);
}

/** Validate an output-space vector (length M, finite). */
export function assertOutput(map: ModelMap, g: Float64Array, argument = 'g'): Float64Array {
  return assertVector(g, map.outputDim, argument);
}

function assertVector(v: Float64Array, n: number, argument: string): Float64Array {
  if (!(v instanceof Float64Array)) throw new ShapeError(argument, `a Float64Array of length ${n}`, typeof v);
  if (v.length !== n) throw new ShapeError(argument, `length ${n}`, `length ${v.length}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(v[i])) throw new NonFiniteError(argument, i, v[i]);
  return v;
}

/**
 * The explicit Jacobian J_θ (M×P), one column J_θe_k per jvp (P jvps). For small models only: this is the
 * "explicit Jacobian" path, independent of the vjp.
 */
export function jacobian(map: ModelMap, theta: Float64Array): Matrix {
  assertParameters(map, theta);
  const P = map.parameterDim,
    M = map.outputDim;
  const J = new Matrix(M, P);
  const e = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    e[k] = 1;
    const col = map.jvp(theta, e);
    e[k] = 0;
    if (col.length !== M) throw new ShapeError(`${map.name}.jvp`, `length ${M}`, `length ${col.length}`);
    for (let i = 0; i < M; i++) J.data[i * P + k] = col[i];
  }
  return J;
}

/** The explicit Jacobian from the vjp instead: row i of J_θ is (J_θ*e_i)ᵀ (M vjps). */
export function jacobianFromVjp(map: ModelMap, theta: Float64Array): Matrix {
  assertParameters(map, theta);
  const P = map.parameterDim,
    M = map.outputDim;
  const J = new Matrix(M, P);
  const e = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    e[i] = 1;
    const row = map.vjp(theta, e);
    e[i] = 0;
    if (row.length !== P) throw new ShapeError(`${map.name}.vjp`, `length ${P}`, `length ${row.length}`);
    J.data.set(row, i * P);
  }
  return J;
}

/** Where the tangent kernel comes from: the explicit Jacobian built from jvps (default) or from vjps. */
export type KernelSource = 'jvp' | 'vjp';

/** K_θ = J_θJ_θᵀ (M×M, symmetric PSD up to round-off) from an explicit Jacobian. */
export function tangentKernel(map: ModelMap, theta: Float64Array, source: KernelSource = 'jvp'): Matrix {
  const J = source === 'jvp' ? jacobian(map, theta) : jacobianFromVjp(map, theta);
  return kernelOfJacobian(J);
}

/** J Jᵀ, exactly symmetrized (the two triangles are computed by the same sums). */
export function kernelOfJacobian(J: Matrix): Matrix {
  const K = multiply(J, J, 'n', 't');
  const M = K.rows;
  for (let i = 0; i < M; i++) for (let j = 0; j < i; j++) K.data[j * M + i] = K.data[i * M + j];
  return K;
}

/**
 * A model map from explicit formulas: f(θ) and its Jacobian matrix J(θ) (M×P). jvp and vjp are the two products
 * with that matrix. For small models whose Jacobian is easiest to write down entrywise.
 */
export function explicitModelMap(options: {
  name: string;
  parameterDim: number;
  outputDim: number;
  evaluate: (theta: Float64Array) => Float64Array;
  jacobian: (theta: Float64Array) => Matrix;
}): ModelMap {
  const { name, parameterDim: P, outputDim: M } = options;
  if (!Number.isInteger(P) || P < 1) throw new DomainError('parameterDim', `must be a positive integer, received ${P}`);
  if (!Number.isInteger(M) || M < 1) throw new DomainError('outputDim', `must be a positive integer, received ${M}`);
  const jac = (theta: Float64Array): Matrix => {
    const J = options.jacobian(theta);
    if (J.rows !== M || J.cols !== P) throw new ShapeError(`${name}.jacobian`, `${M}×${P}`, J.shape);
    return J;
  };
  return {
    name,
    parameterDim: P,
    outputDim: M,
    evaluate: options.evaluate,
    jvp(theta, v) {
      const J = jac(theta),
        out = new Float64Array(M);
      for (let i = 0; i < M; i++) {
        let s = 0;
        for (let k = 0; k < P; k++) s += J.data[i * P + k] * v[k];
        out[i] = s;
      }
      return out;
    },
    vjp(theta, w) {
      const J = jac(theta),
        out = new Float64Array(P);
      for (let i = 0; i < M; i++) {
        const wi = w[i];
        for (let k = 0; k < P; k++) out[k] += J.data[i * P + k] * wi;
      }
      return out;
    },
  };
}

/** The square loss ℓ(f) = ½‖f − f*‖² on H: value, functional gradient g = f − f*, and ∇L = J*g. */
export interface SquareLossPoint {
  readonly f: Float64Array;
  /** g = f_θ − f*. */
  readonly g: Float64Array;
  /** L = ½‖g‖². */
  readonly loss: number;
  /** ∇L(θ) = J_θ*g. */
  readonly gradient: Float64Array;
  /** ‖∇L(θ)‖². */
  readonly gradientNormSquared: number;
}

export function squareLossAt(map: ModelMap, theta: Float64Array, target: Float64Array): SquareLossPoint {
  assertParameters(map, theta);
  assertOutput(map, target, 'target');
  const f = map.evaluate(theta);
  const g = new Float64Array(f.length);
  let l = 0;
  for (let i = 0; i < f.length; i++) {
    g[i] = f[i] - target[i];
    l += g[i] * g[i];
  }
  const gradient = map.vjp(theta, g);
  let n2 = 0;
  for (let k = 0; k < gradient.length; k++) n2 += gradient[k] * gradient[k];
  return { f, g, loss: 0.5 * l, gradient, gradientNormSquared: n2 };
}
