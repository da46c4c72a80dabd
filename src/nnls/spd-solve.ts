/**
 * Solve H d = r for a small symmetric positive (semi)definite H (row-major, k×k) by Cholesky. When H is
 * singular to working precision (rank-deficient constraints), a relative diagonal shift μ = k·ε·tr(H)/k·10^j
 * (j = 0, 1, …) is added until the factorization succeeds — the minimal regularization that keeps a Newton
 * step defined; the shift used is returned so callers can report it.
 */
export function solveSpd(h: Float64Array, r: Float64Array, k: number): { d: Float64Array; shift: number } {
  let trace = 0;
  for (let i = 0; i < k; i++) trace += Math.abs(h[i * k + i]);
  const base = trace > 0 ? (trace / k) * k * Number.EPSILON : Number.MIN_VALUE;
  const l = new Float64Array(k * k);
  for (let attempt = 0; attempt < 40; attempt++) {
    const shift = attempt === 0 ? 0 : base * Math.pow(10, attempt - 1);
    if (cholesky(h, k, shift, l)) {
      const d = Float64Array.from(r);
      for (let i = 0; i < k; i++) {
        let s = d[i];
        for (let j = 0; j < i; j++) s -= l[i * k + j] * d[j];
        d[i] = s / l[i * k + i];
      }
      for (let i = k - 1; i >= 0; i--) {
        let s = d[i];
        for (let j = i + 1; j < k; j++) s -= l[j * k + i] * d[j];
        d[i] = s / l[i * k + i];
      }
      return { d, shift };
    }
  }
  return { d: new Float64Array(k).fill(NaN), shift: Infinity };
}

function cholesky(h: Float64Array, k: number, shift: number, l: Float64Array): boolean {
  l.fill(0);
  for (let j = 0; j < k; j++) {
    let s = h[j * k + j] + shift;
    for (let p = 0; p < j; p++) s -= l[j * k + p] ** 2;
    // Reject pivots that are round-off relative to the diagonal (a numerically singular H).
    if (!(s > 64 * Number.EPSILON * (Math.abs(h[j * k + j]) + shift)) || !Number.isFinite(s)) return false;
    const d = Math.sqrt(s);
    l[j * k + j] = d;
    for (let i = j + 1; i < k; i++) {
      let t = h[i * k + j];
      for (let p = 0; p < j; p++) t -= l[i * k + p] * l[j * k + p];
      l[i * k + j] = t / d;
    }
  }
  return true;
}
