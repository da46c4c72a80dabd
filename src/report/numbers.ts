/**
 * Numbers as a reader expects them, one convention for every report: `sig` rounds to significant digits and
 * switches to powers of ten only where fixed notation would hide the digits.
 */

/** x to `digits` significant digits: 0.7003, 12.5, 1.95e+10, 3.1e-16; "∞" for infinities; "NaN". */
export function sig(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${String(Number(mantissa))}e${exponent}`;
}

/** Reads a number back from a report, where non-finite numbers travel as strings. */
export const numeric = (x: number | string | null | undefined): number => (x === null || x === undefined ? NaN : Number(x));

/** "1 claim", "2 claims"; `plural` for irregular nouns ("1 search", "2 searches"). */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
