import { inconclusive, type Verdict } from '../../check/verdict.js';
import { type NnlsSolution, solveNnls } from '../lawson-hanson.js';
import type { LeastSquaresProblem } from '../problem.js';

/**
 * The reference solution x*, f* of the rate checks (Lawson–Hanson). A rate bound against a wrong x* or f* can fail
 * for a true theorem, so when Lawson–Hanson does not converge (iteration cap, or KKT not met to round-off) the
 * check is inconclusive and compares nothing.
 */
export function nnlsReference(problem: LeastSquaresProblem): { star: NnlsSolution } | { unavailable: Verdict } {
  const star = solveNnls(problem);
  if (star.converged) return { star };
  return {
    unavailable: inconclusive({
      measured: NaN,
      bound: 0,
      errorModel: 'Lawson–Hanson reference',
      detail: `Lawson–Hanson did not converge (${star.status} after ${star.iterations} iterations): no x*, f*`,
    }),
  };
}
