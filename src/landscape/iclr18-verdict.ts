import { compare, holdsWhen, type Verdict, worstOf } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { layerGradients } from '../model/gradients.js';
import { loss } from '../model/loss.js';
import { classifyPoint } from './classify.js';
import { hessianSpectrum } from './hessian.js';
import type { Iclr18Moves } from './instances.js';
import { type Iclr18Instance, iclr18Example } from './nr-models.js';
import { gradientTolerance, lossTolerance } from './tolerances.js';

/** The ICLR-2018 example moved by the given symmetries. */
export function movedIclr18(moves: Iclr18Moves): Iclr18Instance {
  const [a, b, c] = moves.angles,
    [ra, rb, rc] = moves.reflections;
  return iclr18Example({
    Oin: orthogonal2(a, ra),
    Oout: orthogonal2(b, rb),
    Os: orthogonal2(c, rc),
    c: moves.c,
    scale: moves.scale,
  });
}

/**
 * nr.iclr18-example: critical (‖∇L‖ ≤ τ_g), PSD Hessian (λ_min ≥ −τ_H), the loss along the quartic curve equals
 * κ·½(1 − t⁴ + 2t⁶ + t⁸), and the classifier calls it a non-strict saddle with descent of order 4.
 */
export function iclr18Verdict(moves: Iclr18Moves): Verdict {
  const ex = movedIclr18(moves);
  const { weights, data, scale } = ex;
  const g = Math.hypot(...layerGradients(weights, data, { scale }).map((m) => frobeniusNorm(m)));
  const spec = hessianSpectrum(weights, data, scale);
  let curveErr = 0,
    curveTol = 0;
  for (const t of [0.1, 0.3, 0.5, 0.7]) {
    const wt = ex.curve(t);
    curveErr = Math.max(curveErr, Math.abs(loss(wt, data, { scale }) - ex.curveLoss(t)));
    curveTol = Math.max(curveTol, lossTolerance(wt, data, scale));
  }
  const c = classifyPoint(weights, data, { scale, seed: moves.seed });
  return worstOf([
    compare({
      measured: g,
      bound: Math.max(gradientTolerance(weights, data, scale), Number.MIN_VALUE),
      errorModel: 'τ_g',
      detail: `‖∇L‖ at the example`,
    }),
    compare({
      measured: -spec.lambdaMin,
      bound: spec.tolerance,
      errorModel: `τ_H = ${sci(spec.tolerance)}`,
      detail: `Hessian PSD: λ_min = ${sci(spec.lambdaMin)} (eigenvalues: ${spec.positive} positive, ${spec.zero} zero)`,
    }),
    compare({
      measured: curveErr,
      bound: curveTol,
      errorModel: 'τ_L',
      detail: 'L along the curve = κ·½(1 − t⁴ + 2t⁶ + t⁸) at t = 0.1, 0.3, 0.5, 0.7',
    }),
    holdsWhen(c.class === 'non-strict-saddle' && !!c.probe?.found && c.probe.order === 4, {
      reason: 'classified a non-strict saddle with descent of order 4',
      detail: `classifier: ${c.class}; probe: ${c.probe?.detail ?? 'none'}`,
    }),
  ]);
}

/** "Critical + PSD Hessian ⇒ local minimum" at the example: L(curve(0.3)) − L(0) must be ≥ −τ_L. */
export function secondOrderTestVerdict(moves: Iclr18Moves): Verdict {
  const ex = movedIclr18(moves);
  const l0 = loss(ex.weights, ex.data, { scale: ex.scale });
  const lt = loss(ex.curve(0.3), ex.data, { scale: ex.scale });
  return compare({
    measured: lt - l0,
    bound: -lossTolerance(ex.weights, ex.data, ex.scale),
    comparison: '>=',
    errorModel: 'τ_L',
    detail: `L(curve(0.3)) − L(0) = ${sci(lt - l0)} must be ≥ 0 for a local minimum`,
  });
}

/** The 2×2 rotation by `angle`, followed by a reflection of its second column when `reflect`. */
function orthogonal2(angle: number, reflect: boolean): Matrix {
  const s = reflect ? -1 : 1;
  return Matrix.from([
    [Math.cos(angle), -s * Math.sin(angle)],
    [Math.sin(angle), s * Math.cos(angle)],
  ]);
}
