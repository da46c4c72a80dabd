import { DlnvError, UsageError } from '../errors.js';
import { installation } from '../installation.js';

/** One `dlnv` command: its line in `dlnv --help`, and how to load it (its run function and its --help text). */
export interface Command {
  /** One line (wrapped lines start with spaces) for the command list of `dlnv --help`. */
  readonly summary: string;
  /** Loaded on use, so `dlnv --help` and light commands do not pay for the catalogue, mathjs, esbuild… */
  readonly load: () => Promise<{ readonly run: (argv: string[]) => number | Promise<number>; readonly help: string }>;
}

/**
 * The commands, in the order `dlnv --help` lists them. To add one: write src/cli/<name>.ts exporting
 * `<name>Command(argv): number | Promise<number>` and `<name>Help`, and add a row here.
 */
export const commands: Record<string, Command> = {
  verify: {
    summary: 'run the claim catalogue (THEORY.md) or your own claims on seeded random instances; the main job',
    load: async () => import('./verify.js').then((m) => ({ run: m.verifyCommand, help: m.verifyHelp })),
  },
  list: {
    summary: 'list the claims with their provenance ([P] paper, [D] derived, [M] recalled) and sources',
    load: async () => import('./list.js').then((m) => ({ run: m.listCommand, help: m.listHelp })),
  },
  proofs: {
    summary:
      'run the symbolic derivations (layer gradients, conservation, GD drift, metric, Hessian)\n            and confirm each numerically',
    load: async () => import('./proofs.js').then((m) => ({ run: m.proofsCommand, help: m.proofsHelp })),
  },
  prove: {
    summary:
      'prove an identity of matrix products for every depth N: PROVED with the derivation,\n            REFUTED with a counterexample, or UNDECIDED with the remainder',
    load: async () => import('./prove.js').then((m) => ({ run: m.proveCommand, help: m.proveHelp })),
  },
  derive: {
    summary: 'derive the gradient of a scalar expression with respect to a layer W_j, for every depth N',
    load: async () => import('./derive.js').then((m) => ({ run: m.deriveCommand, help: m.deriveHelp })),
  },
  classify: {
    summary:
      'classify a parameter point given as JSON (global minimum / strict / non-strict saddle)\n            with a certificate',
    load: async () => import('./classify.js').then((m) => ({ run: m.classifyCommand, help: m.classifyHelp })),
  },
  simulate: {
    summary:
      'run a configured training (GD/SGD/Adam…, weight decay) and write its trajectory and rank\n            events as JSON; --plot draws singular values over steps',
    load: async () => import('./simulate.js').then((m) => ({ run: m.simulateCommand, help: m.simulateHelp })),
  },
  gate: {
    summary:
      'CI gate for another implementation (any language, JSON Lines over stdin/stdout), or a recorded\n            trajectory: gradients, drift identity, end-to-end law, rank, A_W',
    load: async () => import('./gate.js').then((m) => ({ run: m.gateCommand, help: m.gateHelp })),
  },
  search: {
    summary:
      'look for the smallest instance that breaks a claim: fast-check, then a targeted search,\n            then shrinking; writes a replay file',
    load: async () => import('./search.js').then((m) => ({ run: m.searchCommand, help: m.searchHelp })),
  },
  replay: {
    summary: "rebuild a 'dlnv search' replay file's instance and check it again",
    load: async () => import('./replay.js').then((m) => ({ run: m.replayCommand, help: m.replayHelp })),
  },
  merge: {
    summary: "combine the --json reports of 'dlnv verify --shard i/n' runs into one report (JSON, HTML, JUnit)",
    load: async () => import('./merge.js').then((m) => ({ run: m.mergeCommand, help: m.mergeHelp })),
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const list = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(Math.max(8, width))}  ${c.summary}`);
  return `dlnv — check theory claims about deep linear networks, symbolically and numerically

Usage: dlnv <command> [options]        (dlnv <command> --help for details; dlnv --version)

Commands:
${list.join('\n')}

Start here:
  dlnv verify                           every claim, default budget, seed 1
  dlnv verify --claims 'flow.*' --json r.json --html r.html
  dlnv verify --claims-file my-claims.ts
  dlnv search my-claims.ts#my.claim     find (and shrink) a counterexample
  dlnv proofs --format md

Exit codes: 0 all good, 1 a claim or proof failed, 2 bad usage or input, 3 a claim's own code errored or
timed out, 4 a claim could not be decided (its checks were inconclusive).`;
}

/** Run the CLI; every error becomes one line on stderr and a non-zero exit code, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const known = (n: string | undefined): Command | undefined =>
    n !== undefined && Object.hasOwn(commands, n) ? commands[n] : undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? known(rest[0]) : undefined;
      console.log(topic ? (await topic.load()).help : mainHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      console.log(installation().version);
      return 0;
    }
    const command = known(name);
    if (!command)
      throw new UsageError(
        `unknown command '${name}' (commands: ${Object.keys(commands).join(', ')}; see 'dlnv --help')`,
      );
    return await (await command.load()).run(rest);
  } catch (e) {
    if (e instanceof DlnvError) {
      console.error(`dlnv: ${e.message}`);
      return e.code === 'usage' || e.code === 'protocol' ? 2 : 1;
    }
    console.error(`dlnv: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
