import { DlnvError, UsageError } from '../errors.js';
import { classifyCommand, classifyHelp } from './classify.js';
import { listCommand, listHelp } from './list.js';
import { proofsCommand, proofsHelp } from './proofs.js';
import { verifyCommand, verifyHelp } from './verify.js';

const mainHelp = `dlnv — check theory claims about deep linear networks, symbolically and numerically

Usage: dlnv <command> [options]        (dlnv <command> --help for details)

Commands:
  verify    run the built-in claim catalogue (THEORY.md) on seeded random instances; the main job
  list      list the claims with their provenance ([P] paper, [D] derived, [M] recalled) and sources
  proofs    run the symbolic derivations (layer gradients, conservation, GD drift, metric, Hessian)
            and confirm each numerically
  classify  classify a parameter point given as JSON (global minimum / strict / non-strict saddle)
            with a certificate

Start here:
  dlnv verify                           every claim, default budget, seed ${1}
  dlnv verify --claims 'flow.*' --json r.json
  dlnv proofs --format md

Exit codes: 0 all good, 1 a claim or proof failed, 2 bad usage or input.`;

const commands: Record<string, { run: (argv: string[]) => number | Promise<number>; help: string }> = {
  verify: { run: verifyCommand, help: verifyHelp },
  list: { run: listCommand, help: listHelp },
  proofs: { run: proofsCommand, help: proofsHelp },
  classify: { run: classifyCommand, help: classifyHelp },
};

/** Run the CLI; every error becomes one line on stderr and a non-zero exit code, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] ? commands[rest[0]] : undefined;
    console.log(topic ? topic.help : mainHelp);
    return 0;
  }
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(commands).join(', ')}; see 'dlnv --help')`);
    return await command.run(rest);
  } catch (e) {
    if (e instanceof DlnvError) {
      console.error(`dlnv: ${e.message}`);
      return e.code === 'usage' ? 2 : 1;
    }
    console.error(`dlnv: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
