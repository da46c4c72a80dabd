import { describe, expect, it, vi } from 'vitest';
import { nrClaims } from '../../properties/nouiehed-razaviyayn.js';
import type { Claim } from '../../src/claims/claim.js';
import type * as NrModels from '../../src/landscape/nr-models.js';
import type * as Openness from '../../src/landscape/openness.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { multiply } from '../../src/linalg/products.js';

/**
 * nr.local-openness.examples and nr.iclr18-example.second-order-test check fixed models (NR's two examples, the
 * ICLR-2018 point up to symmetries), so no drawn instance can be wrong. Their teeth: the library parts they rest on
 * are replaced, one at a time, by deliberately broken ones (a fiber distance that claims 0, a criterion that calls
 * everything open, a witness whose distances do not vanish, a global minimum in place of the saddle), and each check
 * must notice. Everything is real unless a switch below is on.
 */
const broken = vi.hoisted(() => ({
  fiberLowerBound: false,
  criterionAlwaysOpen: false,
  witnessNotVanishing: false,
  globalMinimumStart: false,
}));

vi.mock('../../src/landscape/openness.js', async (importOriginal) => {
  const real = await importOriginal<typeof Openness>();
  return {
    ...real,
    fiberDistance: (...args: Parameters<typeof real.fiberDistance>) => {
      const d = real.fiberDistance(...args);
      return broken.fiberLowerBound ? { ...d, lower: 0 } : d;
    },
    opennessCriterion: (...args: Parameters<typeof real.opennessCriterion>) => {
      const c = real.opennessCriterion(...args);
      return broken.criterionAlwaysOpen ? { ...c, open: true } : c;
    },
    opennessWitness: (...args: Parameters<typeof real.opennessWitness>) => {
      const w = real.opennessWitness(...args);
      return broken.witnessNotVanishing ? { ...w, worstVanishing: 1, vanishing: false } : w;
    },
  };
});

vi.mock('../../src/landscape/nr-models.js', async (importOriginal) => {
  const real = await importOriginal<typeof NrModels>();
  return {
    ...real,
    iclr18Example: (...args: Parameters<typeof real.iclr18Example>) => {
      const ex = real.iclr18Example(...args);
      if (!broken.globalMinimumStart) return ex;
      // W_3W_2W_1 = O_out diag(0, 1) O_inᵀ = YX⁻¹: a global minimum (L = 0) of the same data.
      const I = Matrix.identity(2),
        { Oin = I, Oout = I } = args[0] ?? {};
      const w1 = multiply(Matrix.from([[0, 1]]), Oin, 'n', 't'),
        w3 = multiply(Oout, Matrix.from([[0], [1]]));
      const weights = [w1, Matrix.from([[1]]), w3];
      return { ...ex, weights };
    },
  };
});

const claim = <I>(id: string): Claim<I> => nrClaims.find((c) => c.id === id) as Claim<I>;

/** The verdict of `check` with one switch on (and off again afterwards). */
function withBroken<T>(part: keyof typeof broken, check: () => T): T {
  broken[part] = true;
  try {
    return check();
  } finally {
    broken[part] = false;
  }
}

describe('nr.local-openness.examples has teeth', () => {
  const examples = claim<'a' | 'b'>('nr.local-openness.examples');

  it('passes with the real witness, criterion and fiber distance', () => {
    for (const which of ['a', 'b'] as const) expect(examples.check(which).status, which).toBe('pass');
  });

  it('(b) fails a fiber distance whose lower bound says 0 (the target would be reachable)', () => {
    const v = withBroken('fiberLowerBound', () => examples.check('b'));
    expect(v.status, v.detail).toBe('fail');
    expect(v.detail).toContain('fiber distances ≥');
  });

  it('(b) fails a rank criterion that calls every pair open', () => {
    const v = withBroken('criterionAlwaysOpen', () => examples.check('b'));
    expect(v.status, v.detail).toBe('fail');
    expect(v.detail).toContain('the rank criterion says not open');
  });

  it('(a) fails a witness whose fiber distances of rank-1 targets do not vanish', () => {
    const v = withBroken('witnessNotVanishing', () => examples.check('a'));
    expect(v.status, v.detail).toBe('fail');
    expect(v.detail).toContain('fiber distances of rank-1 targets vanish');
  });
});

describe('nr.iclr18-example.second-order-test (FALSE) has teeth', () => {
  type Iclr = { angles: number[]; reflections: boolean[]; c: number; scale: 'half' | 'sum' | 'mean'; seed: number };
  const secondOrder = claim<Iclr>('nr.iclr18-example.second-order-test');
  const original: Iclr = { angles: [0, 0, 0], reflections: [false, false, false], c: 1, scale: 'half', seed: 1 };
  const moved: Iclr = { angles: [0.4, 2.1, 5], reflections: [true, false, true], c: 1.3, scale: 'mean', seed: 5 };

  it('refutes "critical + PSD Hessian ⇒ local minimum" at the ICLR-2018 point, not at a global minimum', () => {
    for (const instance of [original, moved]) {
      const refuted = secondOrder.check(instance);
      expect(refuted.status, refuted.detail).toBe('fail');
      expect(refuted.measured).toBeLessThan(0); // L(curve(0.3)) < L(0)
      const kept = withBroken('globalMinimumStart', () => secondOrder.check(instance));
      expect(kept.status, kept.detail).toBe('pass');
      expect(kept.measured).toBeGreaterThan(0);
    }
  });
});
