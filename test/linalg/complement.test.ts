import { describe, expect, it } from 'vitest';
import { DomainError, NonFiniteError } from '../../src/errors.js';
import { orthonormalComplement } from '../../src/linalg/complement.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { appendColumns } from '../../src/linalg/svd.js';
import { EPS, orthonormalityError, Rng, randomOrthonormal } from './reference.js';

describe('orthonormalComplement', () => {
  // Error model: Gram–Schmidt applied twice keeps ‖[Q C]ᵀ[Q C] − I‖_F within c·(m + 4)·ε (c = 4) of Q's own defect.
  it.each([
    [5, 2],
    [6, 5],
    [4, 1],
    [7, 0],
    [3, 3],
  ])('completes an orthonormal %i×%i Q to an orthogonal matrix', (m, k) => {
    const q = randomOrthonormal(new Rng(41 + m + k), m, k);
    const c = orthonormalComplement(q);
    expect(c.shape).toBe(`${m}×${m - k}`);
    expect(orthonormalityError(appendColumns(q, c))).toBeLessThanOrEqual(orthonormalityError(q) + 4 * (m + 4) * EPS);
  });

  it('is deterministic and returns the standard basis for an empty Q', () => {
    const q = randomOrthonormal(new Rng(42), 6, 3);
    expect(orthonormalComplement(q).toArray()).toEqual(orthonormalComplement(q).toArray());
    expect(orthonormalComplement(new Matrix(3, 0)).toArray()).toEqual(Matrix.identity(3).toArray());
  });

  it('rejects more columns than rows and non-finite entries, naming orthonormalComplement.Q', () => {
    expect(() => orthonormalComplement(new Matrix(2, 3))).toThrow(DomainError);
    expect(() => orthonormalComplement(new Matrix(2, 3))).toThrow(/orthonormalComplement\.Q/);
    expect(() => orthonormalComplement(Matrix.diag([1, NaN], 3, 2))).toThrow(NonFiniteError);
  });
});
