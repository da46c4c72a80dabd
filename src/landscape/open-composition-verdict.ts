import { compare, inconclusive, type Verdict } from '../check/verdict.js';
import { sci } from '../format.js';
import { frobeniusNorm } from '../linalg/frobenius.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply } from '../linalg/products.js';
import { Rng } from '../random/rng.js';
import type { CompositionInstance, KinkedCompositionInstance } from './instances.js';
import { compositionLoss, descendComposition, kinkedComposition, minimumOverRange } from './open-composition.js';
import { type OpennessCriterion, opennessCriterion } from './openness.js';

/** A local minimum counts as global when ℓ − min ℓ ≤ GLOBAL_GAP·(1 + ℓ(X_0Y_0)). */
export const GLOBAL_GAP = 1e-6;
const ESCAPES = 3;

type Criterion = (X: Matrix, Y: Matrix) => Pick<OpennessCriterion, 'open' | 'rule'>;

/**
 * The common decision of nr.open-composition and its FALSE variant at a local minimum (X, Y) of ℓ∘M: with
 * `requireOpen`, a point where the rank criterion says "not open" is outside the statement (inconclusive);
 * otherwise ℓ(XY) must equal the minimum of ℓ over the range.
 */
function localGlobalVerdict(input: {
  value: number;
  minimum: number;
  scale: number;
  criterion: Pick<OpennessCriterion, 'open' | 'rule'>;
  requireOpen: boolean;
  where: string;
  errorModel: string;
}): Verdict {
  const { value, minimum, scale, criterion, requireOpen, where } = input;
  const verdict = {
    measured: value - minimum,
    bound: GLOBAL_GAP * scale,
    errorModel: input.errorModel,
    detail:
      `${where}; ${criterion.rule} ⇒ ${criterion.open ? 'open' : 'not open'}; ℓ(XY) = ${sci(value)}, ` +
      `min over the range = ${sci(minimum)}`,
  };
  if (requireOpen && !criterion.open)
    return inconclusive({ ...verdict, detail: `${verdict.detail} (not locally open: outside the statement)` });
  return compare(verdict);
}

/**
 * nr.open-composition: descend on ℓ(XY) from (X_0, Y_0); at the endpoint certify local openness with the rank
 * criterion (openness.ts) and compare ℓ(XY) with min ℓ over the range. A large gap refutes only if the endpoint
 * is converged and no escape (re-descent from ±1e-3 perturbations) goes lower: else it is inconclusive.
 */
export function openCompositionVerdict(inst: CompositionInstance, criterion: Criterion = opennessCriterion): Verdict {
  const { T, X0, Y0 } = inst;
  const loss = compositionLoss(inst.loss, T);
  const d = descendComposition(loss, X0, Y0);
  const k = X0.cols;
  const shape = `${T.rows}×${k}·${k}×${T.cols}`;
  const where = `${inst.loss} loss, ${shape}, ${d.iterations} descent steps, ‖∇‖ = ${sci(d.gradientNorm)}`;
  const scale = 1 + d.initialValue;
  const verdict = localGlobalVerdict({
    value: d.value,
    minimum: minimumOverRange(inst.loss, T, k),
    scale,
    criterion: criterion(d.X, d.Y),
    requireOpen: true,
    where,
    errorModel:
      `ℓ − min ℓ ≤ ${GLOBAL_GAP}·(1 + ℓ(X_0Y_0)): descent stops at ‖∇(ℓ∘M)‖ ≤ 1e-10(1 + ‖∇_0‖), whose gap is far ` +
      'below; a spurious minimum is off by O(1)',
  });
  if (verdict.status !== 'fail') return verdict;
  if (!d.converged) return inconclusive({ ...verdict, detail: `${verdict.detail} (descent did not converge)` });
  const rng = new Rng(inst.seed);
  const size = 1e-3 * (1 + Math.hypot(frobeniusNorm(d.X), frobeniusNorm(d.Y)));
  for (let e = 0; e < ESCAPES; e++) {
    const jitter = (A: Matrix) =>
      new Matrix(
        A.rows,
        A.cols,
        A.data.map((v) => v + size * rng.gaussian()),
      );
    const again = descendComposition(loss, jitter(d.X), jitter(d.Y));
    if (again.value < d.value - GLOBAL_GAP * scale)
      return inconclusive({
        ...verdict,
        detail: `${verdict.detail} (an escape reached ${sci(again.value)}: no minimum)`,
      });
  }
  return verdict;
}

/**
 * The kinked instance (open-composition.ts): a certified local minimum of a convex ℓ∘M at which M is not locally
 * open. Its local minimality is exact; 64 random points within the certified radius are also probed.
 * `requireOpen` false is the FALSE variant (openness dropped); a wrong `criterion` is a teeth test.
 */
export function kinkedCompositionVerdict(
  inst: KinkedCompositionInstance,
  requireOpen: boolean,
  criterion: Criterion = opennessCriterion,
): Verdict {
  const c = kinkedComposition(inst);
  const value = c.loss(multiply(c.X, c.Y));
  const rng = new Rng(inst.seed);
  let lowest = Infinity;
  for (let t = 0; t < 64; t++) {
    // ‖X − X̄‖ below the certified radius (any Y qualifies; small ones are where ℓ(XY) is closest to ℓ(X̄Ȳ)).
    const dx = [rng.gaussian(), rng.gaussian()];
    const r = (0.9 * c.radius * rng.uniform()) / Math.hypot(dx[0], dx[1]);
    const X = new Matrix(
      2,
      1,
      c.X.data.map((v, i) => v + r * dx[i]),
    );
    const Y = Matrix.from([[c.radius * rng.gaussian(), c.radius * rng.gaussian()]]);
    lowest = Math.min(lowest, c.loss(multiply(X, Y)));
  }
  const where =
    `X̄ = aU[1; 1], Ȳ = 0, a = ${inst.a}, ℓ = ½‖W‖² − ${inst.p}W₁₁ + ${inst.q}|W₂₁| (W = UᵀZV), local minimum ` +
    `within ${sci(c.radius)} (lowest probe ${sci(lowest - value)} above ℓ(X̄Ȳ))`;
  const verdict = localGlobalVerdict({
    value,
    minimum: c.minimum,
    scale: 1 + Math.abs(c.minimum),
    criterion: criterion(c.X, c.Y),
    requireOpen,
    where,
    errorModel: `ℓ − min ℓ ≤ ${GLOBAL_GAP}·(1 + p²/2); ℓ(X̄Ȳ) = 0 and min ℓ = −p²/2 are exact up to round-off`,
  });
  if (lowest < value - 1e-12 * (1 + Math.abs(c.minimum)))
    return inconclusive({ ...verdict, detail: `${verdict.detail} (a probe went lower: not a local minimum)` });
  return verdict;
}
