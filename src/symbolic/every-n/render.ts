import { sci } from '../../format.js';
import { escapeLatexText, latexSteps } from '../proof.js';
import type { Instance, NumericReport } from './numeric.js';
import type { DerivationStep, EveryNResult } from './prove.js';

/** How a result reads: plain text for the terminal, Markdown, or a LaTeX fragment. One step per line. */
export type ResultFormat = 'text' | 'md' | 'tex';

const assignment = (r: Readonly<Record<string, number>>): string =>
  Object.entries(r)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export function describeInstance(i: Instance, seed: number): string {
  const at = Object.keys(i.indices).length > 0 ? `${assignment(i.indices)} with sizes` : 'sizes';
  const comparison = `‖lhs − rhs‖_F = ${sci(i.measured)} ${i.holds ? '≤' : '>'} bound ${sci(i.bound)}`;
  return `${at} ${assignment(i.sizes)} (seed ${seed}): ${comparison}`;
}

export function numericLine(n: NumericReport): string {
  if (n.counterexample) return `counterexample at ${describeInstance(n.counterexample, n.seed)}`;
  if (n.instances.length === 0) return `no numeric instance (${n.errorModel})`;
  const worst = n.instances.reduce((m, i) => Math.max(m, i.measured / i.bound), 0);
  const at = n.instances.some((i) => Object.keys(i.indices).length > 0)
    ? `${[...new Set(n.instances.map((i) => assignment(i.indices)))].join('; ')}; `
    : '';
  return `${n.instances.length} random instances agree (${at}seed ${n.seed}); worst ‖lhs − rhs‖/bound = ${sci(worst)}`;
}

function stepLines(steps: readonly DerivationStep[], format: ResultFormat): string[] {
  if (format === 'tex') return [latexSteps(steps)];
  if (format === 'md') return steps.map((s, i) => `${i + 1}. **${s.rule}**: \`${s.text}\``);
  return steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.rule}: ${s.text}`);
}

/** The answer, the derivation and the numeric side. */
export function renderResult(r: EveryNResult, format: ResultFormat = 'text', title?: string): string {
  const lines: string[] = [];
  const head = `${r.answer}  ${title ?? r.statement}`;
  const where = r.assumptions ? `under ${r.assumptions}` : 'no side conditions';
  if (format === 'md') lines.push(`### ${head.replace(/\*/g, '\\*')}`, '', `*${where}*`, '');
  else if (format === 'tex') lines.push(`\\subsection*{${escapeLatexText(head)}}`, escapeLatexText(where), '');
  else lines.push(head, `  ${where}`);
  lines.push(...stepLines(r.steps, format));
  const extra: string[] = [];
  if (r.answer === 'UNDECIDED' && r.reason) extra.push(`undecided: ${r.reason}`);
  if (r.remainder && r.answer !== 'PROVED') extra.push(`remainder: lhs − rhs = ${r.remainder}`);
  extra.push(`numeric: ${numericLine(r.numeric)}`);
  if (r.numeric.counterexample) extra.push(`replay: the same command with --seed ${r.numeric.seed}`);
  for (const x of extra) {
    if (format === 'md') lines.push('', x.replace(/^(\w+):/, '**$1**:'));
    else if (format === 'tex') lines.push('', escapeLatexText(x));
    else lines.push(`  ${x}`);
  }
  return lines.join('\n');
}
