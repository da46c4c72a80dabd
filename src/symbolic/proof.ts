import type { Status, Verdict } from '../check/verdict.js';
import { worstOf } from '../check/verdict.js';
import { DlnvError } from '../errors.js';

/**
 * A proof: a derivation done by the symbolic engine (an identity reduced to 0, a polynomial identity, a derived
 * gradient compared with its closed form) plus a numeric confirmation on a seeded random instance (Taylor test or
 * scale-aware identity check). It holds only when both parts do.
 */
export type { Provenance } from '../claims/claim.js';

import type { Provenance } from '../claims/claim.js';
import type { ClaimDerivation, DerivationStep } from '../claims/derivation.js';
import { sci } from '../format.js';

export interface SymbolicOutcome {
  readonly holds: boolean;
  /** The derivation, one step a line with the rule applied (what reports show beside a claim's verdict). */
  readonly steps: readonly DerivationStep[];
  /** The derivation as Markdown with Unicode math (what `dlnv proofs --format md` prints). */
  readonly text: string;
  /** The derivation as a LaTeX fragment. */
  readonly latex?: string;
  /** One line: what was reduced to 0, how many cases, what failed. */
  readonly detail: string;
}

export interface NumericOutcome {
  readonly status: Status;
  readonly measured: number;
  readonly bound: number;
  readonly errorModel: string;
  readonly detail: string;
}

export interface ProofResult {
  readonly id: string;
  readonly statement: string;
  readonly provenance: Provenance;
  readonly source: string;
  readonly holds: boolean;
  readonly symbolic: SymbolicOutcome;
  readonly numeric: NumericOutcome;
  /** Wall-clock milliseconds of the two parts. */
  readonly timings: { readonly symbolicMs: number; readonly numericMs: number };
}

export type RenderFormat = 'md' | 'latex';

export interface Proof {
  readonly id: string;
  readonly statement: string;
  readonly provenance: Provenance;
  readonly source: string;
  run(seed?: number): ProofResult;
  /** The seed-independent derivation alone (computed once per proof object). */
  symbolic(): SymbolicOutcome;
  /** The derivation and its numeric confirmation as a Markdown section or a LaTeX fragment. */
  render(format: RenderFormat, seed?: number): string;
}

export const DEFAULT_PROOF_SEED = 20240611;

/** A numeric outcome from a Verdict (several verdicts: the worst one, its detail prefixed by its label). */
export function numericFromVerdicts(verdicts: ReadonlyArray<readonly [string, Verdict]>): NumericOutcome {
  const worst = worstOf(verdicts.map(([, v]) => v));
  const label = verdicts.find(([, v]) => v === worst)![0];
  const others = verdicts.filter(([, v]) => v !== worst).map(([l, v]) => `${l}: ${v.status}`);
  return {
    status: worst.status,
    measured: worst.measured,
    bound: worst.bound,
    errorModel: worst.errorModel,
    detail: `${label}: ${worst.detail}${others.length ? ` (also ${others.join('; ')})` : ''}`,
  };
}

/** Markdown/LaTeX derivation log: a list of steps, each with its rule and a body in both formats. */
export class Derivation {
  private readonly list: DerivationStep[] = [];

  /** A step; without an explicit LaTeX body the Markdown one is escaped (inline `code` becomes \texttt). */
  step(rule: string, text: string, latex?: string): this {
    this.list.push({ rule, text, latex: latex ?? markdownToLatexText(text) });
    return this;
  }

  get length(): number {
    return this.list.length;
  }

  get steps(): readonly DerivationStep[] {
    return this.list;
  }

  markdown(): string {
    return this.list.map((s, i) => `${i + 1}. **${s.rule}.** ${s.text}`).join('\n');
  }

  latex(): string {
    return latexSteps(this.list);
  }

  /** The steps with their Markdown and LaTeX renderings, as a SymbolicOutcome carries them. */
  written(): Pick<SymbolicOutcome, 'steps' | 'text' | 'latex'> {
    return { steps: [...this.list], text: this.markdown(), latex: this.latex() };
  }
}

/** Steps as a LaTeX list, one \\item a step with its rule in bold. */
export function latexSteps(steps: readonly DerivationStep[]): string {
  const items = steps.map((s) => `  \\item \\textbf{${escapeLatexText(s.rule)}.} ${s.latex}`);
  return ['\\begin{enumerate}', ...items, '\\end{enumerate}'].join('\n');
}

/** Escape text (not math) for LaTeX. */
export function escapeLatexText(s: string): string {
  const map: Record<string, string> = {
    '\\': '\\textbackslash{}',
    '~': '\\textasciitilde{}',
    '^': '\\textasciicircum{}',
  };
  return s.replace(/[\\~^#$%&_{}]/g, (c) => map[c] ?? `\\${c}`);
}

/** Plain Markdown prose (with `code` spans) as LaTeX text. */
export function markdownToLatexText(s: string): string {
  return s
    .split('`')
    .map((part, i) =>
      i % 2 === 1
        ? `\\texttt{${escapeLatexText(part)}}`
        : escapeLatexText(part).replace(/\*\*(.+?)\*\*/g, '\\textbf{$1}'),
    )
    .join('');
}

/** Inline code for Markdown (backticks), wrapping long formulas is left to the renderer. */
export function md(formula: string): string {
  return `\`${formula.replace(/`/g, "'")}\``;
}

/** Display math for the LaTeX side. */
export function dm(formula: string): string {
  return `\\[ ${formula} \\]`;
}

export interface ProofSpec {
  readonly id: string;
  readonly statement: string;
  readonly provenance: Provenance;
  readonly source: string;
  /** The seed-independent derivation (run once and cached per proof object). */
  symbolic(): SymbolicOutcome;
  numeric(seed: number): NumericOutcome;
}

function failure(part: string, e: unknown): string {
  if (e instanceof DlnvError) return `${part} raised ${e.name}: ${e.message}`;
  if (e instanceof Error) return `${part} crashed: ${e.name}: ${e.message}`;
  return `${part} crashed: ${String(e)}`;
}

/** A Proof from its two parts; exceptions become a failed part with the error in the detail, never a crash. */
export function defineProof(spec: ProofSpec): Proof {
  let cached: { outcome: SymbolicOutcome; ms: number } | undefined;
  const symbolic = (): { outcome: SymbolicOutcome; ms: number } => {
    if (cached) return cached;
    const t0 = performance.now();
    let outcome: SymbolicOutcome;
    try {
      outcome = spec.symbolic();
    } catch (e) {
      const msg = failure('the symbolic derivation', e);
      outcome = { holds: false, steps: [], text: msg, latex: `\\text{${escapeLatexText(msg)}}`, detail: msg };
    }
    cached = { outcome, ms: performance.now() - t0 };
    return cached;
  };
  const run = (seed: number = DEFAULT_PROOF_SEED): ProofResult => {
    const s = symbolic();
    const t1 = performance.now();
    let numeric: NumericOutcome;
    try {
      numeric = spec.numeric(seed);
    } catch (e) {
      const msg = failure('the numeric confirmation', e);
      numeric = { status: 'fail', measured: NaN, bound: 0, errorModel: 'none (the check did not run)', detail: msg };
    }
    const numericMs = performance.now() - t1;
    return {
      id: spec.id,
      statement: spec.statement,
      provenance: spec.provenance,
      source: spec.source,
      holds: s.outcome.holds && numeric.status === 'pass',
      symbolic: s.outcome,
      numeric,
      timings: { symbolicMs: s.ms, numericMs },
    };
  };
  return {
    id: spec.id,
    statement: spec.statement,
    provenance: spec.provenance,
    source: spec.source,
    run,
    symbolic: () => symbolic().outcome,
    render: (format, seed) => renderProofResult(run(seed), format),
  };
}

/** A proof's derivation as a report carries it beside the claims the proof is linked to. */
export function claimDerivation(proof: Proof): ClaimDerivation {
  const s = proof.symbolic();
  return { proof: proof.id, statement: proof.statement, proved: s.holds, detail: s.detail, steps: s.steps };
}

/** A result as a Markdown section or a LaTeX fragment. */
export function renderProofResult(r: ProofResult, format: RenderFormat): string {
  const verdict = r.holds ? 'holds' : 'DOES NOT HOLD';
  const num = `${r.numeric.status}: measured ${sci(r.numeric.measured)}, bound ${sci(r.numeric.bound)}`;
  if (format === 'md') {
    return [
      `## ${r.id} — ${verdict}`,
      '',
      `**Statement** [${r.provenance}] (${r.source}): ${r.statement}`,
      '',
      `### Symbolic derivation (${r.symbolic.holds ? 'proved' : 'not proved'})`,
      '',
      r.symbolic.text,
      '',
      `*${r.symbolic.detail}*`,
      '',
      '### Numeric confirmation',
      '',
      `${num}. ${r.numeric.detail}`,
      '',
      `Error model: ${r.numeric.errorModel}`,
      '',
    ].join('\n');
  }
  return [
    `\\subsection*{${escapeLatexText(r.id)} --- ${escapeLatexText(verdict)}}`,
    `\\textbf{Statement} [${r.provenance}] (${escapeLatexText(r.source)}): ${escapeLatexText(r.statement)}`,
    '',
    `\\paragraph{Symbolic derivation (${r.symbolic.holds ? 'proved' : 'not proved'}).}`,
    r.symbolic.latex ?? escapeLatexText(r.symbolic.text),
    '',
    `\\emph{${escapeLatexText(r.symbolic.detail)}}`,
    '',
    `\\paragraph{Numeric confirmation.} ${escapeLatexText(num)}. ${escapeLatexText(r.numeric.detail)}`,
    '',
    `Error model: ${escapeLatexText(r.numeric.errorModel)}`,
    '',
  ].join('\n');
}
