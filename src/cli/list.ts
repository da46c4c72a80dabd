import { catalogue } from '../../properties/index.js';
import { citation } from '../claims/claim.js';
import { UsageError } from '../errors.js';
import { catalogueMarkdown } from '../report/catalogue-markdown.js';
import { parseCommandArgs } from './args.js';

export const listHelp = `dlnv list — list the claim catalogue with sources

Usage: dlnv list [--json | --format md]

Each line: id, expected outcome (holds / counterexample for FALSE variants), provenance and source.
--json writes every claim record (statement, hypotheses, tolerance, …); --format md writes the Markdown page
docs/CATALOGUE.md is (its ids link to their entries in docs/THEORY.md).
Provenance: [P] stated in the paper, [D] derived (true, but not the paper's statement), [M] recalled
(unconfirmed against the paper text); [P/D] and [P/M] mix them exactly as THEORY.md does.`;

export function listCommand(argv: string[]): number {
  const { values } = parseCommandArgs('list', argv, {
    json: { type: 'boolean' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(listHelp);
    return 0;
  }
  if (values.format !== undefined && values.format !== 'md' && values.format !== 'text')
    throw new UsageError(`--format must be 'text' or 'md', got '${String(values.format)}'`);
  if (values.format === 'md') {
    process.stdout.write(catalogueMarkdown(catalogue));
    return 0;
  }
  if (values.json) {
    const rows = catalogue.map(({ id, title, statement, source, hypotheses, expected, tolerance }) => ({
      id,
      title,
      statement,
      source,
      hypotheses,
      expected,
      tolerance,
    }));
    console.log(JSON.stringify({ claims: rows }, null, 2));
    return 0;
  }
  const width = Math.max(...catalogue.map((c) => c.id.length));
  for (const c of catalogue)
    console.log(`${c.id.padEnd(width)}  ${c.expected.padEnd(14)}  ${citation(c.source)} — ${c.title}`);
  return 0;
}
