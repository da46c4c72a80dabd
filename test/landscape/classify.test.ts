import { describe, expect, it } from 'vitest';
import { classifyPoint } from '../../src/landscape/classify.js';
import { admissibleKinds, type CriticalKind, originPoint, randomCriticalPoint } from '../../src/landscape/construct.js';
import { type InputKind, landscapeData } from '../../src/landscape/data.js';
import { buildFrame } from '../../src/landscape/frame.js';
import { hessianSpectrum } from '../../src/landscape/hessian.js';
import { iclr18Example } from '../../src/landscape/nr-models.js';
import { higherOrderProbe } from '../../src/landscape/probe.js';
import { Matrix } from '../../src/linalg/matrix.js';
import { type LossScale, loss } from '../../src/model/loss.js';
import { gaussianMatrix } from '../../src/random/gaussian-matrix.js';
import { Rng } from '../../src/random/rng.js';

/**
 * The classifier against independent evidence on ≥ 500 exact critical points (depths 2–5): the class must agree
 * with the Hessian's smallest eigenvalue (strict ⇔ λ_min < −τ_H), with the rank rules (S ≠ {1..r} ⇒ strict by the
 * rotation certificate; the pair rule firing ⇒ strict; non-strict ⇒ S = {1..r}, r < r_max) and with the
 * construction (global ⇔ S = {1..r*}); any disagreement is a mismatch and fails the test.
 */
describe('classifier on constructed critical points', () => {
  it('≥ 500 points across depths 2–5: zero mismatches', () => {
    const rng = new Rng(2024);
    const counts: Record<string, number> = {};
    const mismatches: string[] = [];
    let total = 0,
      nonStrict = 0,
      probed = 0,
      ruleFired = 0,
      ruleSilentStrict = 0;
    for (let depth = 2; depth <= 5; depth++) {
      for (let t = 0; t < 130; t++) {
        const widths = Array.from({ length: depth + 1 }, () => rng.integer(1, 4));
        const inputs: InputKind = (['whitened', 'conditioned', 'deficient'] as const)[t % 3];
        if (inputs === 'deficient') widths[0] = Math.max(2, widths[0]);
        const scale: LossScale = (['half', 'sum', 'mean'] as const)[(t + depth) % 3];
        const data = landscapeData(rng, {
          d0: widths[0],
          dN: widths[depth],
          inputs,
          samples: widths[0] + rng.integer(0, 3),
        });
        const frame = buildFrame(data, scale);
        const kinds = admissibleKinds(frame, widths);
        // Bias toward saddles: global minima are the easy case.
        const kind: CriticalKind = kinds[(t % 5 === 0 ? 0 : 1 + (t % (kinds.length - 1 || 1))) % kinds.length];
        const p = randomCriticalPoint(rng, frame, data, widths, kind);
        const c = classifyPoint(p.weights, data, { scale, seed: t });
        const spec = hessianSpectrum(p.weights, data, scale);
        total++;
        const strictH = spec.lambdaMin < -spec.tolerance;
        const tag = `N=${depth} ${widths.join('-')} ${inputs} ${scale} S={${p.S}} e=${p.residualRanks} breaks=${p.breaks}`;
        const bad = (why: string) => mismatches.push(`${tag}: ${why}`);
        if (c.mismatches.length) bad(`internal cross-check: ${c.mismatches.join('; ')}`);
        if (!c.gradient.critical) bad('not recognized as critical');
        if (p.kind === 'global' && c.class !== 'global-minimum') bad(`global point classified ${c.class}`);
        if (p.kind === 'gap' && (c.class !== 'strict-saddle' || !c.rotation?.holds))
          bad(`S ≠ {1..r} classified ${c.class} (rotation ${c.rotation?.holds})`);
        if (c.class === 'strict-saddle' && !strictH) bad(`strict-saddle but λ_min = ${spec.lambdaMin}`);
        if ((c.class === 'non-strict-saddle' || c.class === 'global-minimum') && strictH)
          bad(`${c.class} but λ_min = ${spec.lambdaMin}`);
        if (c.pairRule?.applies && !strictH) bad('pair rule fires but λ_min ≥ −τ_H');
        if (c.pairRule?.ambiguous) bad('numerically ambiguous ranks at an exact constructed point');
        if (c.pairRule?.certificate && !c.pairRule.certificate.holds)
          bad('pair-rule certificate does not give negative curvature');
        if (c.class === 'non-strict-saddle') {
          nonStrict++;
          if (!(c.structure?.topR && c.structure.rank < c.structure.rMax))
            bad('non-strict without S = {1..r}, r < r_max');
          if (c.probe?.found) probed++;
        }
        if (p.kind !== 'global') {
          if (c.pairRule?.applies) ruleFired++;
          else if (strictH && p.kind === 'top') ruleSilentStrict++;
        }
        counts[`${p.kind}→${c.class}`] = (counts[`${p.kind}→${c.class}`] ?? 0) + 1;
      }
    }
    console.log(`classifier: ${total} constructed critical points, ${mismatches.length} mismatches`, counts, {
      nonStrict,
      probed,
      ruleFired,
      ruleSilentStrict,
    });
    expect(total).toBeGreaterThanOrEqual(500);
    expect(mismatches).toEqual([]);
    expect(counts['gap→strict-saddle']).toBeGreaterThan(50);
    expect(counts['top→non-strict-saddle']).toBeGreaterThan(20);
    expect(counts['top→strict-saddle']).toBeGreaterThan(50);
    expect(counts['global→global-minimum']).toBeGreaterThan(50);
    // Every non-strict saddle found so far also gets a confirmed descent curve from the probe.
    expect(probed).toBe(nonStrict);
  });
});

describe('deliberately mislabelled inputs', () => {
  const rng = new Rng(99);
  const data = landscapeData(rng, { d0: 3, dN: 2, inputs: 'conditioned' });
  const frame = buildFrame(data, 'half');

  it('a non-critical point labelled a minimum', () => {
    const w = [gaussianMatrix(rng, 2, 3), gaussianMatrix(rng, 2, 2)];
    const c = classifyPoint(w, data, { reported: { class: 'global-minimum' } });
    expect(c.class).toBe('not-critical');
    expect(c.gradient.norm).toBeGreaterThan(1e6 * c.gradient.tolerance);
    expect(c.reported).toEqual([expect.objectContaining({ name: 'reported class', ok: false })]);
  });

  it('a perturbed critical point is not critical, however small the perturbation above round-off', () => {
    const p = randomCriticalPoint(rng, frame, data, [3, 2, 2, 2], 'global');
    expect(classifyPoint(p.weights, data).class).toBe('global-minimum');
    for (const eps of [1e-4, 1e-8, 1e-11]) {
      const w = p.weights.map((m) => {
        const q = m.clone();
        for (let i = 0; i < q.data.length; i++) q.data[i] += eps * rng.gaussian();
        return q;
      });
      const c = classifyPoint(w, data, { reported: { class: 'global-minimum' } });
      expect(c.class).toBe('not-critical');
      expect(c.reported[0].ok).toBe(false);
    }
  });

  it('a wrong loss scale is detected from the reported loss', () => {
    const p = randomCriticalPoint(rng, frame, data, [3, 2, 2], 'top');
    const sumLoss = loss(p.weights, data, { scale: 'sum' });
    const c = classifyPoint(p.weights, data, { scale: 'half', reported: { loss: sumLoss } });
    expect(c.reported[0].ok).toBe(false);
    expect(c.reported[0].detail).toMatch(/matches scale 'sum' — wrong loss scale\?/);
    const meanLoss = loss(p.weights, data, { scale: 'mean' });
    expect(classifyPoint(p.weights, data, { scale: 'mean', reported: { loss: meanLoss } }).reported[0].ok).toBe(true);
    expect(classifyPoint(p.weights, data, { scale: 'half', reported: { loss: 123 } }).reported[0].detail).toMatch(
      /matches no loss scale/,
    );
  });

  it('the ICLR-2018 example labelled a local minimum', () => {
    const ex = iclr18Example();
    const c = classifyPoint(ex.weights, ex.data, { reported: { class: 'local-minimum' } });
    expect(c.class).toBe('non-strict-saddle');
    expect(c.hessian!.negative).toBe(0);
    expect(c.probe?.found).toBe(true);
    expect(c.probe?.order).toBe(4);
    expect(c.reported[0].ok).toBe(false);
  });
});

describe('higher-order probe', () => {
  it('finds the ICLR curve (order 4) also after symmetries, and order N at the origin', () => {
    const rng = new Rng(5);
    const rot = (a: number) =>
      Matrix.from([
        [Math.cos(a), -Math.sin(a)],
        [Math.sin(a), Math.cos(a)],
      ]);
    for (const scale of ['half', 'sum', 'mean'] as const) {
      const ex = iclr18Example({ Oin: rot(1), Oout: rot(2), Os: rot(3), c: 1.7, scale });
      const p = higherOrderProbe(ex.weights, ex.data, scale, hessianSpectrum(ex.weights, ex.data, scale));
      expect(p.found).toBe(true);
      expect(p.order).toBe(4);
      for (const o of p.observations!) expect(o.change).toBeLessThan(-10 * o.roundoff);
    }
    for (let N = 3; N <= 5; N++) {
      const widths = [2, ...Array(N - 1).fill(2), 2];
      const data = landscapeData(rng, { d0: 2, dN: 2 });
      const w = originPoint(widths);
      const p = higherOrderProbe(w, data, 'half', hessianSpectrum(w, data));
      expect(p.found).toBe(true);
      expect(p.order).toBe(N);
    }
  });

  it('never reports descent at a global minimum (the probe can fail)', () => {
    const rng = new Rng(6);
    for (let t = 0; t < 40; t++) {
      const N = 2 + (t % 4);
      const widths = Array.from({ length: N + 1 }, () => rng.integer(1, 3));
      const data = landscapeData(rng, {
        d0: widths[0],
        dN: widths[N],
        inputs: (['whitened', 'conditioned'] as const)[t % 2],
      });
      const frame = buildFrame(data);
      const p = randomCriticalPoint(rng, frame, data, widths, 'global');
      const r = higherOrderProbe(p.weights, data, 'half', hessianSpectrum(p.weights, data), { rng, trials: 3 });
      expect(r.found).toBe(false);
    }
  });
});

describe('edge cases', () => {
  it('depth 1 (convex): the least-squares solution is the global minimum; X = 0 and Y = 0 are handled', () => {
    const rng = new Rng(12);
    const data = landscapeData(rng, { d0: 3, dN: 2, inputs: 'conditioned' });
    const frame = buildFrame(data);
    const W = randomCriticalPoint(rng, frame, data, [3, 2], 'global').weights;
    expect(classifyPoint(W, data).class).toBe('global-minimum');
    expect(classifyPoint([gaussianMatrix(rng, 2, 3)], data).class).toBe('not-critical');
    const zeroX = { X: new Matrix(3, 4), Y: gaussianMatrix(rng, 2, 4) };
    const c = classifyPoint([gaussianMatrix(rng, 2, 3), gaussianMatrix(rng, 2, 2)], zeroX);
    expect(c.class).toBe('global-minimum');
    expect(c.frame.rank).toBe(0);
    const zeroY = { X: gaussianMatrix(rng, 3, 4), Y: new Matrix(2, 4) };
    expect(classifyPoint(originPoint([3, 2, 2]), zeroY).class).toBe('global-minimum');
  });
});

describe('approximately critical points (gradientTolerance)', () => {
  it('are polished by Newton to the nearby exact critical point, which is classified and reported with its distance', () => {
    const rng = new Rng(77);
    let polished = 0;
    for (let t = 0; t < 30; t++) {
      const data = landscapeData(rng, { d0: 3, dN: 3, inputs: (['whitened', 'conditioned'] as const)[t % 2] });
      const frame = buildFrame(data);
      const kind = (['global', 'gap'] as const)[t % 2];
      const p = randomCriticalPoint(rng, frame, data, [3, 2, 3, 3], kind);
      const moved = p.weights.map((w) => {
        const m = w.clone();
        for (let i = 0; i < m.data.length; i++) m.data[i] += 1e-8 * rng.gaussian();
        return m;
      });
      expect(classifyPoint(moved, data).class).toBe('not-critical');
      const c = classifyPoint(moved, data, { gradientTolerance: 1e-4 });
      expect(c.mismatches).toEqual([]);
      if (c.class === 'undetermined') continue;
      polished++;
      expect(c.class).toBe(kind === 'global' ? 'global-minimum' : 'strict-saddle');
      expect(c.nearby!.relativeDistance).toBeLessThan(1e-5);
      expect(c.certificate).toMatch(/the exact critical point at distance/);
    }
    expect(polished).toBeGreaterThan(25);
    expect(() =>
      classifyPoint(originPoint([3, 2, 3]), landscapeData(rng, { d0: 3, dN: 3 }), { gradientTolerance: -1 }),
    ).toThrow(/gradientTolerance/);
  });
});
