/**
 * Power laws on log–log data: a least-squares line through (log10 x, log10 y) and the longest run of consecutive
 * points that follows one power y ∝ x^q. Taylor-remainder and integrator-order tests both reduce to this.
 */

export interface LineFit {
  /** Fitted exponent q in y ≈ C·x^q. */
  readonly slope: number;
  /** log10 C. */
  readonly intercept: number;
  /** Largest |log10 y − fitted line| over the fitted points, in decades. */
  readonly maxResidual: number;
}

/** Least-squares line through (lx_i, ly_i), i ∈ [from, to], given the logs and their running sums. */
function fitLogs(lx: readonly number[], ly: readonly number[], from: number, to: number, sums?: Sums): LineFit {
  const s = sums ?? accumulate(lx, ly, from, to);
  const n = to - from + 1;
  const sxx = s.xx - (s.x * s.x) / n,
    sxy = s.xy - (s.x * s.y) / n;
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = (s.y - slope * s.x) / n;
  let maxResidual = 0;
  for (let i = from; i <= to; i++) maxResidual = Math.max(maxResidual, Math.abs(ly[i] - intercept - slope * lx[i]));
  return { slope, intercept, maxResidual };
}

interface Sums {
  x: number;
  y: number;
  xx: number;
  xy: number;
}

function accumulate(lx: readonly number[], ly: readonly number[], from: number, to: number): Sums {
  const s = { x: 0, y: 0, xx: 0, xy: 0 };
  for (let i = from; i <= to; i++) add(s, lx[i], ly[i]);
  return s;
}

function add(s: Sums, x: number, y: number): void {
  s.x += x;
  s.y += y;
  s.xx += x * x;
  s.xy += x * y;
}

/** Least-squares line through (log10 x_i, log10 y_i), i ∈ [from, to]; needs ≥ 2 points with positive x, y. */
export function fitLogLog(x: readonly number[], y: readonly number[], from = 0, to = x.length - 1): LineFit {
  return fitLogs(x.map(Math.log10), y.map(Math.log10), from, to);
}

export interface PowerWindow extends LineFit {
  /** First and last index of the window (inclusive). */
  readonly from: number;
  readonly to: number;
  /** log10(x_to / x_from): how many decades the power law holds over. */
  readonly span: number;
}

export interface WindowCriteria {
  /** The exponent looked for. */
  readonly target: number;
  /** Accept a fitted slope within target ± slack. */
  readonly slack: number;
  /** Reject a window whose points leave the fitted line by more than this many decades (a bend, a dip). */
  readonly maxResidual: number;
  /** At least this many points (default 3, so two points never make a "regime"). */
  readonly minPoints?: number;
  /** When given, every point of the window must have the same sign (a genuine power term does not change sign). */
  readonly signs?: readonly number[];
}

/**
 * The longest window of consecutive usable points (usable[i], y_i > 0) whose log–log fit has slope within
 * target ± slack and stays within maxResidual of its line; ties go to the slope closer to the target.
 * x must be increasing. Exhaustive over windows (O(n²) slopes from running sums, residuals only for candidates).
 */
export function longestPowerWindow(
  x: readonly number[],
  y: readonly number[],
  usable: readonly boolean[],
  criteria: WindowCriteria,
): PowerWindow | undefined {
  const minPoints = criteria.minPoints ?? 3;
  const n = x.length,
    signs = criteria.signs,
    target = criteria.target,
    slack = criteria.slack,
    maxRes = criteria.maxResidual;
  const lx = new Float64Array(n),
    ly = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lx[i] = Math.log10(x[i]);
    ly[i] = y[i] > 0 ? Math.log10(y[i]) : NaN;
  }
  // Whether point i may be in a window at all (sign condition aside).
  const okAt = (i: number): boolean => usable[i] && !Number.isNaN(ly[i]);
  let best: PowerWindow | undefined;
  let bestSpan = -Infinity,
    bestDev = Infinity;
  for (let from = 0; from < n; from++) {
    // Windows from `from` end at its last consecutive admissible point at the latest (where the scan below would
    // break); when even the largest span among them is below the best (by more than the tie tolerance), every one of
    // them would be skipped, so the exhaustive scan's result is unchanged by skipping them here.
    let end = from,
      reach = -Infinity;
    while (end < n && okAt(end) && (signs === undefined || signs[end] === signs[from]))
      reach = Math.max(reach, lx[end++]);
    end--;
    if (end - from + 1 < minPoints) continue;
    if (best !== undefined && reach - lx[from] < bestSpan - 1e-12) continue;
    let sx = 0,
      sy = 0,
      sxx = 0,
      sxy = 0;
    for (let to = from; to <= end; to++) {
      const X = lx[to],
        Y = ly[to];
      sx += X;
      sy += Y;
      sxx += X * X;
      sxy += X * Y;
      const m = to - from + 1;
      if (m < minPoints) continue;
      const span = lx[to] - lx[from];
      if (best !== undefined && span < bestSpan - 1e-12) continue;
      const cxx = sxx - (sx * sx) / m;
      const slope = cxx > 0 ? (sxy - (sx * sy) / m) / cxx : 0;
      const dev = Math.abs(slope - target);
      if (dev > slack) continue;
      const tie = best !== undefined && span <= bestSpan + 1e-12;
      if (tie && dev >= bestDev) continue;
      // fitLogs with these sums; stop at the first residual beyond the bound (the window is rejected either way).
      const intercept = (sy - slope * sx) / m;
      let maxResidual = 0;
      for (let i = from; i <= to && maxResidual <= maxRes; i++)
        maxResidual = Math.max(maxResidual, Math.abs(ly[i] - intercept - slope * lx[i]));
      if (maxResidual > maxRes) continue;
      best = { slope, intercept, maxResidual, from, to, span };
      bestSpan = span;
      bestDev = dev;
    }
  }
  return best;
}
