import { citation } from '../claims/claim.js';
import { catalogue } from '../../properties/index.js';
import { parseCommandArgs } from './args.js';

export const listHelp = `dlnv list — list the claim catalogue with sources

Usage: dlnv list [--json]

Each line: id, expected outcome (holds / counterexample for FALSE variants), provenance and source.
Provenance: [P] stated in the paper, [D] derived (true, but not the paper's statement), [M] recalled
(unconfirmed against the paper text); [P/D] and [P/M] mix them exactly as THEORY.md does.`;

export function listCommand(argv: string[]): number {
  const { values } = parseCommandArgs('list', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    console.log(listHelp);
    return 0;
  }
  if (values.json) {
    const rows = catalogue.map(({ id, title, statement, source, hypotheses, expected, tolerance }) => ({ id, title, statement, source, hypotheses, expected, tolerance }));
    console.log(JSON.stringify({ claims: rows }, null, 2));
    return 0;
  }
  const width = Math.max(...catalogue.map((c) => c.id.length));
  for (const c of catalogue) console.log(`${c.id.padEnd(width)}  ${c.expected.padEnd(14)}  ${citation(c.source)} — ${c.title}`);
  return 0;
}
