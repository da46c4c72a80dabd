import { allocateState, type Shape } from '../dynamics/state.js';
import { DomainError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Rng } from '../random/rng.js';

/**
 * Optimizers for product-only costs with weight decay. Every one takes the data gradient g_ℓ = ∇_{W_ℓ}C (a batch
 * or full gradient) and the penalty coefficient μ (∇ penalty = μW_ℓ: μ = 2λ in WJ's convention), and uses the
 * coupled gradient g'_ℓ = g_ℓ + μW_ℓ (L2 regularization of the objective, not decoupled "AdamW" decay).
 *
 *   sgd       W ← W − η d with d = g' (plain), d = v (momentum v ← βv + g'), or d = g' + βv (Nesterov, in the
 *             PyTorch form): every update is a linear combination of past gradients, so it keeps dead hidden
 *             directions dead (THEORY wj.dead-direction-invariant).
 *   adam      m ← β₁m + (1−β₁)g', v ← β₂v + (1−β₂)g'², W ← W − η m̂/(√v̂ + ε) with bias corrections: ENTRYWISE, so it
 *             respects only coordinate-aligned dead directions — the contrast case of THEORY §4.
 *   rmsprop   v ← ρv + (1−ρ)g'², W ← W − η g'/(√v + ε): entrywise, same contrast.
 *   sign      W ← W − η sign(g'): entrywise.
 *   langevin  W ← W − η g' + √(2ηT) ξ, ξ ~ N(0, I) isotropic: noise enters dead directions — the other contrast.
 * Buffers are allocated once; step allocates nothing.
 */
export type OptimizerSpec =
  | { readonly kind: 'sgd'; readonly momentum?: number; readonly nesterov?: boolean }
  | { readonly kind: 'adam'; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly kind: 'rmsprop'; readonly rho?: number; readonly epsilon?: number }
  | { readonly kind: 'sign' }
  | { readonly kind: 'langevin'; readonly temperature: number };

export const OPTIMIZER_KINDS = ['sgd', 'adam', 'rmsprop', 'sign', 'langevin'] as const;

export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** One step in place: state ← update(state, g + μ·state) with learning rate η. `rng` feeds Langevin's noise. */
  step(state: readonly Matrix[], gradient: readonly Matrix[], eta: number, mu: number, rng: Rng): void;
  /**
   * The factor by which a component that receives no data gradient (a perturbation of dead directions, to first
   * order) shrinks per step, |x_{k+1}|/|x_k| asymptotically: |1 − ημ| for plain SGD/GD, the spectral radius of the
   * momentum recursion otherwise; undefined for the entrywise and noisy optimizers (no such prediction).
   */
  deadComponentFactor(eta: number, mu: number): number | undefined;
  /** Forget the internal state (velocities, moments, step count). */
  reset(): void;
}

function inRange(
  x: number | undefined,
  fallback: number,
  lo: number,
  hi: number,
  argument: string,
  openHi = true,
): number {
  const v = x ?? fallback;
  if (!(Number.isFinite(v) && v >= lo && (openHi ? v < hi : v <= hi)))
    throw new DomainError(argument, `expected a number in [${lo}, ${hi}${openHi ? ')' : ']'}, received ${v}`);
  return v;
}

/** Validate a spec (throws naming the field, e.g. `optimizer.beta1`) and fill in the defaults. */
export function normalizeOptimizer(spec: OptimizerSpec, argument = 'optimizer'): OptimizerSpec {
  if (!spec || typeof spec !== 'object')
    throw new DomainError(argument, `expected { kind: ${OPTIMIZER_KINDS.join(' | ')} , … }`);
  switch (spec.kind) {
    case 'sgd':
      return {
        kind: 'sgd',
        momentum: inRange(spec.momentum, 0, 0, 1, `${argument}.momentum`),
        nesterov: spec.nesterov ?? false,
      };
    case 'adam':
      return {
        kind: 'adam',
        beta1: inRange(spec.beta1, 0.9, 0, 1, `${argument}.beta1`),
        beta2: inRange(spec.beta2, 0.999, 0, 1, `${argument}.beta2`),
        epsilon: positive(spec.epsilon ?? 1e-8, `${argument}.epsilon`),
      };
    case 'rmsprop':
      return {
        kind: 'rmsprop',
        rho: inRange(spec.rho, 0.99, 0, 1, `${argument}.rho`),
        epsilon: positive(spec.epsilon ?? 1e-8, `${argument}.epsilon`),
      };
    case 'sign':
      return { kind: 'sign' };
    case 'langevin': {
      const t = spec.temperature;
      if (!(Number.isFinite(t) && t >= 0))
        throw new DomainError(`${argument}.temperature`, `expected a finite T ≥ 0, received ${t}`);
      return { kind: 'langevin', temperature: t };
    }
    default:
      throw new DomainError(
        `${argument}.kind`,
        `expected one of ${OPTIMIZER_KINDS.join(', ')}, received ${JSON.stringify((spec as { kind?: unknown }).kind)}`,
      );
  }
}

function positive(x: number, argument: string): number {
  if (!(Number.isFinite(x) && x > 0)) throw new DomainError(argument, `expected a finite number > 0, received ${x}`);
  return x;
}

/** Spectral radius of [[a, b], [c, d]]. */
function spectralRadius2(a: number, b: number, c: number, d: number): number {
  const tr = a + d,
    det = a * d - b * c,
    disc = (tr * tr) / 4 - det;
  if (disc < 0) return Math.sqrt(det);
  const r = Math.sqrt(disc);
  return Math.max(Math.abs(tr / 2 + r), Math.abs(tr / 2 - r));
}

export function createOptimizer(spec: OptimizerSpec, shapes: readonly Shape[]): Optimizer {
  const s = normalizeOptimizer(spec);
  switch (s.kind) {
    case 'sgd':
      return new Sgd(s as Required<Extract<OptimizerSpec, { kind: 'sgd' }>>, shapes);
    case 'adam':
      return new Adam(s as Required<Extract<OptimizerSpec, { kind: 'adam' }>>, shapes);
    case 'rmsprop':
      return new RmsProp(s as Required<Extract<OptimizerSpec, { kind: 'rmsprop' }>>, shapes);
    case 'sign':
      return new SignDescent(s);
    case 'langevin':
      return new Langevin(s);
  }
}

class Sgd implements Optimizer {
  private readonly velocity: Matrix[];
  constructor(
    readonly spec: Required<Extract<OptimizerSpec, { kind: 'sgd' }>>,
    shapes: readonly Shape[],
  ) {
    this.velocity = allocateState(shapes);
  }

  step(state: readonly Matrix[], gradient: readonly Matrix[], eta: number, mu: number): void {
    const beta = this.spec.momentum,
      nesterov = this.spec.nesterov;
    for (let j = 0; j < state.length; j++) {
      const W = state[j].data,
        G = gradient[j].data;
      if (beta === 0) {
        for (let i = 0; i < W.length; i++) W[i] -= eta * (G[i] + mu * W[i]);
      } else {
        const V = this.velocity[j].data;
        for (let i = 0; i < W.length; i++) {
          const g = G[i] + mu * W[i];
          const v = beta * V[i] + g;
          V[i] = v;
          W[i] -= eta * (nesterov ? g + beta * v : v);
        }
      }
    }
  }

  deadComponentFactor(eta: number, mu: number): number {
    const beta = this.spec.momentum;
    // A dead scalar e (data gradient 0, g' = μe) with velocity v: v' = βv + μe and
    // e' = e − ηv' (heavy ball) or e' = e − η(μe + βv') (Nesterov): a linear 2×2 recursion on (e, v).
    if (beta === 0) return Math.abs(1 - eta * mu);
    return this.spec.nesterov
      ? spectralRadius2(1 - eta * mu * (1 + beta), -eta * beta * beta, mu, beta)
      : spectralRadius2(1 - eta * mu, -eta * beta, mu, beta);
  }

  reset(): void {
    for (const v of this.velocity) v.data.fill(0);
  }
}

class Adam implements Optimizer {
  private readonly m: Matrix[];
  private readonly v: Matrix[];
  private t = 0;
  constructor(
    readonly spec: Required<Extract<OptimizerSpec, { kind: 'adam' }>>,
    shapes: readonly Shape[],
  ) {
    this.m = allocateState(shapes);
    this.v = allocateState(shapes);
  }

  step(state: readonly Matrix[], gradient: readonly Matrix[], eta: number, mu: number): void {
    const { beta1, beta2, epsilon } = this.spec;
    this.t++;
    const c1 = 1 - Math.pow(beta1, this.t),
      c2 = 1 - Math.pow(beta2, this.t);
    for (let j = 0; j < state.length; j++) {
      const W = state[j].data,
        G = gradient[j].data,
        M = this.m[j].data,
        V = this.v[j].data;
      for (let i = 0; i < W.length; i++) {
        const g = G[i] + mu * W[i];
        M[i] = beta1 * M[i] + (1 - beta1) * g;
        V[i] = beta2 * V[i] + (1 - beta2) * g * g;
        W[i] -= (eta * (M[i] / c1)) / (Math.sqrt(V[i] / c2) + epsilon);
      }
    }
  }

  deadComponentFactor(): undefined {
    return undefined;
  }

  reset(): void {
    this.t = 0;
    for (const x of [...this.m, ...this.v]) x.data.fill(0);
  }
}

class RmsProp implements Optimizer {
  private readonly v: Matrix[];
  constructor(
    readonly spec: Required<Extract<OptimizerSpec, { kind: 'rmsprop' }>>,
    shapes: readonly Shape[],
  ) {
    this.v = allocateState(shapes);
  }

  step(state: readonly Matrix[], gradient: readonly Matrix[], eta: number, mu: number): void {
    const { rho, epsilon } = this.spec;
    for (let j = 0; j < state.length; j++) {
      const W = state[j].data,
        G = gradient[j].data,
        V = this.v[j].data;
      for (let i = 0; i < W.length; i++) {
        const g = G[i] + mu * W[i];
        V[i] = rho * V[i] + (1 - rho) * g * g;
        W[i] -= (eta * g) / (Math.sqrt(V[i]) + epsilon);
      }
    }
  }

  deadComponentFactor(): undefined {
    return undefined;
  }

  reset(): void {
    for (const x of this.v) x.data.fill(0);
  }
}

class SignDescent implements Optimizer {
  constructor(readonly spec: OptimizerSpec) {}

  step(state: readonly Matrix[], gradient: readonly Matrix[], eta: number, mu: number): void {
    for (let j = 0; j < state.length; j++) {
      const W = state[j].data,
        G = gradient[j].data;
      for (let i = 0; i < W.length; i++) W[i] -= eta * Math.sign(G[i] + mu * W[i]);
    }
  }

  deadComponentFactor(): undefined {
    return undefined;
  }

  reset(): void {}
}

class Langevin implements Optimizer {
  constructor(readonly spec: Extract<OptimizerSpec, { kind: 'langevin' }>) {}

  step(state: readonly Matrix[], gradient: readonly Matrix[], eta: number, mu: number, rng: Rng): void {
    const sigma = Math.sqrt(2 * eta * this.spec.temperature);
    for (let j = 0; j < state.length; j++) {
      const W = state[j].data,
        G = gradient[j].data;
      for (let i = 0; i < W.length; i++) W[i] += -eta * (G[i] + mu * W[i]) + sigma * rng.gaussian();
    }
  }

  deadComponentFactor(): undefined {
    return undefined;
  }

  reset(): void {}
}
