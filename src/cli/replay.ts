import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { catalogue } from '../../properties/index.js';
import { ClaimCodeFault } from '../claims/evaluate.js';
import { resolveClaimReference } from '../claims/load.js';
import { UsageError } from '../errors.js';
import { replayLines } from '../report/terminal.js';
import { parseReplayFile, replaySearch } from '../search/replay.js';
import { parseCommandArgs } from './args.js';

export const replayHelp = `dlnv replay — rebuild the instance of a 'dlnv search' replay file and check it again

Usage: dlnv replay FILE [--json]

FILE was written by 'dlnv search' (--out). It names the claim (a catalogue id, or a claim file and id: the
file is looked up next to the replay file first, then from the current folder), the seed, the fast-check
run and shrink steps, and the latent draws. The instance is rebuilt exactly and the check runs again: the
verdict (measured, bound, margin, error model) and the readable instance are printed, and whether the
recorded outcome reproduces.

Options:
  --json   print the result as JSON

Exit code: 0 when the replayed outcome is the claim's expected one (the FALSE variant still broken, or a
fixed claim now holding on the instance); 1 when the instance still breaks a claim expected to hold (or no
longer breaks a FALSE variant); 2 on bad usage or a malformed file (or one whose draws came from another
claim); 3 when the claim's check throws or returns no Verdict.`;

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('replay', argv, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(replayHelp);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(`replay takes one FILE (written by 'dlnv search'), got ${positionals.length}`);
  const name = positionals[0];
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (e) {
    throw new UsageError(`replay: cannot read '${name}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const file = parseReplayFile(text, name);
  let reference = file.claim.id;
  if (file.claim.file !== undefined) {
    const besideReplay = resolve(dirname(resolve(name)), file.claim.file);
    reference = `${existsSync(besideReplay) ? besideReplay : file.claim.file}#${file.claim.id}`;
  }
  const { claim } = await resolveClaimReference(reference, catalogue);
  let result: ReturnType<typeof replaySearch>;
  try {
    result = replaySearch(claim, file);
  } catch (e) {
    if (!(e instanceof ClaimCodeFault)) throw e;
    console.error(`dlnv: replay: ${claim.id}: the claim's own code broke (${e.kind}): ${e.message}`);
    return 3;
  }
  if (values.json)
    console.log(JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2));
  else for (const line of replayLines(result, name)) console.log(line);
  return result.status === 'pass' ? 0 : 1;
}
