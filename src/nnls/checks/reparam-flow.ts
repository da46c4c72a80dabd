import { checkTaylor } from '../../check/taylor.js';
import type { Verdict } from '../../check/verdict.js';
import { rk4Vector } from '../../dynamics/vector-ode.js';
import { Matrix } from '../../linalg/matrix.js';
import type { ReparamFlowInstance } from '../instances.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from '../problem.js';
import { hadamardPowerInto, inducedVelocityInto } from '../reparam.js';
import { uFlowField } from '../reparam-flow.js';
import { dot, norm1, norm2 } from '../vector.js';
/**
 * Taylor-remainder test (THEORY §7) of t ↦ ⟨c, x(t)⟩, x(t) = u(t)^{⊙L} with u(t) the gradient flow of
 * g(u) = f(u^{⊙L}) from u0 (RK4, 8 steps over [0, t]: local error O(t⁵), below the t² term the test fits), against
 * the claimed derivative ⟨c, −L² x^{⊙p} ⊙ ∇f(x)⟩ at t = 0 with p = 2 − 2/L (or a deliberately wrong exponent).
 */
export function checkReparamFlow(inst: ReparamFlowInstance, exponent = 2 - 2 / inst.L): Verdict {
  const problem = leastSquaresProblem(inst.A, inst.b);
  const n = inst.A.cols,
    L = inst.L;
  const x0 = hadamardPowerInto(new Float64Array(n), inst.u0, L);
  const ws = new LeastSquaresWorkspace(problem);
  ws.evaluate(x0);
  const v = inducedVelocityInto(new Float64Array(n), x0, ws.gradient, L, exponent);
  const field = uFlowField(problem, L);
  const xt = new Float64Array(n);
  const along = (t: number): number => {
    if (t === 0) return dot(inst.c, x0);
    const u = rk4Vector(field, 0, inst.u0, t, 8).y;
    return dot(inst.c, hadamardPowerInto(xt, u, L));
  };
  const speed = norm2(v);
  // t = unit moves x by about ‖x(0)‖: the scale on which the flow bends.
  const unit = speed > 0 ? Math.max(norm2(x0), 1e-3) / speed : 1;
  const one = (value: number): Matrix[] => [new Matrix(1, 1, Float64Array.of(value))];
  const verdict = checkTaylor(
    (p) => along(p[0].data[0]),
    one(0),
    one(1),
    { derivative: dot(inst.c, v) },
    { unit, scale: norm1(inst.c) * norm2(x0) },
  );
  return {
    ...verdict,
    detail: `d/dt ⟨c, u(t)^L⟩ at t = 0 vs ⟨c, −L²x^{${exponent.toFixed(3)}}⊙∇f(x)⟩ (L = ${L}): ${verdict.detail}`,
  };
}
