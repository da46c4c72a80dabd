import fc from 'fast-check';
import { Matrix } from '../linalg/matrix.js';
import { roundEntries } from '../random/constructions.js';
import { gaussianMatrix } from '../random/gaussian-matrix.js';
import type { Rng } from '../random/rng.js';
import { MODEL_KINDS, type ModelInstance } from '../rayleigh/instances.js';
import { diagonalModelMap, dlnModelMap, hadamardModelMap, packWeights } from '../rayleigh/models.js';
import { decimals, dimension, seeded, widths as widthsArb } from './seeded.js';

export type { ModelInstance };

/**
 * Random model maps at random points for the Rayleigh-quotient identities (rsl.identity, rsl.bounds): the deep
 * linear network f = W_{N:1} and f = W_{N:1}X, WGL's diagonal network and CMV's Hadamard map.
 */

const round = (x: number): number => Number(x.toPrecision(4));

function gaussianVector(rng: Rng, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.gaussian());
}

/** The shapes of the model instances (each range shrinks toward its minimum). */
export interface ModelConstraints {
  /** Depth N of the DLN (and L of the Hadamard map) (default [1, 3]). */
  readonly depth?: [number, number];
  /** Widths d_j (default [1, 4]). */
  readonly width?: [number, number];
  /** Samples m of f = W_{N:1}X (default [1, 4]). */
  readonly samples?: [number, number];
}

/**
 * Kind (shrinks toward the DLN product map), widths [d_0..d_N] with N ≤ 3 and d_j ≤ 4 (the diagonal network
 * uses n = d_0 samples and d = d_N features, the Hadamard map A d_0×d_N and L = N), samples m ≤ 4 for f = W_{N:1}X,
 * and decimals for the entries. Layers are Gaussian with variance 1/fan-in so products stay O(1).
 */
export function modelInstanceArb(constraints: ModelConstraints = {}): fc.Arbitrary<ModelInstance> {
  return seeded(
    fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      widthsArb({ depth: constraints.depth ?? [1, 3], width: constraints.width ?? [1, 4] }),
      dimension(...(constraints.samples ?? [1, 4])),
      decimals(),
    ),
    ([k, widths, m, dec], rng): ModelInstance => {
      const kind = MODEL_KINDS[k];
      const N = widths.length - 1,
        d0 = widths[0],
        dN = widths[N];
      const v0 = (P: number): Float64Array => gaussianVector(rng, P);
      if (kind === 'dln-product' || kind === 'dln') {
        const weights = widths
          .slice(1)
          .map((rows, j) => roundEntries(gaussianMatrix(rng, rows, widths[j], 1 / Math.sqrt(widths[j])), dec));
        const X = kind === 'dln' ? roundEntries(gaussianMatrix(rng, d0, m), dec) : Matrix.identity(d0);
        const Y = roundEntries(gaussianMatrix(rng, dN, X.cols), dec);
        const map = dlnModelMap(widths, kind === 'dln' ? X : undefined);
        return {
          kind,
          map,
          theta: packWeights(weights),
          target: Y.data.slice(),
          weights,
          data: { X, Y },
          v: v0(map.parameterDim),
          h: v0(map.outputDim),
        };
      }
      const A = roundEntries(gaussianMatrix(rng, d0, dN), dec);
      const target = roundEntries(new Matrix(1, d0, gaussianVector(rng, d0)), dec).data;
      if (kind === 'diagonal') {
        const theta = roundEntries(new Matrix(1, 2 * dN, gaussianVector(rng, 2 * dN)), dec).data;
        return { kind, map: diagonalModelMap(A), theta, target, A, v: v0(2 * dN), h: v0(d0) };
      }
      const theta = roundEntries(new Matrix(1, dN, gaussianVector(rng, dN)), dec).data;
      return { kind, map: hadamardModelMap(A, N), theta, target, A, L: N, v: v0(dN), h: v0(d0) };
    },
  );
}

export function summarizeModel(i: ModelInstance): Record<string, unknown> {
  return {
    kind: i.kind,
    model: i.map.name,
    theta: Array.from(i.theta, round),
    target: Array.from(i.target, round),
    ...(i.data && i.kind === 'dln' ? { X: i.data.X.toArray().map((r) => r.map(round)) } : {}),
    ...(i.A ? { A: i.A.toArray().map((r) => r.map(round)) } : {}),
    ...(i.L !== undefined ? { L: i.L } : {}),
  };
}
