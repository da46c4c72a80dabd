/**
 * The JavaScript passes of single-entry SGD over whole rows (the twins of src/wasm/sgd.ts, which must give bitwise
 * the same results: the same operations per entry, in the same order, each rounded). W is a row-major matrix whose
 * shape the vectors give; `finite` results are true when every entry written is finite.
 */

/** v ← v − η(μv) on entries start..end−1; true when all written are finite. */
export function decayJs(eta: number, mu: number, v: Float64Array, start: number, end: number): boolean {
  if (decayKeepsFinite(eta, mu)) {
    for (let k = start; k < end; k++) {
      const u = v[k];
      v[k] = u - eta * (mu * u);
    }
    return true;
  }
  let finite = true;
  for (let k = start; k < end; k++) {
    const u = v[k];
    const nw = u - eta * (mu * u);
    v[k] = nw;
    if (nw - nw !== 0) finite = false;
  }
  return finite;
}

/** y ← y + Wᵀa from the old entries, row by row, while W ← W − η(a xᵀ + μW); true when all written are finite. */
export function fusedJs(
  eta: number,
  mu: number,
  D: Float64Array,
  al: Float64Array,
  x: Float64Array,
  y: Float64Array,
): boolean {
  const rows = al.length,
    cols = x.length;
  let finite = true;
  for (let r = 0; r < rows; r++) {
    const ar = al[r],
      off = r * cols;
    for (let c = 0; c < cols; c++) {
      const w = D[off + c];
      y[c] += w * ar;
      const nw = w - eta * (ar * x[c] + mu * w);
      D[off + c] = nw;
      if (nw - nw !== 0) finite = false;
    }
  }
  return finite;
}

/** y ← W x (each sum over the columns in column order). */
export function matVecJs(W: Float64Array, x: Float64Array, y: Float64Array): void {
  const rows = y.length,
    cols = x.length;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const off = r * cols;
    for (let c = 0; c < cols; c++) s += W[off + c] * x[c];
    y[r] = s;
  }
}

/**
 * Whether v − η(μv) is finite for every finite v: with μ ≤ 1 and ημ ≤ ½, μv and η(μv) are no larger than |v| in
 * magnitude and of v's sign, so the difference is no larger than |v| either (no overflow); then the decay-only
 * entries need no check.
 */
function decayKeepsFinite(eta: number, mu: number): boolean {
  return mu >= 0 && mu <= 1 && eta >= 0 && eta <= 1 && eta * mu <= 0.5;
}
