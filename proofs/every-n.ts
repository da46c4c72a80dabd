/**
 * The catalogue's derivations for EVERY depth N (and every layer j), done on interval products W_{b:a} with symbolic
 * bounds (src/symbolic/every-n): the layer gradient is derived by differentiating ½‖W_{N:1}X − Y‖² (split W_{N:1} at
 * j, trace rule, merge back), and it is then substituted into conservation, the GD drift identity (with and without
 * weight decay) and the end-to-end identity (Leibniz rule on W_{N:1}). Each is PROVED only when lhs − rhs reduces
 * to 0 under the stated side conditions and its numeric instances agree. Cross-check: every case N = 1..12 is
 * instantiated and compared with the concrete engine (src/symbolic), which differentiates the concrete product
 * W_N⋯W_1 itself.
 */
import { DlnvError } from '../src/errors.js';
import { sci } from '../src/format.js';
import { gradient as concreteGradient, directionalDerivative } from '../src/symbolic/differentiate.js';
import {
  halfSquaredLoss as concreteLoss,
  dlnSymbols,
  endToEnd,
  layerFamily,
  layerGradientFromEndToEnd,
} from '../src/symbolic/dln.js';
import {
  Affine,
  Assumptions,
  add,
  constant,
  type DerivationStep,
  type EveryNResult,
  formExpr,
  gradient,
  type IExpr,
  instantiate,
  type LayerTemplate,
  mul,
  printForm,
  printIExpr,
  proveEveryN,
  RuleLog,
  renameIndex,
  scalar,
  sigma,
  stepsOf,
  sub,
  substituteLayers,
  symbolicDln,
  timeDerivative,
  transpose,
} from '../src/symbolic/every-n/index.js';
import { describeInstance } from '../src/symbolic/every-n/render.js';
import * as C from '../src/symbolic/expr.js';
import { proveIdentity } from '../src/symbolic/identity.js';
import { normalFormToExpr, normalize } from '../src/symbolic/normalize.js';
import { Derivation, defineProof, md, type Proof } from '../src/symbolic/proof.js';
import { substitute as concreteSubstitute } from '../src/symbolic/substitute.js';

/** Largest depth of the instantiation cross-check against the concrete engine. */
export const CROSS_CHECK_DEPTH = 12;

const dln = symbolicDln();
const { N, W } = dln;
const j = Affine.variable('j');
const eta = scalar('η'),
  lambda = scalar('λ');
const depthAtLeast1 = Assumptions.NONE.le(1, N);
const layerRange = depthAtLeast1.le(1, j).le(j, N);
const innerLayer = depthAtLeast1.le(1, j).le(j, N.add(-1));

function statementStep(lhs: IExpr, rhs: IExpr, why: string): DerivationStep {
  return {
    rule: why,
    text: `${printIExpr(lhs)} = ${printIExpr(rhs)}`,
    latex: `$${printIExpr(lhs, 'latex')} = ${printIExpr(rhs, 'latex')}$`,
  };
}

/** ∇_{W_j}L derived from the interval form (once), and the template G_i := that gradient at i (valid 1 ≤ i ≤ N). */
function derivedGradient(): { steps: DerivationStep[]; gradient: IExpr; template: LayerTemplate } {
  const log = new RuleLog();
  const g = gradient(dln.loss, 'W', j, layerRange, log);
  const expr = formExpr(g);
  const steps: DerivationStep[] = [
    { rule: 'loss', text: `L = ${printIExpr(dln.loss)}`, latex: `$L = ${printIExpr(dln.loss, 'latex')}$` },
    ...stepsOf(log),
    {
      rule: 'gradient',
      text: `∇_{W_j}L = ${printForm(g)}   [1 ≤ j ≤ N]`,
      latex: `$\\nabla_{W_j}L = ${printForm(g, 'latex')}$`,
    },
  ];
  return { steps, gradient: expr, template: { at: (i) => renameIndex(expr, 'j', i), lo: Affine.of(1), hi: N } };
}

/** A derivation for every N: its statement, how it is proved, and how it is instantiated for the cross-check. */
export interface EveryNDerivation {
  readonly id: string;
  readonly statement: string;
  readonly source: string;
  prove(seed?: number): EveryNResult;
  /** Cases (N, j) with N ≤ maxDepth where the instantiation disagrees with the concrete engine. */
  crossCheck(maxDepth?: number): { cases: number; failures: string[]; msPerDepth: number[] };
}

function instances(
  minDepth: number,
  maxDepth: number,
  layers: (n: number) => number[],
): Array<{ N: number; j: number }> {
  const out: Array<{ N: number; j: number }> = [];
  for (let n = minDepth; n <= maxDepth; n++) for (const l of layers(n)) out.push({ N: n, j: l });
  return out;
}

function runCrossCheck(
  cases: Array<{ N: number; j: number }>,
  check: (n: number, l: number) => string | undefined,
): { cases: number; failures: string[]; msPerDepth: number[] } {
  const failures: string[] = [];
  const msPerDepth: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    let f: string | undefined;
    try {
      f = check(c.N, c.j);
    } catch (e) {
      if (!(e instanceof DlnvError)) throw e;
      f = e.message;
    }
    if (f) failures.push(`N=${c.N}, j=${c.j}: ${f}`);
    msPerDepth[c.N] = (msPerDepth[c.N] ?? 0) + performance.now() - t0;
  }
  return { cases: cases.length, failures, msPerDepth };
}

const agree = (a: C.Expr, b: C.Expr): string | undefined => {
  const p = proveIdentity(a, b);
  return p.holds ? undefined : (p.error ?? `${p.residual?.size ?? '?'} terms remain`);
};

export const layerGradientEveryN: EveryNDerivation = {
  id: 'every-n.grad.layer',
  statement: '∇_{W_j} ½‖W_{N:1}X − Y‖_F² = W_{N:j+1}ᵀ(W_{N:1}X − Y)XᵀW_{j−1:1}ᵀ for every N ≥ 1 and 1 ≤ j ≤ N',
  source: 'ACH 2018 / BRTW 2022; THEORY §1 grad.layer',
  prove(seed) {
    const g = derivedGradient();
    return proveEveryN(g.gradient, dln.closedForm(j), { assumptions: layerRange, seed, preamble: g.steps });
  },
  crossCheck(maxDepth = CROSS_CHECK_DEPTH) {
    const g = derivedGradient().gradient;
    return runCrossCheck(
      instances(1, maxDepth, (n) => Array.from({ length: n }, (_, i) => i + 1)),
      (n, l) => {
        const s = dlnSymbols(n);
        const concrete = concreteGradient(concreteLoss(s), s.W[l - 1]);
        return agree(instantiate(g, { N: n, j: l }), normalFormToExpr(concrete));
      },
    );
  },
};

/** Ẇ_j W_jᵀ = W_{j+1}ᵀ Ẇ_{j+1} with Ẇ_i := −∇_{W_i}L. */
function conservationParts(): { lhs: IExpr; rhs: IExpr; steps: DerivationStep[]; substituted: [IExpr, IExpr] } {
  const g = derivedGradient();
  const log = new RuleLog();
  const velocity: LayerTemplate = { ...g.template, at: (i) => mul(-1, g.template.at(i)) };
  const lhs = mul(dln.layer('Ẇ', j), transpose(dln.layer('W', j)));
  const rhs = mul(transpose(dln.layer('W', j.add(1))), dln.layer('Ẇ', j.add(1)));
  const substituted: [IExpr, IExpr] = [
    substituteLayers(lhs, 'Ẇ', velocity, innerLayer, log),
    substituteLayers(rhs, 'Ẇ', velocity, innerLayer, log),
  ];
  const steps = [
    ...g.steps,
    statementStep(lhs, rhs, 'claim'),
    {
      rule: 'gradient flow',
      text: 'Ẇ_i := −∇_{W_i}L (the gradient derived above, valid for 1 ≤ i ≤ N)',
      latex: '$\\dot W_i := -\\nabla_{W_i}L$',
    },
    ...stepsOf(log),
  ];
  return { lhs, rhs, steps, substituted };
}

export const conservationEveryN: EveryNDerivation = {
  id: 'every-n.flow.conservation',
  statement:
    'Along gradient flow Ẇ_i = −∇_{W_i}L: Ẇ_jW_jᵀ = W_{j+1}ᵀẆ_{j+1} for every N and 1 ≤ j ≤ N − 1 ' +
    '(so C_j is conserved)',
  source: 'ACH 2018 (balancedness is conserved); THEORY §2 flow.conservation',
  prove(seed) {
    const p = conservationParts();
    return proveEveryN(p.substituted[0], p.substituted[1], { assumptions: innerLayer, seed, preamble: p.steps });
  },
  crossCheck(maxDepth = CROSS_CHECK_DEPTH) {
    const [l, r] = conservationParts().substituted;
    return runCrossCheck(
      instances(2, maxDepth, (n) => Array.from({ length: n - 1 }, (_, i) => i + 1)),
      (n, k) => {
        const s = dlnSymbols(n);
        const f = normalize(concreteLoss(s));
        const v = (i: number): C.Expr => C.neg(normalFormToExpr(concreteGradient(f, s.W[i - 1])));
        const concreteL = C.mul(v(k), C.transpose(s.W[k - 1])),
          concreteR = C.mul(C.transpose(s.W[k]), v(k + 1));
        return (
          agree(instantiate(l, { N: n, j: k }), concreteL) ??
          agree(instantiate(r, { N: n, j: k }), concreteR) ??
          agree(concreteL, concreteR)
        );
      },
    );
  },
};

/** C_j⁺ = (1 − ηλ)²C_j + η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) after W_i⁺ := (1 − ηλ)W_i − ηG_i (λ = 0: plain GD). */
function driftParts(decay: boolean): { lhs: IExpr; rhs: IExpr; steps: DerivationStep[]; substituted: [IExpr, IExpr] } {
  const g = derivedGradient();
  const log = new RuleLog();
  const shrink = decay ? sub(1, mul(eta, lambda)) : constant(1);
  const Wl = (i: Affine): IExpr => dln.layer('W', i),
    P = (i: Affine): IExpr => dln.layer('W⁺', i),
    G = (i: Affine): IExpr => dln.layer('G', i);
  const defect = (L: (i: Affine) => IExpr): IExpr =>
    sub(mul(transpose(L(j.add(1))), L(j.add(1))), mul(L(j), transpose(L(j))));
  const lhs = defect(P);
  const rhs = add(
    decay ? mul(shrink, shrink, defect(Wl)) : defect(Wl),
    mul(eta, eta, sub(mul(transpose(G(j.add(1))), G(j.add(1))), mul(G(j), transpose(G(j))))),
  );
  const step: LayerTemplate = {
    at: (i) => sub(decay ? mul(shrink, Wl(i)) : Wl(i), mul(eta, G(i))),
    lo: Affine.of(1),
    hi: N,
  };
  const sub1 = [lhs, rhs].map((e) => substituteLayers(e, 'W⁺', step, innerLayer, log));
  const substituted = sub1.map((e) => substituteLayers(e, 'G', g.template, innerLayer, log)) as [IExpr, IExpr];
  const steps = [
    ...g.steps,
    statementStep(lhs, rhs, 'claim'),
    {
      rule: 'GD step',
      text: decay
        ? 'W_i⁺ := (1 − ηλ)W_i − ηG_i, G_i := ∇_{W_i}L (derived above)'
        : 'W_i⁺ := W_i − ηG_i, G_i := ∇_{W_i}L (derived above)',
      latex: decay ? '$W_i^{+} := (1 - \\eta\\lambda)W_i - \\eta G_i$' : '$W_i^{+} := W_i - \\eta G_i$',
    },
    ...stepsOf(log),
  ];
  return { lhs, rhs, steps, substituted };
}

function driftDerivation(decay: boolean): EveryNDerivation {
  return {
    id: decay ? 'every-n.gd.drift-decay' : 'every-n.gd.drift',
    statement: decay
      ? 'One GD step with weight decay W_i⁺ = (1 − ηλ)W_i − η∇_{W_i}L gives ' +
        'C_j⁺ = (1 − ηλ)²C_j + η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) for every N and 1 ≤ j ≤ N − 1'
      : 'One GD step W_i⁺ = W_i − η∇_{W_i}L gives C_j⁺ − C_j = η²(G_{j+1}ᵀG_{j+1} − G_jG_jᵀ) ' +
        'for every N and 1 ≤ j ≤ N − 1',
    source: 'THEORY §2 gd.drift-identity (derived)',
    prove(seed) {
      const p = driftParts(decay);
      return proveEveryN(p.substituted[0], p.substituted[1], { assumptions: innerLayer, seed, preamble: p.steps });
    },
    crossCheck(maxDepth = CROSS_CHECK_DEPTH) {
      const [l, r] = driftParts(decay).substituted;
      return runCrossCheck(
        instances(2, maxDepth, (n) => Array.from({ length: n - 1 }, (_, i) => i + 1)),
        (n, k) => {
          const s = dlnSymbols(n);
          const f = normalize(concreteLoss(s));
          const G = s.W.map((w) => normalFormToExpr(concreteGradient(f, w)));
          const c = decay ? C.sub(1, C.mul(C.scalarSymbol('η'), C.scalarSymbol('λ'))) : C.constant(1);
          const plus = s.W.map((w, i) => C.sub(C.mul(c, w), C.mul(C.scalarSymbol('η'), G[i])));
          const defect = (L: readonly C.Expr[]): C.Expr =>
            C.sub(C.mul(C.transpose(L[k]), L[k]), C.mul(L[k - 1], C.transpose(L[k - 1])));
          const concreteL = defect(plus);
          const concreteR = C.add(
            C.mul(c, c, defect(s.W)),
            C.mul(
              C.scalarSymbol('η'),
              C.scalarSymbol('η'),
              C.sub(C.mul(C.transpose(G[k]), G[k]), C.mul(G[k - 1], C.transpose(G[k - 1]))),
            ),
          );
          return (
            agree(instantiate(l, { N: n, j: k }), concreteL) ??
            agree(instantiate(r, { N: n, j: k }), concreteR) ??
            agree(concreteL, concreteR)
          );
        },
      );
    },
  };
}

export const driftEveryN = driftDerivation(false);
export const driftDecayEveryN = driftDerivation(true);

/** d/dt W_{N:1} by the Leibniz rule, then Ẇ_i := −W_{N:i+1}ᵀ∇L¹W_{i−1:1}ᵀ. */
function endToEndParts(): { lhs: IExpr; rhs: IExpr; steps: DerivationStep[]; substituted: [IExpr, IExpr] } {
  const log = new RuleLog();
  const k = Affine.variable('j');
  const rate = timeDerivative(W(N, 1), 'W', 'Ẇ', log);
  const stated = sigma('j', 1, N, mul(W(N, k.add(1)), dln.layer('Ẇ', k), W(k.add(-1), 1)));
  const rhs = mul(
    -1,
    sigma(
      'j',
      1,
      N,
      mul(W(N, k.add(1)), transpose(W(N, k.add(1))), dln.endToEndGradient, transpose(W(k.add(-1), 1)), W(k.add(-1), 1)),
    ),
  );
  const velocity: LayerTemplate = { at: (i) => mul(-1, dln.throughProduct(i)), lo: Affine.of(1), hi: N };
  const substituted: [IExpr, IExpr] = [substituteLayers(rate, 'Ẇ', velocity, depthAtLeast1, log), rhs];
  const steps: DerivationStep[] = [
    {
      rule: 'product',
      text: `d/dt W_{N:1} = ${printIExpr(rate)} = ${printIExpr(stated)}`,
      latex: `$\\tfrac{d}{dt}W_{N:1} = ${printIExpr(rate, 'latex')}$`,
    },
    statementStep(stated, rhs, 'claim'),
    {
      rule: 'gradient flow',
      text: 'Ẇ_i := −W_{N:i+1}ᵀ ∇L¹ W_{i−1:1}ᵀ (∇L¹ an arbitrary d_N × d_0 end-to-end gradient)',
      latex: '$\\dot W_i := -W_{N:i+1}^{\\top}\\nabla L^{1}W_{i-1:1}^{\\top}$',
    },
    ...stepsOf(log),
  ];
  return { lhs: stated, rhs, steps, substituted };
}

export const endToEndEveryN: EveryNDerivation = {
  id: 'every-n.flow.end-to-end',
  statement:
    'Σ_j W_{N:j+1}Ẇ_jW_{j−1:1} = −Σ_j W_{N:j+1}W_{N:j+1}ᵀ∇L¹W_{j−1:1}ᵀW_{j−1:1} ' +
    'along Ẇ_j = −W_{N:j+1}ᵀ∇L¹W_{j−1:1}ᵀ, for every N ≥ 1',
  source: 'ACH 2018 (end-to-end dynamics); THEORY §2 flow.end-to-end',
  prove(seed) {
    const p = endToEndParts();
    return proveEveryN(p.substituted[0], p.substituted[1], { assumptions: depthAtLeast1, seed, preamble: p.steps });
  },
  crossCheck(maxDepth = CROSS_CHECK_DEPTH) {
    const [l, r] = endToEndParts().substituted;
    return runCrossCheck(
      instances(1, maxDepth, () => [0]),
      (n) => {
        const s = dlnSymbols(n);
        const wdot = layerFamily(s, 'Ẇ');
        const g = C.matrixSymbol('∇L¹', s.dims[n], s.dims[0]);
        const rate = directionalDerivative(
          endToEnd(s),
          s.W.map((w, i) => [w, wdot[i]] as const),
        );
        const subs = new Map(wdot.map((w, i) => [w.name, C.neg(layerGradientFromEndToEnd(s, i + 1, g))] as const));
        const concrete = normalFormToExpr(concreteSubstitute(rate, subs));
        return agree(instantiate(l, { N: n }), concrete) ?? agree(instantiate(r, { N: n }), concrete);
      },
    );
  },
};

export const everyNDerivations: readonly EveryNDerivation[] = [
  layerGradientEveryN,
  conservationEveryN,
  driftEveryN,
  driftDecayEveryN,
  endToEndEveryN,
];

/** A derivation as a numbered list: one line per step, the rule first. */
export function derivationOf(steps: readonly DerivationStep[]): Derivation {
  const d = new Derivation();
  for (const s of steps) d.step(s.rule, md(s.text), s.latex);
  return d;
}

/** The derivation as a catalogue Proof (`dlnv proofs`): PROVED for symbolic N and j, plus the N ≤ 12 cross-check. */
export function everyNProof(def: EveryNDerivation, crossDepth = CROSS_CHECK_DEPTH): Proof {
  return defineProof({
    id: def.id,
    statement: def.statement,
    provenance: 'P',
    source: def.source,
    symbolic() {
      const r = def.prove();
      const cross = def.crossCheck(crossDepth);
      const d = derivationOf(r.steps);
      d.step(
        'cross-check',
        md(
          `instantiated at ${cross.cases} cases N ≤ ${crossDepth} and compared with the concrete engine: ` +
            (cross.failures.length === 0
              ? 'all agree'
              : `${cross.failures.length} DISAGREE: ${cross.failures.slice(0, 2).join('; ')}`),
        ),
      );
      const holds = r.answer === 'PROVED' && cross.failures.length === 0;
      return {
        holds,
        ...d.written(),
        detail:
          `${r.answer} for symbolic N${r.assumptions ? ` under ${r.assumptions}` : ''}` +
          `${r.reason ? ` (${r.reason})` : ''}; ${cross.cases} instantiations N ≤ ${crossDepth} ` +
          (cross.failures.length === 0 ? 'agree with the concrete engine' : 'DISAGREE'),
      };
    },
    numeric(seed) {
      const r = def.prove(seed);
      const worst = r.numeric.instances.reduce((m, i) => Math.max(m, i.bound > 0 ? i.measured / i.bound : Infinity), 0);
      const bad = r.numeric.counterexample;
      return {
        status: r.numeric.instances.length === 0 ? 'inconclusive' : bad ? 'fail' : 'pass',
        measured: bad ? bad.measured : worst,
        bound: bad ? bad.bound : 1,
        errorModel: r.numeric.errorModel,
        detail: bad
          ? `counterexample at ${describeInstance(bad, r.numeric.seed)}`
          : `${r.numeric.instances.length} random instances (${r.numeric.instances
              .map((i) =>
                Object.entries(i.indices)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(','),
              )
              .join('; ')}) agree; worst ‖lhs − rhs‖/bound = ${sci(worst)}`,
      };
    },
  });
}

export const everyNProofs: Proof[] = everyNDerivations.map((d) => everyNProof(d));
