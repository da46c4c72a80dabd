import { describe, expect, it } from 'vitest';
import { acghClaims } from '../../properties/acgh.js';
import { nnlsClaims } from '../../properties/nnls.js';
import { rayleighClaims } from '../../properties/rayleigh.js';
import { woodworthClaims } from '../../properties/woodworth.js';
import { isPlotSpec, type PlotSpec } from '../../src/check/plot-spec.js';
import type { Claim } from '../../src/claims/claim.js';
import { runClaim } from '../../src/claims/runner.js';
import { figureFor } from '../../src/report/figures.js';
import { renderSvg } from '../../src/report/svg-plot.js';

const all: Claim<any>[] = [...rayleighClaims, ...acghClaims, ...nnlsClaims, ...woodworthClaims];
const byId = (id: string): Claim<any> => all.find((c) => c.id === id)!;

function figure(id: string, runs = 3): PlotSpec {
  const report = runClaim(byId(id), { seed: 1, runs });
  expect(report.status, `${id}: ${report.worst?.detail}`).toBe('pass');
  const spec = figureFor(report);
  expect(spec, `${id} has a figure`).toBeDefined();
  return spec!;
}

function expectDrawable(spec: PlotSpec): void {
  for (const s of spec.series) {
    expect(s.x.length).toBe(s.y.length);
    expect(s.x.length).toBeLessThanOrEqual(200);
  }
  const svg = renderSvg(spec);
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).not.toMatch(/NaN|Infinity/);
}

describe('figures of the rate claims (issue 6, item 4)', () => {
  for (const id of ['rsl.kl-rates', 'nnls.converges', 'nnls.accelerated']) {
    it(`${id}: the measured curve on log–log axes with the predicted envelope and the range as a band`, () => {
      const spec = figure(id);
      expect(spec.x.scale).toBe('log');
      expect(spec.y.scale).toBe('log');
      const [measured, ...predicted] = spec.series;
      expect(measured.style).toBe('line');
      expect(measured.y.some((y) => y > 0)).toBe(true);
      const envelopes = predicted.filter((s) => /envelope/.test(s.name));
      expect(envelopes.length).toBeGreaterThan(0);
      for (const e of envelopes) {
        expect(e.style).toBe('dashed');
        expect(e.x).toEqual(measured.x);
      }
      expect(spec.bands?.length).toBe(1);
      expect(spec.bands![0].to).toBeGreaterThan(spec.bands![0].from);
      expectDrawable(spec);
    });
  }

  it('rsl.kl-rates also carries the KL ratio ‖∇L‖²/L^a along the flow, and the fit range in its band label', () => {
    const report = runClaim(byId('rsl.kl-rates'), { seed: 2, runs: 2 });
    const spec = figureFor(report)!;
    expect(spec.bands![0].label).toMatch(/fit range of â/);
    const ratio = report.data!.ratioPlot;
    expect(isPlotSpec(ratio)).toBe(true);
    expect((ratio as PlotSpec).series[0].name).toMatch(/‖∇L‖²\/L\^a/);
    expectDrawable(ratio as PlotSpec);
  });

  it('acgh.dln-pl: the KL ratio along the flow with the pointwise and margin bounds, and GD', () => {
    const spec = figure('acgh.dln-pl');
    expect(spec.series.map((s) => s.name)).toEqual([
      'flow ‖∇L‖²/L',
      'bound 2N s_min^{2−2/N}',
      'margin 2Nc^{2−2/N}',
      'GD ‖∇L‖²/L (t = kη)',
    ]);
    expect(spec.series[3].style).toBe('points');
    expectDrawable(spec);
  });

  it('wgl.q-alpha: the kernel ↔ rich transition across α', () => {
    const spec = figure('wgl.q-alpha', 2);
    expect(spec.series.map((s) => s.name)).toEqual([
      expect.stringMatching(/^to β_ℓ2/),
      expect.stringMatching(/^to β_ℓ1/),
    ]);
    expect(spec.series[0].x.length).toBe(6);
    expectDrawable(spec);
  });
});
