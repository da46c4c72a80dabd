import { allProofs } from '../../proofs/index.js';
import { UsageError } from '../errors.js';
import { sci } from '../format.js';
import { renderProofResult } from '../symbolic/proof.js';
import { integerOption, parseCommandArgs } from './args.js';
import { humanOutput, reserveOutput } from './output-file.js';
import { DEFAULT_SEED } from './verify.js';

export const proofsHelp = `dlnv proofs — run every symbolic derivation and its numeric confirmation

Usage: dlnv proofs [--json FILE] [--format text|md|tex] [--only PATTERN] [--seed S]

Each proof reduces (lhs − rhs) to 0 in a non-commutative matrix algebra (or proves a polynomial identity
with mathjs), then confirms the result numerically (Taylor-remainder test or scale-aware identity check) on
a seeded random instance. A proof holds only when both parts do.

Options:
  --json FILE     write {proofs: [{id, statement, holds, symbolic, numeric: {status, measured, bound}}]}
  --format md     print the derivations as a Markdown page (default: one line per proof)
  --format tex    print them as a LaTeX document (Unicode text: compile with lualatex or xelatex)
  --only PATTERN  only the proofs whose id matches (* is a wildcard; a bare prefix matches, e.g. every-n:
                  the catalogue's derivations for symbolic depth N, see docs/PROOFS.md)
  --seed S        seed of the numeric confirmations (default ${DEFAULT_SEED})

Exit code: 0 iff every proof holds; 1 otherwise; 2 on bad usage.`;

/** "every-n" (a prefix), "every-n.*" or "*.drift*". */
function idMatches(id: string, pattern: string): boolean {
  if (!pattern.includes('*')) return id === pattern || id.startsWith(`${pattern}.`);
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(id);
}

const TEX_PREAMBLE = [
  '\\documentclass{article}',
  '\\usepackage{amsmath,amssymb,fontspec}',
  '\\usepackage[margin=2cm]{geometry}',
  '\\begin{document}',
  '\\section*{dlnv proofs}',
].join('\n');

export function proofsCommand(argv: string[]): number {
  const { values } = parseCommandArgs('proofs', argv, {
    json: { type: 'string' },
    format: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(proofsHelp);
    return 0;
  }
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'md' && format !== 'tex')
    throw new UsageError(`--format must be 'text', 'md' or 'tex', got '${format}'`);
  const seed =
    integerOption('seed', values.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? DEFAULT_SEED;
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const log = humanOutput(values.json as string | undefined);
  const only = values.only as string | undefined;
  const selected = only === undefined ? allProofs : allProofs.filter((p) => idMatches(p.id, only));
  if (selected.length === 0)
    throw new UsageError(`--only '${only}' matches no proof (ids: ${allProofs.map((p) => p.id).join(', ')})`);
  const results = selected.map((p) => p.run(seed));
  if (format === 'tex') log(TEX_PREAMBLE);
  if (format === 'md') log('# dlnv proofs\n');
  for (const r of results) {
    const numeric = `${r.numeric.status}: measured ${sci(r.numeric.measured)} vs bound ${sci(r.numeric.bound)}`;
    if (format === 'tex') log(renderProofResult(r, 'latex'));
    else if (format === 'md') {
      log(
        `## ${r.id} — ${r.holds ? 'holds' : 'DOES NOT HOLD'}\n\n${r.statement}\n\n${r.symbolic.text}\n\n*Numeric confirmation* (${r.numeric.errorModel}): ${numeric}. ${r.numeric.detail}\n`,
      );
    } else {
      log(
        `${r.holds ? 'HOLDS' : 'FAILS'}  ${r.id}  symbolic: ${r.symbolic.holds ? 'reduced to 0' : 'not proved'} (${r.symbolic.detail}); numeric ${numeric}`,
      );
    }
  }
  const held = results.filter((r) => r.holds).length;
  const summary = `${held} passed, ${results.length - held} failed (proofs)`;
  log(format === 'tex' ? `${summary}\n\\end{document}` : summary);
  writeJson?.(JSON.stringify({ seed, proofs: results }, null, 2));
  return held === results.length ? 0 : 1;
}
