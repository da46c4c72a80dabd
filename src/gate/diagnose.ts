import type { Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusInner } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply, transpose } from '../linalg/products.js';
import { fullSvd } from '../linalg/svd.js';
import type { Data } from '../model/loss.js';
import { declarationText, kappa, type LossConvention, SCALE_FORMULA, scaleKappa } from './conventions.js';
import { EPSILON, LOSS_SCALES, type LossScale, type WeightDecayForm } from './protocol.js';
import { compareBlocks, type Tolerance } from './tolerance.js';

/**
 * Diagnoses that name the defect. A failing answer is tested against explanations that make numeric predictions;
 * an explanation is named only when the received numbers fit its prediction within the same error model the check
 * uses (so it is never claimed on numbers it does not fit), and the hint quotes the measured evidence.
 */

/** received ≈ factor·(declared data term) + decay·(½Σ‖W_j‖² direction), fitted by least squares over all blocks. */
export interface FactorFit {
  readonly factor: number;
  /** The canonical decay coefficient the numbers show (gradient decay·W_j). */
  readonly decay: number;
}

const inner = (as: readonly Matrix[], bs: readonly Matrix[]): number =>
  as.reduce((s, a, j) => s + frobeniusInner(a, bs[j]), 0);

function combine(a: number, xs: readonly Matrix[], b: number, ys: readonly Matrix[] | undefined): Matrix[] {
  return xs.map((x, j) => {
    const out = new Matrix(x.rows, x.cols);
    for (let i = 0; i < out.data.length; i++) out.data[i] = a * x.data[i] + (ys ? b * ys[j].data[i] : 0);
    return out;
  });
}

/**
 * Fit received ≈ a·base + b·decay (b = 0 when `decay` is undefined) and keep the fit only if it holds block by block
 * within the tolerance the check used (`scales`): a constant factor is then the whole story.
 */
export function fitFactor(
  tol: Tolerance,
  base: readonly Matrix[],
  decay: readonly Matrix[] | undefined,
  received: readonly Matrix[],
  scales: readonly number[],
): FactorFit | undefined {
  const bb = inner(base, base),
    br = inner(base, received);
  if (!(bb > 0)) return undefined;
  let a = br / bb,
    b = 0;
  if (decay) {
    const bd = inner(base, decay),
      dd = inner(decay, decay),
      dr = inner(decay, received);
    const det = bb * dd - bd * bd;
    if (det > 1e-12 * bb * dd) {
      a = (br * dd - bd * dr) / det;
      b = (bb * dr - bd * br) / det;
    }
  }
  if (!(Number.isFinite(a) && Number.isFinite(b))) return undefined;
  const fitted = combine(a, base, b, decay);
  const names = received.map((_, j) => `block ${j + 1}`);
  return compareBlocks(tol, names, fitted, received, scales, '').verdict.status === 'pass'
    ? { factor: a, decay: b }
    : undefined;
}

/** The data term of a scale in words, with this instance's m and d_N. */
function scaleWords(scale: LossScale, m: number, dN: number): string {
  switch (scale) {
    case 'mean':
      return `(1/2m)‖WX − Y‖² with m = ${m}`;
    case 'mean_samples':
      return `the mean over the m = ${m} samples of the squared error, (1/m)‖WX − Y‖²`;
    case 'mean_entries':
      return `the mean over m·d_N = ${m * dN} entries, (1/(m·d_N))‖WX − Y‖² (nn.MSELoss())`;
    default:
      return SCALE_FORMULA[scale].replace('R', 'WX − Y');
  }
}

const short = (x: number): string => Number(x.toPrecision(6)).toString();

/**
 * Name the declaration a fitted factor corresponds to: "received = 0.500 × expected: your loss is the mean over
 * m·d_N = 6 entries …; declare loss_scale 'mean_entries'". undefined when the fit is the declared convention.
 */
export function explainFactor(
  tol: Tolerance,
  declared: LossConvention,
  form: WeightDecayForm,
  fit: FactorFit,
  data: Data,
  lambdaCanonical: number,
): string | undefined {
  const rel = Math.max(1e-9, 1e3 * tol.eps);
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y));
  const m = data.X.cols,
    dN = data.Y.rows;
  const parts: string[] = [];
  if (!close(fit.factor, 1)) {
    const k = fit.factor * kappa(declared, data);
    const exact = LOSS_SCALES.filter((s) => close(k, scaleKappa(s, m, dN)));
    const head = `received = ${fit.factor.toPrecision(4)} × expected`;
    if (exact.length > 0) {
      parts.push(
        `${head}: your loss is ${exact.map((s) => scaleWords(s, m, dN)).join(', or equally here, ')}; declare ${exact.map((s) => `loss_scale '${s}'`).join(' or ')}`,
      );
    } else {
      // Against the declared scale: another scale's factor would depend on m or d_N, so it would not be a constant.
      const factor = Number(short(k / scaleKappa(declared.scale, m, dN)));
      parts.push(
        `${head}: your loss is ${factor} × ${scaleWords(declared.scale, m, dN)}; declare ${declarationText({ scale: declared.scale, factor })}`,
      );
    }
  }
  if (lambdaCanonical > 0 && !close(fit.decay, lambdaCanonical)) {
    const sent = form === 'wj' ? lambdaCanonical / 2 : lambdaCanonical;
    const forms: [string, number][] = [
      ["weight_decay 'canonical' (gradient λW_j)", sent],
      ["weight_decay 'wj' (gradient 2λW_j)", 2 * sent],
      ["no weight decay: declare weight_decay 'none'", 0],
    ];
    const match = forms.find(([, b]) => (b === 0 ? Math.abs(fit.decay) <= rel * lambdaCanonical : close(fit.decay, b)));
    parts.push(`the decay term is ${short(fit.decay)}·W_j for λ = ${short(sent)} sent${match ? `: ${match[0]}` : ''}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Gradients with δ propagated through W_j instead of W_jᵀ wherever W_j is square (the transpose NumPy cannot catch). */
function missingTransposeGradients(weights: readonly Matrix[], data: Data, k: number, lambda: number): Matrix[] {
  const hs = [data.X];
  for (const w of weights) hs.push(multiply(w, hs[hs.length - 1]));
  let delta = hs[hs.length - 1].clone();
  for (let i = 0; i < delta.data.length; i++) delta.data[i] = k * (delta.data[i] - data.Y.data[i]);
  const grads: Matrix[] = new Array(weights.length);
  for (let j = weights.length - 1; j >= 0; j--) {
    const g = multiply(delta, hs[j], 'n', 't');
    for (let i = 0; i < g.data.length; i++) g.data[i] += lambda * weights[j].data[i];
    grads[j] = g;
    const w = weights[j];
    delta = multiply(w, delta, w.rows === w.cols ? 'n' : 't', 'n');
  }
  return grads;
}

/**
 * Structural defects of a backward pass that still type-check on square layers, as the gradients they would give:
 * δ propagated through W_j instead of W_jᵀ, or each square gradient returned transposed. A defect is named only
 * when the received gradients match its prediction within the check's tolerance. k = κ·factor, λ canonical.
 */
export function structuralHint(
  tol: Tolerance,
  weights: readonly Matrix[],
  data: Data,
  k: number,
  lambda: number,
  expected: readonly Matrix[],
  received: readonly Matrix[],
  scales: readonly number[],
): string | undefined {
  const square = weights.filter((w) => w.rows === w.cols && w.rows > 1).length;
  if (square === 0) return undefined;
  const variants: [string, Matrix[]][] = [
    [
      'δ is propagated through W_j instead of W_jᵀ on the square layers (a missing transpose)',
      missingTransposeGradients(weights, data, k, lambda),
    ],
    [
      "every square layer's gradient is returned transposed",
      expected.map((g) => (g.rows === g.cols ? transpose(g) : g)),
    ],
  ];
  const names = received.map((_, j) => `block ${j + 1}`);
  const hit = variants.find(([, g]) => compareBlocks(tol, names, g, received, scales, '').verdict.status === 'pass');
  return hit ? `the received gradients are exactly what this defect gives: ${hit[0]}` : undefined;
}

/**
 * A_W(Z) = U·[C ∘ (UᵀZV)]·Vᵀ from the full SVD, C_ab = Σ_j a_a^{(N−j)/N + shift} b_b^{(j−1)/N + shift'} over the
 * eigenvalues a of WWᵀ (σ², padded with zeros) and b of WᵀW, with 0^0 = `zeroPowerZero` — the variants wrong operators
 * compute. `shift` moves both exponents by one step of 1/N (off-by-one sums); rank: singular values kept.
 */
function operatorVariant(
  w: Matrix,
  z: Matrix,
  depth: number,
  rank: number,
  options: { zeroPowerZero: number; shiftLeft: number; shiftRight: number },
): Matrix {
  const { U, s, V } = fullSvd(w);
  const sq = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => (i < rank ? s[i] * s[i] : 0));
  const a = sq(w.rows),
    b = sq(w.cols);
  const power = (x: number, p: number): number =>
    p === 0 ? (x === 0 ? options.zeroPowerZero : 1) : x === 0 ? 0 : Math.pow(x, p);
  const inner = multiply(multiply(U, z, 't', 'n'), V);
  for (let i = 0; i < w.rows; i++) {
    for (let k = 0; k < w.cols; k++) {
      let c = 0;
      for (let j = 1; j <= depth; j++)
        c += power(a[i], (depth - j + options.shiftLeft) / depth) * power(b[k], (j - 1 + options.shiftRight) / depth);
      inner.data[i * w.cols + k] *= c;
    }
  }
  return multiply(multiply(U, inner), V, 'n', 't');
}

/** The operator defect the received A_W(Z) matches, by recomputing it with that defect; undefined when none fits. */
export function operatorHint(
  tol: Tolerance,
  w: Matrix,
  z: Matrix,
  depth: number,
  rank: number,
  received: Matrix,
  scale: number,
): string | undefined {
  const nullSpace = w.rows !== w.cols || rank < Math.min(w.rows, w.cols);
  const variants: [string, { zeroPowerZero: number; shiftLeft: number; shiftRight: number }][] = [
    [
      'an exponent off by one step: (WᵀW)^{j/N} instead of (WᵀW)^{(j−1)/N}',
      { zeroPowerZero: 1, shiftLeft: 0, shiftRight: 1 },
    ],
    [
      'an exponent off by one step: (WWᵀ)^{(N−j+1)/N} instead of (WWᵀ)^{(N−j)/N}',
      { zeroPowerZero: 1, shiftLeft: 1, shiftRight: 0 },
    ],
  ];
  if (nullSpace) {
    const dims = `WWᵀ is ${w.rows}×${w.rows} and WᵀW is ${w.cols}×${w.cols} with rank ${rank}`;
    variants.unshift([
      `0^0 = 0 on the null space (${dims}): the power 0 of a PSD matrix must be the identity there, not the projector onto its range`,
      { zeroPowerZero: 0, shiftLeft: 0, shiftRight: 0 },
    ]);
  }
  const hit = variants.find(
    ([, o]) =>
      compareBlocks(tol, ['A_W(Z)'], [operatorVariant(w, z, depth, rank, o)], [received], [scale], '').verdict
        .status === 'pass',
  );
  return hit ? `the received A_W(Z) is exactly what this defect gives: ${hit[0]}` : undefined;
}

/**
 * Precision: a float64 declaration whose failure is of the size of float32 rounding — within the bound the same
 * comparison has in float32, and between ε_float32/16 and 1e3·ε_float32 relative — is named as such, with the evidence. The
 * same for a rank rise whose σ_{r+1}/σ_1 stays below the float32 rank threshold (round-off, not a new direction).
 * An error of exactly that size from another cause is indistinguishable by size; the hint says what it measured.
 */
export function precisionHint(tol: Tolerance, v: Verdict): string | undefined {
  if (tol.dtype !== 'float64' || v.status !== 'fail' || v.comparison !== '<=' || !v.errorModel.includes('ε_float64'))
    return undefined;
  const within32 = (v.measured / v.bound) * (EPSILON.float64 / EPSILON.float32);
  const rank = v.errorModel.startsWith('rank_τ');
  const rel = rank ? v.measured : v.data?.relativeError;
  // A rank rise has no lower limit: float32 noise in a step of size η‖G‖ ≪ ‖W‖ is ε_float32·η‖G‖/‖W‖ relative.
  if (
    !(within32 <= 1) ||
    typeof rel !== 'number' ||
    (!rank && (rel < EPSILON.float32 / 16 || rel > 1e3 * EPSILON.float32))
  )
    return undefined;
  const size =
    `${rank ? 'σ_{r+1}/σ_1' : 'relative error'} ${rel.toExponential(1)} ≈ float32 rounding (ε_float32 = ${sci(EPSILON.float32)}; ` +
    `${within32.toExponential(1)} of the bound this comparison has in float32)`;
  const why =
    v.data?.float32Exact === true
      ? 'every received number is exactly a float32 value (float32 on the wire, or a float32 result cast to float64?)'
      : 'a float32 step inside (a float32 backward pass, float32 copies of lr, λ or the data?)';
  return `${size}, not float64 as declared: ${why}`;
}

/** How a hyperparameter sent as `sent` became `used`: rounded to float32, or to k significant decimal digits. */
function roundingOf(sent: number, used: number): string | undefined {
  const near = (candidate: number): boolean =>
    candidate !== sent && Math.abs(used - candidate) <= 0.01 * Math.abs(sent - candidate);
  if (near(Math.fround(sent))) return `rounded to float32 (${Math.fround(sent)})`;
  for (let k = 1; k <= 15; k++)
    if (near(Number(sent.toPrecision(k)))) return `rounded to ${k} significant digits (${sent.toPrecision(k)})`;
  return undefined;
}

/**
 * A step whose own gradient is (1 + δ)·dlnv's with a tiny δ: the implementation used another lr (or λ) than it was
 * sent. Named when the lr (λ) its numbers imply is the sent one rounded to float32 or to k decimal digits.
 */
export function hyperparameterHint(fit: FactorFit, lr: number, lambdaCanonical: number): string | undefined {
  if (!(Math.abs(fit.factor - 1) < 1e-3)) return undefined;
  const found: string[] = [];
  const lrRounding = roundingOf(lr, fit.factor * lr);
  if (lrRounding) found.push(`lr = ${lr} was ${lrRounding}: your step is ${fit.factor} × dlnv's`);
  const used = lambdaCanonical > 0 ? roundingOf(lambdaCanonical, fit.decay / fit.factor) : undefined;
  if (used) found.push(`λ = ${lambdaCanonical} was ${used}`);
  return found.length > 0
    ? `the implementation loses digits of the hyperparameters it receives: ${found.join('; ')}`
    : undefined;
}
