/**
 * nnls.reparam-flow [D] (THEORY §5): the gradient flow of u ↦ f(u^{⊙L}) induces ẋ = −L² x^{⊙(2−2/L)} ⊙ ∇f(x) on
 * x = u^{⊙L} (u > 0).
 *
 * Symbolic (scalar calculus per coordinate — the reparametrization is a Hadamard power, so coordinate i only sees
 * u_i, and commutative scalar calculus is exact here): with g_i := ∂f/∂x_i,
 *   (1) mathjs differentiates x = u^L: dx/du = L·u^{L−1} (symbolic L);
 *   (2) chain rule: ∂/∂u_i f(u^{⊙L}) = g_i·dx_i/du_i, so u̇ = −L u^{L−1} g and ẋ = (dx/du)·u̇; mathjs reduces
 *       ẋ + L²u^{2L−2}g to 0 for symbolic L, and for L = 1..6 both mathjs and dlnv's exact polynomial arithmetic
 *       reduce the expanded identity to 0;
 *   (3) back to x: (u^{2L−2})^L = (u^L)^{2L−2} (a polynomial identity, L = 1..6), and both u^{2L−2} and
 *       x^{(2L−2)/L} are positive for u > 0, so u^{2L−2} = x^{(2L−2)/L}; mathjs reduces (2L−2)/L − (2 − 2/L) to 0.
 * Numeric: on a seeded instance, the Taylor-remainder test of t ↦ ⟨c, u(t)^{⊙L}⟩ (u by RK4) against the claimed
 * velocity (slope 2), and a central difference in time with its Richardson error estimate, for L = 2 and L = 3.
 */
import { derivative, simplify } from 'mathjs';
import { compare, type Verdict } from '../src/check/verdict.js';
import { rk4Vector } from '../src/dynamics/vector-ode.js';
import { sci } from '../src/format.js';
import { checkReparamFlow } from '../src/nnls/checks/reparam-flow.js';
import { LeastSquaresWorkspace, leastSquaresProblem } from '../src/nnls/problem.js';
import { hadamardPowerInto, inducedVelocityInto } from '../src/nnls/reparam.js';
import { uFlowField } from '../src/nnls/reparam-flow.js';
import { distance, norm2 } from '../src/nnls/vector.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';
import { Rng } from '../src/random/rng.js';
import { polyFromMathjs } from '../src/symbolic/polynomial-identity.js';
import { Derivation, defineProof, dm, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';

const DEPTHS = [1, 2, 3, 4, 5, 6];

export const nnlsReparamFlow: Proof = defineProof({
  id: 'nnls.reparam-flow',
  statement:
    'If u̇ = −∇_u f(u^{⊙L}) with u > 0, then x = u^{⊙L} solves ẋ = −L² x^{⊙(2−2/L)} ⊙ ∇f(x) (L = 2: ẋ = −4x ⊙ ∇f(x))',
  provenance: 'D',
  source: 'chain rule; the reparametrized flow of CMV (arXiv 2207.08437) — THEORY §5 nnls.reparam-flow',
  symbolic() {
    const d = new Derivation();
    const failures: string[] = [];
    const dxdu = derivative('u^L', 'u').toString();
    const dxduOk = simplify(`(${dxdu}) - L*u^(L-1)`).toString() === '0';
    if (!dxduOk) failures.push(`mathjs gave dx/du = ${dxdu}`);
    d.step(
      'Derivative of the reparametrization',
      `mathjs: ${md(`d(u^L)/du = ${dxdu}`)} (symbolic L)`,
      dm(`\\frac{d}{du}u^{L} = L\\,u^{L-1}`),
    );
    const velocity = `(${dxdu})*(-(${dxdu})*g)`;
    const general = simplify(`${velocity} + L^2*u^(2*L-2)*g`).toString();
    if (general !== '0') failures.push(`general L: ẋ + L²u^{2L−2}g simplified to ${general}`);
    d.step(
      'Chain rule',
      `per coordinate, ${md('∂/∂u f(u^L) = g·dx/du')} with ${md('g = ∂f/∂x')}, so ${md('u̇ = −L u^{L−1} g')} and ${md('ẋ = (dx/du)·u̇')}; mathjs reduces ${md(`${velocity} + L^2*u^(2L-2)*g`)} to ${md(general)}`,
      dm(`\\dot x = L u^{L-1}\\dot u = -L^{2}u^{2L-2}\\,g`),
    );
    const perDepth: string[] = [];
    for (const L of DEPTHS) {
      const dL = derivative(`u^${L}`, 'u').toString();
      const chain = twoRoutes(`(${dL})*(-(${dL})*g)`, `-${L * L}*u^${2 * L - 2}*g`);
      const power = twoRoutes(`(u^${2 * L - 2})^${L}`, `(u^${L})^${2 * L - 2}`);
      if (!chain.holds) failures.push(`L = ${L}: chain rule left ${chain.mathjs} / ${chain.expanded}`);
      if (!power.holds) failures.push(`L = ${L}: power identity left ${power.mathjs} / ${power.expanded}`);
      perDepth.push(`L = ${L}: ${md(`(${dL})·(−(${dL})g) = −${L * L}u^${2 * L - 2}g`)}`);
    }
    d.step(
      'Each depth, two routes',
      `for L = ${DEPTHS.join(', ')} mathjs's simplify and dlnv's exact polynomial expansion both reduce the chain-rule identity and ${md('(u^{2L−2})^L − (u^L)^{2L−2}')} to 0 — ${perDepth.slice(0, 3).join('; ')}; …`,
    );
    const exponent = simplify('(2*L-2)/L - (2-2/L)').toString();
    if (exponent !== '0') failures.push(`exponent: (2L−2)/L − (2 − 2/L) simplified to ${exponent}`);
    d.step(
      'Back to x',
      `for u > 0 both ${md('u^{2L−2}')} and ${md('x^{(2L−2)/L}')} are positive and have equal L-th powers, so they are equal; mathjs reduces ${md('(2L−2)/L − (2 − 2/L)')} to ${md(exponent)}, hence ${md('ẋ = −L² x^{2−2/L} ⊙ ∇f(x)')}. Metric reading: the flow is the gradient flow of f for g_x(v, w) = Σ v_i w_i/(L² x_i^{2−2/L}).`,
      dm(`\\dot x = -L^{2}\\,x^{\\odot(2-2/L)}\\odot\\nabla f(x)`),
    );
    const holds = failures.length === 0;
    return {
      holds,
      ...d.written(),
      detail: holds
        ? `chain rule reduced to 0 for symbolic L (mathjs) and for L = 1..6 (mathjs + exact polynomials); exponent identity reduced to 0`
        : failures.slice(0, 3).join('; '),
    };
  },
  numeric(seed) {
    const rng = new Rng(seed);
    const m = 5,
      n = 4;
    const A = gaussianMatrix(rng, m, n);
    const b = Float64Array.from({ length: m }, () => rng.gaussian());
    const verdicts: Array<[string, Verdict]> = [];
    for (const L of [2, 3]) {
      const u0 = Float64Array.from({ length: n }, () => Math.exp(0.5 * rng.gaussian()));
      const c = Float64Array.from({ length: n }, () => rng.gaussian());
      verdicts.push([`Taylor, L = ${L}`, checkReparamFlow({ A, b, L, u0, c })]);
      verdicts.push([`central difference, L = ${L}`, centralDifferenceCheck(A, b, L, u0)]);
    }
    return numericFromVerdicts(verdicts);
  },
});

/**
 * lhs = rhs by two independent routes: mathjs's simplify of lhs − rhs, and dlnv's exact polynomial expansion
 * (polyFromMathjs). (provePolynomialIdentity's mathjs route, which adds distributive rules, leaves "u²(4g − 4g)"
 * uncancelled on these products, so the plain simplify is used here.)
 */
function twoRoutes(lhs: string, rhs: string): { holds: boolean; mathjs: string; expanded: string } {
  const text = `(${lhs}) - (${rhs})`;
  const mathjs = simplify(text).toString();
  const poly = polyFromMathjs(text);
  return { holds: mathjs === '0' && poly.isZero(), mathjs, expanded: poly.toString() };
}

/**
 * (x(h) − x(−h))/(2h) of the RK4-integrated u-flow against −L²x^{2−2/L}⊙∇f(x) at t = 0. Error model: truncation
 * by Richardson, |D(2h) − D(h)|/3, plus round-off ε‖x‖/h, with h = ε^{1/3}·(‖x‖/‖ẋ‖); pass within 10× that.
 */
function centralDifferenceCheck(
  a: ReturnType<typeof gaussianMatrix>,
  b: Float64Array,
  L: number,
  u0: Float64Array,
): Verdict {
  const problem = leastSquaresProblem(a, b);
  const n = a.cols;
  const x0 = hadamardPowerInto(new Float64Array(n), u0, L);
  const ws = new LeastSquaresWorkspace(problem);
  ws.evaluate(x0);
  const v = inducedVelocityInto(new Float64Array(n), x0, ws.gradient, L);
  const field = uFlowField(problem, L);
  const at = (t: number): Float64Array => hadamardPowerInto(new Float64Array(n), rk4Vector(field, 0, u0, t, 4).y, L);
  const h = Math.cbrt(Number.EPSILON) * (norm2(x0) / norm2(v));
  const diff = (step: number): Float64Array => {
    const p = at(step),
      q = at(-step);
    return p.map((pi, i) => (pi - q[i]) / (2 * step));
  };
  const d1 = diff(h),
    d2 = diff(2 * h);
  const estimate = distance(d1, d2) / 3 + (Number.EPSILON * norm2(x0)) / h;
  const err = distance(d1, v);
  return compare({
    measured: err,
    bound: 10 * estimate,
    errorModel: `10 × (Richardson |D(2h) − D(h)|/3 + ε‖x‖/h), h = ε^{1/3}‖x‖/‖ẋ‖ = ${sci(h)}`,
    detail: `‖central difference of u(t)^{⊙${L}} − (−L²x^{2−2/L}⊙∇f)‖ = ${sci(err)} (‖ẋ‖ = ${sci(norm2(v))})`,
  });
}
