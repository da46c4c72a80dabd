import { UsageError } from '../errors.js';
import { CHECKS } from '../gate/checks.js';
import { LARGE } from '../gate/instances.js';
import { OFFLINE_CHECKS } from '../gate/offline.js';
import { ENCODINGS, type Encoding, PROTOCOL_VERSION, ProtocolError } from '../gate/protocol.js';
import { checkLines, faultLine, gateReportJson, gateReportJunit, headerLine, summaryLine } from '../gate/report.js';
import { type GateReport, runGate, runTrajectory } from '../gate/runner.js';
import { protocolSchemaText } from '../gate/schema.js';
import { SAFETY } from '../gate/tolerance.js';
import { integerOption, parseCommandArgs } from './args.js';
import { humanOutput, reserveOutput } from './output-file.js';
import { type Progress, progressLine } from './progress.js';

export const DEFAULT_GATE_RUNS = 100;
export const DEFAULT_GATE_SEED = 1;
const DEFAULT_TIMEOUT = 10;
const DEFAULT_STARTUP_TIMEOUT = 60;

const checkList = CHECKS.map((c) => `  ${c.name.padEnd(14)}${c.summary}`).join('\n');
const offlineList = OFFLINE_CHECKS.map((c) => `  ${c.name.padEnd(14)}${c.summary}`).join('\n');

export const gateHelp = `dlnv gate — fail a CI build when an implementation of a deep linear network contradicts the theory

Usage: dlnv gate --impl COMMAND [--checks LIST] [--runs R] [--seed S] [--json FILE] [--junit FILE]
       dlnv gate --trajectory FILE.{json,npz,npy} [--json FILE] [--junit FILE]
       dlnv gate --schema

Your implementation is any command that speaks the gate protocol (version ${PROTOCOL_VERSION}, docs/PROTOCOL.md): dlnv
starts it, writes one JSON request per line on its stdin (hello, loss, gradients, gd_step, sgd_step, and
optionally end_to_end_operator, balanced_init, trajectory) and reads one JSON answer per line from its stdout.
The handshake declares its dtype (float64 | float32) and conventions (loss_scale half|sum|mean|mean_samples|
mean_entries — nn.MSELoss() is mean_entries — with an optional loss_factor, weight_decay canonical|wj|none, layout
columns|rows); dlnv converts, never guesses. Copy examples/numpy_dln.py or examples/torch_dln.py (with
examples/gate_protocol.py) and call your own code from it, or gate a PyTorch model with no protocol code:
examples/torch_module_adapter.py --model package.module:factory. An instance your code cannot serve may be
answered {"id": …, "unsupported": "reason"}: it is skipped and counted, the run goes on.

Checks (each on seeded random instances: square, rectangular, bottleneck and ill-conditioned networks, and every
tenth a large one: widths up to ${LARGE.width}, depth up to ${LARGE.depth}, up to ${LARGE.samples} samples, full-double hyperparameters):
${checkList}

Tolerances follow the declared dtype: ‖expected − received‖ ≤ ${SAFETY}·ε_dtype·(‖expected‖ + ‖received‖ + scale),
scale = the size of the terms the value is built from. Every failure prints the check, the instance and its
seed, expected and received values, the relative error, the error model and a replay command.

Options:
  --impl CMD          the command to start (run by sh, e.g. "python3 my_dln.py --float32")
  --checks LIST       only these checks (comma-separated or repeated); default: all the handshake allows
  --runs R            instances per check (default ${DEFAULT_GATE_RUNS}; end-to-end, sgd-rank, balanced-init run R/2,
                      trajectory R/4)
  --seed S            global seed (default ${DEFAULT_GATE_SEED}); the same seed asks the same questions
  --instance I        run only instance I of each selected check (the replay printed after a failure)
  --timeout SEC       per-request timeout (default ${DEFAULT_TIMEOUT}); --startup-timeout SEC for the handshake
                      (default ${DEFAULT_STARTUP_TIMEOUT}: interpreters and imports take a while)
  --encoding E        matrix encoding json | base64 (default: base64 when the implementation reads it)
  --trajectory FILE   check a recorded run instead (no command is started): JSON as in the protocol schema,
                      or NumPy .npz with arrays W1..WN of shape (steps+1, d_j, d_{j-1}) and optional X, Y,
                      losses, lr, weight_decay, loss_scale, loss_factor, weight_decay_form, layout, optimizer ('gd'|'sgd'),
                      or one .npy of shape (steps+1, N, d, d); a record of only W(t): JSON "product" (with
                      "depth", "balanced_start") or .npz array W of shape (steps+1, d_N, d_0). Checks:
${offlineList.replace(/^/gm, '    ')}
  --json FILE         write the report as JSON
  --junit FILE        write JUnit XML (one testcase per check)
  --schema            print the protocol's JSON Schema (docs/protocol.schema.json) and exit

Exit code: 0 every check passed; 1 a theory check failed; 2 bad usage or a protocol fault (the implementation
crashed, hung past the timeout, printed non-JSON on stdout, answered with a wrong shape, NaN or an error,
or exited early) — reported in one line with the tail of its stderr. No process is left behind.
Example: dlnv gate --impl "python3 examples/numpy_dln.py" --junit gate.xml`;

function listOption(raw: unknown): string[] | undefined {
  const values = (raw as string[] | undefined)
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return values && values.length > 0 ? values : undefined;
}

export async function gateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('gate', argv, {
    impl: { type: 'string' },
    trajectory: { type: 'string' },
    checks: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seed: { type: 'string' },
    instance: { type: 'string' },
    timeout: { type: 'string' },
    'startup-timeout': { type: 'string' },
    encoding: { type: 'string' },
    json: { type: 'string' },
    junit: { type: 'string' },
    schema: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(gateHelp);
    return 0;
  }
  if (values.schema) {
    process.stdout.write(protocolSchemaText());
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(
      `gate: unexpected argument '${positionals[0]}' (quote the command: --impl "python3 my_dln.py")`,
    );
  const impl = values.impl as string | undefined;
  const trajectory = values.trajectory as string | undefined;
  if ((impl === undefined) === (trajectory === undefined))
    throw new UsageError("gate: give --impl COMMAND or --trajectory FILE (see 'dlnv gate --help')");
  if (impl !== undefined && impl.trim().length === 0) throw new UsageError('--impl: the command is empty');
  const runs =
    integerOption('runs', values.runs, (n) => Number.isInteger(n) && n >= 1, 'a positive integer') ?? DEFAULT_GATE_RUNS;
  const seed =
    integerOption(
      'seed',
      values.seed,
      (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
      'an integer in [0, 2^32)',
    ) ?? DEFAULT_GATE_SEED;
  const instance = integerOption(
    'instance',
    values.instance,
    (n) => Number.isInteger(n) && n >= 0,
    'a non-negative integer',
  );
  const timeout =
    integerOption('timeout', values.timeout, (n) => n > 0, 'a positive number of seconds') ?? DEFAULT_TIMEOUT;
  const startup =
    integerOption('startup-timeout', values['startup-timeout'], (n) => n > 0, 'a positive number of seconds') ??
    DEFAULT_STARTUP_TIMEOUT;
  const encoding = values.encoding as string | undefined;
  if (encoding !== undefined && !ENCODINGS.includes(encoding as Encoding))
    throw new UsageError(`--encoding must be ${ENCODINGS.join(' or ')}, got '${encoding}'`);
  const checks = listOption(values.checks);
  if (trajectory !== undefined && (checks || values.runs || values.instance || values.encoding)) {
    throw new UsageError(
      '--trajectory checks a recorded run: --checks, --runs, --instance and --encoding apply to --impl only',
    );
  }
  const writeJson = reserveOutput('--json', values.json as string | undefined);
  const writeJunit = reserveOutput('--junit', values.junit as string | undefined);
  const log = humanOutput(values.json as string | undefined, values.junit as string | undefined);

  let report: GateReport;
  try {
    if (trajectory !== undefined) report = runTrajectory(trajectory);
    else {
      let progress: Progress | undefined;
      let current = '';
      report = await runGate({
        command: impl!,
        checks,
        runs,
        seed,
        instance,
        timeoutMs: timeout * 1000,
        startupTimeoutMs: startup * 1000,
        ...(encoding ? { encoding: encoding as Encoding } : {}),
        onProgress: (check, done, total) => {
          if (check !== current) {
            progress?.clear();
            progress = progressLine(`gate ${check}`, { total });
            current = check;
          }
          progress?.update(done);
        },
      });
      progress?.clear();
    }
  } catch (e) {
    if (e instanceof ProtocolError) {
      console.error(`dlnv gate: ${e.line()}`);
      return 2;
    }
    throw e;
  }
  if (report.implementation || report.mode === 'trajectory') log(headerLine(report));
  for (const c of report.checks) for (const line of checkLines(c)) log(line);
  if (report.checks.length > 0 || !report.fault) log(summaryLine(report));
  const fault = faultLine(report);
  if (fault) console.error(fault);
  writeJson?.(gateReportJson(report));
  writeJunit?.(gateReportJunit(report));
  return report.exitCode;
}
