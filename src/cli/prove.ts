import { UsageError } from '../errors.js';
import { type ResultFormat, renderResult } from '../symbolic/every-n/render.js';
import { proveStatement } from '../symbolic/every-n/user.js';
import { integerOption, parseCommandArgs } from './args.js';

export const proveHelp = `dlnv prove — prove an identity between matrix expressions for every depth N

Usage: dlnv prove "<lhs> == <rhs>" [--where "1 <= j < N"] [--square] [--shapes "X: d_0 x m"]
                  [--format text|md|tex] [--json] [--seed S]

The two sides are expanded in a non-commutative algebra of interval products W[b:a] = W_b⋯W_a with symbolic
bounds, transposes, traces and sums, and lhs − rhs is normalized under the side conditions. The answer is
  PROVED     lhs − rhs reduced to 0 (every rewrite listed with its side condition), and random numeric
             instances at small N agree;
  REFUTED    a numeric counterexample: index values, random sizes, seed, ‖lhs − rhs‖ against the round-off bound;
  UNDECIDED  what remains after normalization (a rewrite's side condition did not follow, or the rules do not
             reach the identity) and no counterexample was found. Never a guess.

Syntax (docs/PROOFS.md):
  W[b:a]          interval product (b, a affine in N, j…); W[b:a] = I when a > b;  W[i] or W_i: one layer
  A B, A*B        product in the order written;  A', A^T  transpose;  + −  and rational constants (1/2)
  X, Y, G…        matrices (uppercase; shapes inferred, or --shapes);  eta, λ, t…  scalars (lowercase or Greek)
  tr(A)  <A, B>  norm2(A)  I  sum(j=1..N, body)
Families written with brackets (and W) are shaped like layers, d_i × d_{i−1}; --square makes every size n
(then a misplaced transpose type-checks and must be caught by the algebra or the numbers).

Options:
  --where TEXT    side conditions on the indices: "1 <= j < N", "0 <= j <= N, k == j + 1" (N ≥ 1 and 1 ≤ i ≤ N
                  for each single layer W_i are added when N occurs)
  --square        every dimension n
  --shapes TEXT   shapes of plain symbols, "X: d_0 x m, Y: d_N x m"
  --format F      text (default), md or tex
  --json          print the result as JSON (answer, steps with rule/text/latex, remainder, numeric instances)
  --seed S        seed of the numeric instances (default 1); a counterexample replays with the same seed

Examples:
  dlnv prove "W[N:j+1] W[j:1] == W[N:1]" --where "0 <= j <= N"
  dlnv prove "sum(k=1..N, W[N:k+1] V[k] W[k-1:1]) == sum(k=0..N-1, W[N:k+2] V[k+1] W[k:1])"
  dlnv prove "(A B)' == A' B'" --square

Exit code: 0 PROVED, 1 REFUTED, 4 UNDECIDED (as for claims that could not be decided), 2 bad usage (a syntax
error names its column).`;

export function parseFormat(raw: unknown): ResultFormat {
  const f = (raw as string | undefined) ?? 'text';
  if (f !== 'text' && f !== 'md' && f !== 'tex') throw new UsageError(`--format must be text, md or tex, got '${f}'`);
  return f;
}

export function proveCommand(argv: string[]): number {
  const { values, positionals } = parseCommandArgs('prove', argv, {
    where: { type: 'string' },
    square: { type: 'boolean' },
    shapes: { type: 'string' },
    format: { type: 'string' },
    json: { type: 'boolean' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(proveHelp);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`prove takes one statement "lhs == rhs" (quote it), got ${positionals.length} arguments`);
  const format = parseFormat(values.format);
  const seed = integerOption('seed', values.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
  const r = proveStatement(positionals[0], {
    where: values.where as string | undefined,
    square: values.square as boolean | undefined,
    shapes: values.shapes as string | undefined,
    seed,
  });
  console.log(values.json ? JSON.stringify(r, null, 2) : renderResult(r, format));
  return r.answer === 'PROVED' ? 0 : r.answer === 'REFUTED' ? 1 : 4;
}
