// Benchmarks (not timed tests): GFLOP/s of the dense kernels, median over repeats with the spread.
// Run with `npm run bench`. Inner loops allocate nothing: every output is preallocated before timing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Matrix } from '../src/linalg/matrix.js';
import { multiplyInto, type Op } from '../src/linalg/products.js';
import { frobeniusDistance, frobeniusNorm } from '../src/linalg/frobenius.js';
import { layerGradients } from '../src/model/gradients.js';
import { Rng } from '../src/random/rng.js';
import { gaussianMatrix } from '../src/random/gaussian-matrix.js';

const REPEATS = 15;
const TARGET_SECONDS_PER_REPEAT = 0.03;

interface Timing {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}

/**
 * GFLOP/s of `kernel` (which performs `flops` floating-point operations per call): a warm-up long enough for the
 * JIT, a calibration of the call count so one repeat lasts ~30 ms (timer resolution is then irrelevant), and
 * REPEATS timed repeats.
 */
function gflops(flops: number, kernel: () => void): Timing {
  const warmEnd = now() + 0.1;
  let calls = 0;
  while (now() < warmEnd) {
    kernel();
    calls++;
  }
  const perRepeat = Math.max(1, Math.round((calls / 0.1) * TARGET_SECONDS_PER_REPEAT));
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = now();
    for (let i = 0; i < perRepeat; i++) kernel();
    rates.push((flops * perRepeat) / (now() - start) / 1e9);
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(REPEATS / 2)], min: rates[0], max: rates[REPEATS - 1] };
}

function row(label: string, t: Timing, note = ''): void {
  const spread = `[${t.min.toFixed(2)} – ${t.max.toFixed(2)}]`;
  console.log(`${label.padEnd(44)} ${t.median.toFixed(2).padStart(7)} GFLOP/s  ${spread.padEnd(18)} ${note}`);
}

/**
 * Layer gradients of an N-layer network, ∇_{W_j} = W_{N:j+1}ᵀ (WX − Y) Xᵀ W_{j−1:1}ᵀ, as a plan of multiplyInto
 * steps over buffers allocated once: the allocation-free reference the model's layerGradients is compared with.
 */
class GradientPlan {
  readonly grads: Matrix[];
  /** Useful FLOPs of one evaluate(): Σ 2·rows·cols·inner over the planned products. */
  flops = 0;
  private readonly steps: (() => void)[] = [];

  constructor(weights: readonly Matrix[], x: Matrix, y: Matrix) {
    const n = weights.length, d0 = weights[0].cols, dN = weights[n - 1].rows;
    // below[j] = W_{j:1} (below[1] is W_1 itself); above[j] = W_{N:j+1} (above[N−1] is W_N itself).
    const below = [Matrix.identity(d0), weights[0]];
    for (let j = 2; j <= n; j++) {
      below.push(new Matrix(weights[j - 1].rows, d0));
      this.product(below[j], weights[j - 1], below[j - 1]);
    }
    const residual = new Matrix(dN, x.cols), g = new Matrix(dN, d0);
    this.product(residual, below[n], x);
    this.steps.push(() => {
      const r = residual.data, yd = y.data;
      for (let i = 0; i < r.length; i++) r[i] -= yd[i];
    });
    this.product(g, residual, x, 'n', 't');
    const above = new Array<Matrix>(n);
    above[n - 1] = weights[n - 1];
    for (let j = n - 2; j >= 1; j--) {
      above[j] = new Matrix(dN, weights[j].cols);
      this.product(above[j], above[j + 1], weights[j]);
    }
    this.grads = weights.map((w) => new Matrix(w.rows, w.cols));
    this.product(this.grads[0], above[1], g, 't', 'n');
    for (let j = 2; j < n; j++) {
      const left = new Matrix(weights[j - 1].rows, d0); // W_{N:j+1}ᵀ G
      this.product(left, above[j], g, 't', 'n');
      this.product(this.grads[j - 1], left, below[j - 1], 'n', 't');
    }
    this.product(this.grads[n - 1], g, below[n - 1], 'n', 't');
  }

  private product(out: Matrix, a: Matrix, b: Matrix, opA: Op = 'n', opB: Op = 'n'): void {
    this.flops += 2 * out.rows * out.cols * (opA === 'n' ? a.cols : a.rows);
    this.steps.push(() => multiplyInto(out, a, b, opA, opB));
  }

  evaluate(): void {
    for (const step of this.steps) step();
  }
}

function matmulSection(rng: Rng): void {
  console.log('\nmultiplyInto, square d×d (2d³ FLOPs per call)');
  for (const d of [4, 16, 64, 128]) {
    const a = gaussianMatrix(rng, d, d), b = gaussianMatrix(rng, d, d), out = new Matrix(d, d);
    for (const [opA, opB] of [['n', 'n'], ['n', 't'], ['t', 'n']] as [Op, Op][]) {
      row(`  d = ${d}, op = ${opA}${opB}`, gflops(2 * d ** 3, () => multiplyInto(out, a, b, opA, opB)));
    }
  }
}

function gradientSection(rng: Rng): void {
  const N = 4;
  console.log(`\nproduct + layer gradients, N = ${N}, all widths d, m = d samples (useful FLOPs only)`);
  for (const d of [4, 16, 64]) {
    const weights = Array.from({ length: N }, () => gaussianMatrix(rng, d, d, 1 / Math.sqrt(d)));
    const x = gaussianMatrix(rng, d, d), y = gaussianMatrix(rng, d, d);
    const ws = new GradientPlan(weights, x, y);
    ws.evaluate();
    // Sanity: the preallocated reference and the model's layerGradients compute the same thing.
    const model = layerGradients(weights, { X: x, Y: y });
    const mismatch = Math.max(...model.map((m, j) => frobeniusDistance(m, ws.grads[j]) / frobeniusNorm(m)));
    row(`  d = ${d}, preallocated multiplyInto`, gflops(ws.flops, () => ws.evaluate()), `(rel. diff to model ${mismatch.toExponential(1)})`);
    row(`  d = ${d}, model layerGradients`, gflops(ws.flops, () => layerGradients(weights, { X: x, Y: y })), '(allocates per call)');
  }
}

/** NumPy's matmul on the same sizes, single-threaded BLAS for a like-for-like figure; skipped when unavailable. */
function numpySection(): void {
  const candidates = ['../../bench/numpy/matmul.py', './numpy/matmul.py'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const script = candidates.find((p) => existsSync(p));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const result = script ? spawnSync('python3', [script, '4', '16', '64', '128'], { encoding: 'utf8', timeout: 60_000, env }) : undefined;
  if (!result || result.status !== 0) {
    console.log('\nNumPy reference: skipped (python3 with numpy not available)');
    return;
  }
  console.log('\nNumPy matmul (np.matmul(A, B, out=C), 1 BLAS thread)');
  process.stdout.write(result.stdout);
}

const rng = new Rng(2024);
console.log(`dlnv bench — node ${process.version}, ${REPEATS} repeats of ~${TARGET_SECONDS_PER_REPEAT * 1000} ms each: median [min – max]`);
matmulSection(rng);
gradientSection(rng);
numpySection();
