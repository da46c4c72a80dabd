import { readFileSync } from 'node:fs';
import { DlnvError, UsageError } from '../errors.js';
import { type Classification, classifyPoint, POINT_CLASSES, type PointClass } from '../landscape/classify.js';
import { parsePointJson } from '../landscape/json-input.js';
import { integerOption, parseCommandArgs } from './args.js';
import { progressLine } from './progress.js';

export const classifyHelp = `dlnv classify — say what kind of point of a deep linear network's loss you have

Usage: dlnv classify FILE.json [--json] [--expect CLASS] [--grad-tol G] [--seed S]

FILE.json holds one parameter point, e.g. the weights your own training code ended at:
  {
    "weights": [W_1, W_2, …, W_N],        W_1 acts first; each [[row], …] or {"shape": [r, c], "data": [[…]]}
    "data":    {"X": d_0×m, "Y": d_N×m},   inputs and targets, one sample per column
    "scale":   "half" | "sum" | "mean",    L = ½‖W_N⋯W_1X − Y‖² ("half", default), ‖·‖² ("sum"), 1/(2m)‖·‖² ("mean")
    "reported": {"loss": 0.5, "class": "global-minimum"}    optional: checked against what dlnv computes
  }

What it reports (THEORY.md §3):
  criticality   ‖∇L‖ against a round-off bound τ_g (from the size of every term of the gradient)
  structure     the index set S with W_{N:1} = U_SU_SᵀΣ_YXΣ_XX⁻¹, and L against ½(tr Σ_YY − Σ_{i∈S} λ_i)
  class         global-minimum | strict-saddle | non-strict-saddle | not-critical | undetermined
  certificate   why: the global value; the two-sided rotation (S ≠ {1..r}); the Hessian's λ_min with the
                pair rule's layers; for a PSD Hessian, a polynomial curve W + tA + t²B along which L drops
                (order q), confirmed by direct evaluation
Independent pieces of evidence are cross-checked and any disagreement is printed as a MISMATCH.

Options:
  --json          print the full report as JSON (for machines and CI)
  --expect CLASS  exit 1 unless the class is CLASS (e.g. --expect global-minimum after training)
  --grad-tol G    for points from training runs (which rarely reach round-off): when ‖∇L‖ ≤ G, Newton's
                  method on ∇L = 0 finds the nearby exact critical point, and that point is classified with
                  every exact check; its distance is printed ('undetermined' if Newton does not converge)
  --seed S        seed of the higher-order probe's random directions (default 1)

Exit code: 0 classified (and as expected); 1 a mismatch, an inconsistent "reported" value, an unexpected
class or 'undetermined'; 2 bad usage or a bad input file (one line naming the field).
Example: dlnv classify point.json --expect global-minimum`;

const f3 = (x: number): string => (Number.isFinite(x) ? x.toExponential(3) : String(x));

/** Typed arrays and non-finite numbers as plain JSON. */
function replacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

export function classificationJson(c: Classification): string {
  return JSON.stringify(c, replacer, 2);
}

export function classificationText(c: Classification, file: string): string {
  const lines: string[] = [];
  const depth = c.widths.length - 1;
  lines.push(`dlnv classify ${file}`);
  lines.push(
    `  network   depth ${depth}, widths ${c.widths.join('-')}, ${c.parameters} parameters; loss scale '${c.scale}' (κ = ${c.kappa})`,
  );
  lines.push(
    `  data      ${c.frame.invertible ? 'XXᵀ invertible' : `XXᵀ singular (rank ${c.frame.rank} of ${c.widths[0]}): generalized frame`}, κ(XXᵀ) = ${f3(c.frame.conditionNumber)}; σ(Q) = ${c.frame.sigma.slice(0, 6).map(f3).join(', ')}${c.frame.sigma.length > 6 ? `, … (${c.frame.sigma.length} values; all in --json)` : ''}`,
  );
  lines.push(`  loss      L = ${f3(c.loss)}`);
  const g = c.gradient;
  const verdict = g.critical
    ? 'critical'
    : c.nearby
      ? `approximately critical (≤ --grad-tol ${f3(g.userTolerance!)})`
      : `NOT critical${g.userTolerance !== undefined && g.norm > g.userTolerance ? ` (also > --grad-tol ${f3(g.userTolerance)})` : ''}`;
  lines.push(
    `  gradient  ‖∇L‖ = ${f3(g.norm)} ${g.critical ? '≤' : '>'} τ_g = ${f3(g.tolerance)} (round-off): ${verdict}`,
  );
  if (c.nearby)
    lines.push(
      `  nearby    exact critical point at distance ${f3(c.nearby.distance)} (${f3(c.nearby.relativeDistance)} relative; Newton on ∇L = 0, ${c.nearby.iterations} steps): the lines below describe it`,
    );
  if (c.structure) {
    const s = c.structure;
    lines.push(
      `  structure S = {${s.S.join(', ')}}, r = ${s.rank}, r_max = ${s.rMax}, r* = ${s.rStar}${s.consistent ? '' : ' (structure NOT satisfied)'}${s.ties ? ' (tied σ: S not unique)' : ''}`,
    );
    lines.push(
      `  value     L vs ½(tr Σ_YY − Σ_{i∈S} λ_i)·κ = ${f3(s.value.closedForm)} (|diff| ${f3(s.value.difference)}); global value ${f3(s.globalValue)}`,
    );
  }
  if (c.hessian)
    lines.push(
      `  Hessian   λ_min = ${f3(c.hessian.lambdaMin)}, λ_max = ${f3(c.hessian.lambdaMax)}, τ_H = ${f3(c.hessian.tolerance)}: ${c.hessian.negative} negative, ${c.hessian.zero} zero, ${c.hessian.positive} positive`,
    );
  if (c.pairRule)
    lines.push(
      `  pair rule ${
        c.pairRule.applies
          ? `fires at ${c.pairRule.pairs
              .slice(0, 4)
              .map((p) => `(h=${p.h}, k=${p.k}, [${p.condition}])`)
              .join(' ')}`
          : 'silent'
      }`,
    );
  lines.push(`  class     ${c.class.toUpperCase()}`);
  lines.push(`  because   ${c.certificate}`);
  for (const m of c.mismatches) lines.push(`  MISMATCH  ${m}`);
  for (const r of c.reported)
    lines.push(`  ${r.ok ? 'reported ' : 'REPORTED '} ${r.name}: ${r.detail}${r.ok ? '' : ' — INCONSISTENT'}`);
  return lines.join('\n');
}

function expectedClass(raw: unknown): PointClass | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw);
  if (!(POINT_CLASSES as readonly string[]).includes(s))
    throw new UsageError(`--expect must be one of ${POINT_CLASSES.join(', ')}, got '${s}'`);
  return s as PointClass;
}

/** `dlnv classify FILE.json [--json] [--expect CLASS] [--seed S]`; prints one line on stderr and returns 2 on bad input. */
export function classifyCommand(argv: string[]): number {
  try {
    const { values, positionals } = parseCommandArgs('classify', argv, {
      json: { type: 'boolean' },
      expect: { type: 'string' },
      'grad-tol': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      console.log(classifyHelp);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(
        `classify: expected exactly one FILE.json, got ${positionals.length} (see 'dlnv classify --help')`,
      );
    const file = positionals[0];
    const expect = expectedClass(values.expect);
    const seed =
      integerOption('seed', values.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? 1;
    const gradTol = integerOption('grad-tol', values['grad-tol'], (n) => n >= 0, 'a number ≥ 0 (e.g. 1e-6)');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`classify: cannot read '${file}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const point = parsePointJson(text, file);
    // Each stage is one synchronous computation (nothing can redraw during it), so it is shown as it starts.
    const progress = progressLine(`classify ${file}`, { unit: 'stage', after: 0 });
    let stages = 0;
    const c = classifyPoint(point.weights, point.data, {
      scale: point.scale,
      seed,
      onStage: (stage) => {
        progress.update(stages++);
        progress.stage(stage);
      },
      ...(gradTol !== undefined ? { gradientTolerance: gradTol } : {}),
      ...(point.reported ? { reported: point.reported } : {}),
    });
    progress.clear();
    console.log(values.json ? classificationJson(c) : classificationText(c, file));
    const unexpected = expect !== undefined && c.class !== expect;
    if (unexpected && !values.json) console.log(`  EXPECTED  ${expect}, got ${c.class}`);
    const bad = unexpected || c.class === 'undetermined' || c.mismatches.length > 0 || c.reported.some((r) => !r.ok);
    return bad ? 1 : 0;
  } catch (e) {
    if (e instanceof DlnvError) {
      console.error(`dlnv: ${e.message.split('\n')[0]}`);
      return e.code === 'usage' || e.code === 'shape' || e.code === 'non-finite' || e.code === 'domain' ? 2 : 1;
    }
    throw e;
  }
}
