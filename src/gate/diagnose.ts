import { Matrix } from '../linalg/matrix.js';
import { frobeniusInner } from '../linalg/frobenius.js';
import { multiply, transpose } from '../linalg/products.js';
import type { Data } from '../model/loss.js';
import { SCALE_FORMULA, declarationText, kappa, scaleKappa, type LossConvention } from './conventions.js';
import { LOSS_SCALES, type LossScale, type WeightDecayForm } from './protocol.js';
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

const inner = (as: readonly Matrix[], bs: readonly Matrix[]): number => as.reduce((s, a, j) => s + frobeniusInner(a, bs[j]), 0);

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
  tol: Tolerance, base: readonly Matrix[], decay: readonly Matrix[] | undefined, received: readonly Matrix[], scales: readonly number[],
): FactorFit | undefined {
  const bb = inner(base, base), br = inner(base, received);
  if (!(bb > 0)) return undefined;
  let a = br / bb, b = 0;
  if (decay) {
    const bd = inner(base, decay), dd = inner(decay, decay), dr = inner(decay, received);
    const det = bb * dd - bd * bd;
    if (det > 1e-12 * bb * dd) {
      a = (br * dd - bd * dr) / det;
      b = (bb * dr - bd * br) / det;
    }
  }
  if (!(Number.isFinite(a) && Number.isFinite(b))) return undefined;
  const fitted = combine(a, base, b, decay);
  const names = received.map((_, j) => `block ${j + 1}`);
  return compareBlocks(tol, names, fitted, received, scales, '').verdict.status === 'pass' ? { factor: a, decay: b } : undefined;
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
  tol: Tolerance, declared: LossConvention, form: WeightDecayForm, fit: FactorFit, data: Data, lambdaCanonical: number,
): string | undefined {
  const rel = Math.max(1e-9, 1e3 * tol.eps);
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y));
  const m = data.X.cols, dN = data.Y.rows;
  const parts: string[] = [];
  if (!close(fit.factor, 1)) {
    const k = fit.factor * kappa(declared, data);
    const exact = LOSS_SCALES.filter((s) => close(k, scaleKappa(s, m, dN)));
    const head = `received = ${fit.factor.toPrecision(4)} × expected`;
    if (exact.length > 0) {
      parts.push(`${head}: your loss is ${exact.map((s) => scaleWords(s, m, dN)).join(', or equally here, ')}; declare ${exact.map((s) => `loss_scale '${s}'`).join(' or ')}`);
    } else {
      // Against the declared scale: another scale's factor would depend on m or d_N, so it would not be a constant.
      const factor = Number(short(k / scaleKappa(declared.scale, m, dN)));
      parts.push(`${head}: your loss is ${factor} × ${scaleWords(declared.scale, m, dN)}; declare ${declarationText({ scale: declared.scale, factor })}`);
    }
  }
  if (lambdaCanonical > 0 && !close(fit.decay, lambdaCanonical)) {
    const sent = form === 'wj' ? lambdaCanonical / 2 : lambdaCanonical;
    const forms: [string, number][] = [["weight_decay 'canonical' (gradient λW_j)", sent], ["weight_decay 'wj' (gradient 2λW_j)", 2 * sent], ["no weight decay: declare weight_decay 'none'", 0]];
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
  tol: Tolerance, weights: readonly Matrix[], data: Data, k: number, lambda: number, expected: readonly Matrix[], received: readonly Matrix[], scales: readonly number[],
): string | undefined {
  const square = weights.filter((w) => w.rows === w.cols && w.rows > 1).length;
  if (square === 0) return undefined;
  const variants: [string, Matrix[]][] = [
    ['δ is propagated through W_j instead of W_jᵀ on the square layers (a missing transpose)', missingTransposeGradients(weights, data, k, lambda)],
    ["every square layer's gradient is returned transposed", expected.map((g) => (g.rows === g.cols ? transpose(g) : g))],
  ];
  const names = received.map((_, j) => `block ${j + 1}`);
  const hit = variants.find(([, g]) => compareBlocks(tol, names, g, received, scales, '').verdict.status === 'pass');
  return hit ? `the received gradients are exactly what this defect gives: ${hit[0]}` : undefined;
}
