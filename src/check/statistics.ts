import { DomainError } from '../errors.js';
import { compare, EPS, type Verdict } from './verdict.js';

/**
 * Confidence intervals for a frequency k/n and a verdict for probabilistic claims (THEORY §7: report frequencies
 * with confidence intervals, never assert a rare event in a fixed budget). Special functions are implemented here
 * (Lanczos log-gamma, continued fractions for the incomplete beta and gamma functions, quantiles by bisection) so
 * no statistics dependency is needed; accuracy is ~1e-14 relative, far below what a frequency needs.
 */

export interface Interval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
  readonly method: 'clopper-pearson' | 'wilson';
}

const TINY = 1e-300;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7; reflection below 0.5). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Modified Lentz evaluation of a continued fraction b0 + a1/(b1 + a2/(b2 + …)) given term(m) → [a_m, b_m]. */
function lentz(b0: number, term: (m: number) => [number, number], what: string): number {
  let f = b0 === 0 ? TINY : b0,
    c = f,
    d = 0;
  for (let m = 1; m <= 100000; m++) {
    const [a, b] = term(m);
    d = b + a * d;
    d = Math.abs(d) < TINY ? TINY : d;
    c = b + a / c;
    c = Math.abs(c) < TINY ? TINY : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) return f;
  }
  throw new DomainError(what, 'continued fraction did not converge');
}

/** The regularized incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b), for a, b > 0, 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new DomainError('regularizedBeta', `needs a, b > 0, received a = ${a}, b = ${b}`);
  if (!(x >= 0 && x <= 1)) throw new DomainError('regularizedBeta.x', `must be in [0, 1], received ${x}`);
  if (x === 0 || x === 1) return x;
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x)) / a;
  // Lentz form of the standard continued fraction (Numerical Recipes betacf): 1/(1 + d1/(1 + d2/(1 + …))).
  const cf = lentz(
    1,
    (m) => {
      const k = m >> 1;
      const d =
        m % 2 === 0
          ? (k * (b - k) * x) / ((a + 2 * k - 1) * (a + 2 * k))
          : (-(a + k) * (a + b + k) * x) / ((a + 2 * k) * (a + 2 * k + 1));
      return [d, 1];
    },
    'regularizedBeta',
  );
  return front / cf;
}

/** The p-quantile of Beta(a, b): the x with I_x(a, b) = p, by bisection to full precision (relative, so tiny quantiles keep their digits). */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new DomainError('betaQuantile.p', `must be in [0, 1], received ${p}`);
  return bisect((x) => regularizedBeta(x, a, b), p, 0, 1);
}

/** The x in [lo, hi] with F(x) = p for a non-decreasing F, to the last representable digit. */
function bisect(F: (x: number) => number, p: number, lo: number, hi: number): number {
  for (let i = 0; i < 2200; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (F(mid) < p) lo = mid;
    else hi = mid;
  }
  return F(lo) >= p ? lo : hi;
}

/** The regularized upper incomplete gamma function Q(a, x) (series for x < a + 1, continued fraction otherwise). */
function regularizedGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const prefactor = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let sum = 1 / a,
      term = sum;
    for (let n = 1; n < 100000 && Math.abs(term) > Math.abs(sum) * EPS; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - prefactor * sum;
  }
  // Q = prefactor / (x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …))).
  return prefactor / lentz(x + 1 - a, (m) => [-m * (m - a), x + 2 * m + 1 - a], 'regularizedGammaQ');
}

/** Φ(z), the standard normal distribution function: ½·erfc(−z/√2) with erfc(y) = Q(½, y²) for y ≥ 0. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const q = 0.5 * regularizedGammaQ(0.5, (z * z) / 2);
  return z < 0 ? q : 1 - q;
}

/** Φ⁻¹(p) by bisection; the lower tail is solved directly so small p keep their relative accuracy. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new DomainError('normalQuantile.p', `must be in (0, 1), received ${p}`);
  if (p > 0.5) return -normalQuantile(1 - p);
  return bisect(normalCdf, p, -40, 0);
}

function checkCounts(successes: number, trials: number, confidence: number): void {
  if (!Number.isInteger(trials) || trials < 1)
    throw new DomainError('trials', `must be an integer ≥ 1, received ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials)
    throw new DomainError('successes', `must be an integer in [0, ${trials}], received ${successes}`);
  if (!(confidence > 0 && confidence < 1))
    throw new DomainError('confidence', `must be in (0, 1), received ${confidence}`);
}

/**
 * Clopper–Pearson ("exact") interval: the set of p for which k is not in either α/2 tail of Binomial(n, p).
 * lower = Beta⁻¹(α/2; k, n−k+1), upper = Beta⁻¹(1−α/2; k+1, n−k). Coverage ≥ confidence for every p (conservative).
 */
export function clopperPearson(successes: number, trials: number, confidence = 0.95): Interval {
  checkCounts(successes, trials, confidence);
  const alpha = 1 - confidence,
    k = successes,
    n = trials;
  return {
    estimate: k / n,
    lower: k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1),
    upper: k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k),
    confidence,
    method: 'clopper-pearson',
  };
}

/** Wilson score interval: inverts the normal score test; shorter than Clopper–Pearson, coverage ≈ confidence on average. */
export function wilson(successes: number, trials: number, confidence = 0.95): Interval {
  checkCounts(successes, trials, confidence);
  const n = trials,
    phat = successes / n,
    z = normalQuantile(1 - (1 - confidence) / 2),
    z2 = z * z;
  const center = (phat + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((phat * (1 - phat)) / n + z2 / (4 * n * n));
  return {
    estimate: phat,
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === n ? 1 : Math.min(1, center + half),
    confidence,
    method: 'wilson',
  };
}

export interface ProbabilityClaim {
  /** The claim "P(event) ≥ atLeast" or "P(event) ≤ atMost" (exactly one). */
  readonly atLeast?: number;
  readonly atMost?: number;
  /** Default 0.95. */
  readonly confidence?: number;
  readonly label?: string;
}

/**
 * A frequency against a claimed probability bound, with the Clopper–Pearson interval:
 * - "P ≥ p0": pass when lower ≥ p0 (the data support it), fail when upper < p0 (the data refute it at the
 *   confidence level), inconclusive when the interval contains p0 (the budget cannot decide; say so, never guess).
 * - "P ≤ p0" mirrors it. measured = the interval end that decides a pass (lower for ≥, upper for ≤); bound = p0.
 */
export function checkProbability(successes: number, trials: number, claim: ProbabilityClaim): Verdict {
  const confidence = claim.confidence ?? 0.95;
  const atLeast = claim.atLeast !== undefined;
  if (atLeast === (claim.atMost !== undefined))
    throw new DomainError('claim', 'give exactly one of atLeast and atMost');
  const p0 = (atLeast ? claim.atLeast : claim.atMost) as number;
  if (!(p0 >= 0 && p0 <= 1))
    throw new DomainError(atLeast ? 'claim.atLeast' : 'claim.atMost', `must be in [0, 1], received ${p0}`);
  const ci = clopperPearson(successes, trials, confidence);
  const label = claim.label ?? 'event';
  const v = compare({
    measured: atLeast ? ci.lower : ci.upper,
    bound: p0,
    comparison: atLeast ? '>=' : '<=',
    errorModel: `Clopper–Pearson ${100 * confidence}% interval [${ci.lower.toPrecision(4)}, ${ci.upper.toPrecision(4)}] for ${successes}/${trials}`,
    detail: `P(${label}) ${atLeast ? '≥' : '≤'} ${p0} claimed; observed ${successes}/${trials} = ${ci.estimate.toPrecision(4)}`,
    data: { ...ci, successes, trials },
  });
  const refuted = atLeast ? ci.upper < p0 : ci.lower > p0;
  if (v.status === 'pass' || refuted) return v;
  return {
    ...v,
    status: 'inconclusive',
    detail: `${v.detail}: the interval contains ${p0}, so ${trials} trials cannot decide`,
  };
}
