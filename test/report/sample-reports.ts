import { catalogue } from '../../properties/index.js';
import type { ClaimReport } from '../../src/claims/runner.js';
import { runClaim } from '../../src/claims/runner.js';
import { singularValuesPlot, trajectoryPlot } from '../../src/report/figures.js';
import { portable } from '../../src/report/json.js';

/**
 * Reports for the report tests: a derivative check (Taylor curve), an order test (error against step size), a
 * FALSE variant with its counterexample, and two claims whose checks attach figures (a trajectory, singular
 * values over time), plus one whose text needs escaping.
 */
export function sampleReports(): ClaimReport[] {
  const run = (id: string, runs: number) => portable(runClaim(catalogue.find((c) => c.id === id)!, { seed: 1, runs }));
  const base = run('grad.layer', 3);
  const t = Array.from({ length: 40 }, (_, k) => k / 10);
  const trajectory: ClaimReport = {
    ...base,
    id: 'demo.trajectory',
    title: 'loss along a flow <with> its envelope',
    statement: 'L(t) ≤ L(0)e^{−t} & "friends" <script>alert(1)</script>',
    hypotheses: ['a < b', 'c > d'],
    data: {
      plot: trajectoryPlot(
        'loss against time',
        t,
        { 'L(t)': t.map((x) => Math.exp(-1.2 * x)) },
        { logY: true, predicted: { 'L(0)e^{−t}': t.map((x) => Math.exp(-x)) } },
      ),
    },
  };
  const sigmas: ClaimReport = {
    ...base,
    id: 'demo.rank',
    title: 'singular values over time',
    data: {
      plot: singularValuesPlot(
        'σ_i(W(t))',
        t,
        t.map((x) => [2 * Math.exp(-0.1 * x), Math.exp(-x), 1e-17]),
      ),
    },
  };
  return [base, run('flow.conservation', 2), run('nnls.positivity.odd-L', 50), trajectory, sigmas];
}
