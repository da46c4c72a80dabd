import { compare, EPS, holdsWhen, inconclusive, type Verdict, worstOf } from '../../check/verdict.js';
import { sci as fmt } from '../../format.js';
import { factorGradientDescent } from '../factor-network.js';
import type { DiscreteEquivalenceInstance } from '../instances.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from '../problem.js';
import { stepSize } from '../reparam.js';
import { parametrizedRetractionStep, type RiemannianStep } from '../riemannian-step.js';
import { integerPower } from '../vector.js';

/** Safety factor on the first-order round-off model of one step (below). */
const ROUND_OFF_SAFETY = 4;

/**
 * Run GD on L identical factors and, at every step k, apply the Riemannian step to x_k = ⊙_j u_j(k): it must land
 * on x_{k+1} up to the round-off of the two computations, coordinate by coordinate. Both compute u' = u − η u^{L−1}g
 * (GD from the factors; the retraction from x^{1/L}), with absolute error E ≤ 2ε|u| + (4L + 8)ε|ηu^{L−1}g| +
 * 2ε|u'| (x^{1/L} and the powers of x inherit the L − 1 roundings of the product), and then raise it to the L-th
 * power, so |x̂ − x'| ≤ 4(L|u'|^{L−1}E + 2(L−1)ε|u'|^L) + (4E)^L. The factors must stay exactly equal (the
 * updates are the same floating-point operations). Only steps that keep u > 0 are in scope: x^{1/L} recovers u
 * only there.
 */
export function checkDiscreteEquivalence(
  inst: DiscreteEquivalenceInstance,
  step: RiemannianStep = parametrizedRetractionStep,
): Verdict {
  const { A, b, L, eta, gamma, iterations } = inst;
  const n = A.cols;
  const ws = new LeastSquaresWorkspace(leastSquaresProblem(A, b));
  const predicted = new Float64Array(n),
    previous = new Float64Array(n),
    uPrev = new Float64Array(n);
  let worst = 0,
    worstAt = -1,
    spread = 0,
    checked = 0,
    leftOrthant = -1;
  factorGradientDescent(A, b, {
    factors: Array.from({ length: L }, () => inst.u0),
    eta,
    gamma,
    iterations,
    observe: (k, factors, x) => {
      const u = factors[0];
      for (const v of factors) for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(v[i] - u[i]));
      if (!u.every((v) => v > 0)) {
        leftOrthant = k;
        return true;
      }
      if (k > 0) {
        const h = stepSize(eta, gamma, k - 1);
        ws.evaluate(previous);
        step(predicted, previous, ws.gradient, L, h);
        for (let i = 0; i < n; i++) {
          const move = Math.abs(h * integerPower(uPrev[i], L - 1) * ws.gradient[i]);
          const E = EPS * (2 * uPrev[i] + (4 * L + 8) * move + 2 * u[i]);
          const s = ROUND_OFF_SAFETY;
          const bound =
            s * (L * integerPower(u[i], L - 1) * E + 2 * (L - 1) * EPS * integerPower(u[i], L)) + (s * E) ** L;
          const ratio = Math.abs(predicted[i] - x[i]) / bound;
          if (!(ratio <= worst)) {
            worst = ratio;
            worstAt = k;
          }
        }
        checked = k;
      }
      previous.set(x);
      uPrev.set(u);
    },
  });
  const scope = leftOrthant >= 0 ? `; u left the open orthant at step ${leftOrthant}, checked up to there` : '';
  const input = {
    measured: worst,
    bound: 1,
    errorModel:
      `per coordinate |R_x(−η grad f) − x_{k+1}| ≤ ${ROUND_OFF_SAFETY}(L|u'|^{L−1}E + 2(L−1)ε|u'|^L) + (${ROUND_OFF_SAFETY}E)^L, ` +
      `E = 2ε|u| + (4L+8)ε|ηu^{L−1}g| + 2ε|u'| (first-order round-off of both computations)`,
    detail:
      `L = ${L}, η = ${fmt(eta)}, γ = ${gamma}: worst |x̂ − x|/bound = ${fmt(worst)} (step ${worstAt}) over ${checked} ` +
      `steps${scope}`,
  };
  const identical = holdsWhen(spread === 0, {
    reason: 'identical factors receive the same floating-point updates',
    detail: `max_j ‖u_j(k) − u_1(k)‖_∞ over the run = ${fmt(spread)}`,
  });
  return worstOf([
    identical,
    checked > 0 ? compare(input) : inconclusive({ ...input, detail: `${input.detail}: no step in scope` }),
  ]);
}
