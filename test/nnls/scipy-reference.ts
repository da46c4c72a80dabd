import { spawnSync } from 'node:child_process';

/**
 * A python3 that can import scipy, or undefined. The default `python3` on PATH comes first, then Debian's
 * /usr/bin/python3 (which sees apt's python3-scipy).
 */
export function pythonWithScipy(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(candidate, ['-c', 'import scipy.optimize'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

const SCRIPT = `
import json, sys
import numpy as np
from scipy.optimize import nnls
problems = json.load(sys.stdin)
out = []
for p in problems:
    A = np.array(p["A"], dtype=float).reshape(p["m"], p["n"])
    b = np.array(p["b"], dtype=float)
    x, rnorm = nnls(A, b, maxiter=50 * p["n"])
    out.append({"x": x.tolist(), "rnorm": float(rnorm)})
json.dump(out, sys.stdout)
`;

export interface ScipyProblem {
  m: number;
  n: number;
  A: number[];
  b: number[];
}

/** Solve every problem with scipy.optimize.nnls in one python3 process (JSON over stdin/stdout). */
export function scipyNnls(python: string, problems: ScipyProblem[]): { x: number[]; rnorm: number }[] {
  const r = spawnSync(python, ['-c', SCRIPT], { input: JSON.stringify(problems), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python3 scipy.optimize.nnls failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
