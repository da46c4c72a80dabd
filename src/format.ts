/**
 * Numbers as a reader expects them, one convention for every verdict, proof and report: `sig` rounds to
 * significant digits and switches to powers of ten only where fixed notation would hide the digits; `sci` is the
 * exponent form checks use for measured values and bounds. It sits below every layer so that checks, proofs and
 * reports all import it downwards.
 */

/** The smallest normal float64: below it (and above 0) a number is subnormal, i.e. round-off of zero. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * x to `digits` significant digits: 0.7003, 12.5, 1.95e+10, 3.1e-16; "∞" for infinities; "NaN"; a subnormal
 * number (a bound scaled from an all-zero quantity) says that it is 0 up to round-off.
 */
export function sig(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  if (Math.abs(x) < MIN_NORMAL) return `0 (subnormal ${x.toExponential(1)}: zero up to round-off)`;
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${String(Number(mantissa))}e${exponent}`;
}

/** Reads a number back from a report, where non-finite numbers travel as strings. */
export const numeric = (x: number | string | null | undefined): number =>
  x === null || x === undefined ? NaN : Number(x);

/** "1 claim", "2 claims"; `plural` for irregular nouns ("1 search", "2 searches"). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}

/** A relative margin with its sign: "+0.95", "−0.01", "−1.95e+10". */
export function signedMargin(m: number): string {
  return Number.isNaN(m) ? 'NaN' : m > 0 ? `+${sig(m, 3)}` : m < 0 ? `−${sig(-m, 3)}` : '0';
}

/** The one margin convention of every report, for legends and help texts. */
export const MARGIN_CONVENTION =
  'margin = (bound − measured)/|bound| for a ≤ check, (measured − bound)/|bound| for ≥ (|bound| = 0 counts as 1): positive when the check held, the relative headroom';

/** x with three significant digits in exponent form (1.23e-4), as checks print measured values and bounds. */
export const sci = (x: number): string => x.toExponential(2);
