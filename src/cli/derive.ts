import { UsageError } from '../errors.js';
import { deriveGradient } from '../symbolic/every-n/user.js';
import { escapeLatexText } from '../symbolic/proof.js';
import { parseCommandArgs } from './args.js';
import { parseFormat } from './prove.js';

export const deriveHelp = `dlnv derive — the gradient of a scalar expression with respect to one layer, for every depth N

Usage: dlnv derive "grad(<scalar expression>, W_j)" [--where "1 <= j <= N"] [--square] [--shapes …]
                   [--format text|md|tex] [--json]

Every interval product W[b:a] that contains W_j (a ≤ j ≤ b must follow from the side conditions) is split as
W[b:j+1] W_j W[j-1:a]; then the trace rule ∂tr(W_j B)/∂W_j = Bᵀ, ∂tr(W_jᵀB)/∂W_j = B applies to each
occurrence, and the result is normalized (merging intervals back). The matrices are never handed to mathjs
(it would reorder factors). Same syntax as 'dlnv prove' (docs/PROOFS.md); 1 ≤ j ≤ N is assumed when N occurs.

Example:
  dlnv derive "grad(1/2*norm2(W[N:1]*X - Y), W_j)"
  → W_{N:j+1}ᵀ W_{N:1} X Xᵀ W_{j−1:1}ᵀ − W_{N:j+1}ᵀ Y Xᵀ W_{j−1:1}ᵀ

Options:
  --where, --square, --shapes   as for 'dlnv prove'
  --format F                    text (default), md or tex
  --json                        the gradient (text and LaTeX), the side conditions and the steps as JSON

At small index values within the side conditions the result is checked against the concrete engine, which
differentiates the written-out product W_N⋯W_1 itself; a disagreement is reported (exit 1).

Exit code: 0 derived (and the instances agree); 1 when the instances disagree, or when it cannot decide whether
W_j is a factor of some W[b:a] (add --where); 2 bad usage.`;

export function deriveCommand(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('derive', argv, {
    where: { type: 'string' },
    square: { type: 'boolean' },
    shapes: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(deriveHelp);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`derive takes one expression "grad(f, W_j)" (quote it), got ${positionals.length} arguments`);
  const format = parseFormat(values.format);
  const r = deriveGradient(positionals[0], {
    where: values.where as string | undefined,
    square: values.square as boolean | undefined,
    shapes: values.shapes as string | undefined,
  });
  const bad = r.instances.filter((c) => !c.agrees);
  const at = (c: { indices: Readonly<Record<string, number>> }): string =>
    Object.entries(c.indices)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  const check =
    r.instances.length === 0
      ? 'instances: none could be written out (no index values within the side conditions)'
      : bad.length === 0
        ? `instances: the concrete engine's gradient of the written-out product agrees at ${r.instances.map(at).join('; ')}`
        : `instances: DISAGREES with the concrete engine at ${bad.map((c) => `${at(c)} (${c.detail})`).join('; ')}`;
  if (values.json) {
    const { value: _value, ...rest } = r;
    console.log(JSON.stringify(rest, null, 2));
    return bad.length === 0 ? 0 : 1;
  }
  const where = r.assumptions ? `under ${r.assumptions}` : 'no side conditions';
  if (format === 'tex') {
    console.log(
      [
        `\\subsection*{${escapeLatexText(r.expression)}}`,
        escapeLatexText(where),
        '\\begin{enumerate}',
        ...r.steps.map((s) => `  \\item \\textbf{${escapeLatexText(s.rule)}.} ${s.latex}`),
        '\\end{enumerate}',
        '',
        escapeLatexText(check),
      ].join('\n'),
    );
  } else if (format === 'md') {
    console.log(
      [
        `### ${r.expression}`,
        '',
        `*${where}*`,
        '',
        ...r.steps.map((s, i) => `${i + 1}. **${s.rule}**: \`${s.text}\``),
        '',
        check,
      ].join('\n'),
    );
  } else {
    console.log(
      [
        `∇ = ${r.gradient}`,
        `  ${where}`,
        ...r.steps.map((s, i) => `  ${String(i + 1).padStart(2)}. ${s.rule}: ${s.text}`),
        `  ${check}`,
      ].join('\n'),
    );
  }
  return bad.length === 0 ? 0 : 1;
}
