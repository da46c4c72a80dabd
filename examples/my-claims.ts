/**
 * Your own claims, written with the same API as dlnv's catalogue (properties/): each is plain data (statement,
 * source, hypotheses, tolerance) plus an instance generator and a check that returns a verdict.
 *
 *   npx dlnv verify --claims-file examples/my-claims.ts              run them (TypeScript: no build step)
 *   npx dlnv search examples/my-claims.ts#mine.product-contracts     look for a counterexample
 *   npx dlnv replay mine.product-contracts.replay.json               re-run the one it found
 */
import {
  checkTaylor,
  compare,
  defineClaim,
  dimension,
  frobeniusInner,
  layerGradients,
  loss,
  matrixWithSpectrum,
  multiply,
  networkInstanceArb,
  seeded,
  svd,
} from 'dlnv';

/** A true claim: the layer gradients are the derivative of the loss (Taylor-remainder test, slope 2). */
const gradient = defineClaim({
  id: 'mine.gradient',
  title: 'layer gradients are the derivative of ½‖W_N⋯W_1X − Y‖²',
  statement: 'For every network and data, Σ_j ⟨∇_{W_j}L, ξ_j⟩ is the directional derivative of L along ξ.',
  source: { paper: 'my notes', location: 'chain rule', provenance: 'D' },
  hypotheses: ['depth 1–4, widths 1–4, Gaussian weights and data'],
  instances: networkInstanceArb({ depth: [1, 4] }),
  check: (net) =>
    checkTaylor((w) => loss(w, net.data), net.weights, net.direction, {
      derivative: layerGradients(net.weights, net.data).reduce((s, g, j) => s + frobeniusInner(g, net.direction[j]), 0),
    }),
  expected: 'holds',
  tolerance: 'Taylor test: slope 2 over at least two decades above the round-off floor',
  runs: 50,
});

/**
 * A conjecture that survives random testing but is false: its counterexamples need the top singular vectors of
 * consecutive layers to line up, a thin region random instances almost never reach. `dlnv verify` passes it;
 * `dlnv search` breaks it in a few hundred evaluations and shrinks the instance to 2×2 layers.
 */
const productContracts = defineClaim({
  id: 'mine.product-contracts',
  title: 'a depth-3 product of layers with spectrum (1, ½, ¼, …) contracts by at least 1e-4',
  statement: 'W_j = U_j diag(1, ½, …) V_jᵀ with random orthogonal U_j, V_j, d = 2..4: ‖W_3W_2W_1‖_2 ≤ 1 − 1e-4.',
  source: { paper: 'my notes', location: 'conjecture', provenance: 'D' },
  hypotheses: ['square layers, d ∈ [2, 4], depth 3', 'singular values 2^{−i}, Haar singular vectors'],
  // dimension first (it shrinks), then the Gaussian stream that fills the orthogonal factors.
  instances: seeded(dimension(2, 4), (d, rng) =>
    [0, 1, 2].map(() =>
      matrixWithSpectrum(
        rng,
        d,
        d,
        Array.from({ length: d }, (_, i) => 2 ** -i),
      ),
    ),
  ),
  check: ([w1, w2, w3]) => {
    const norm = svd(multiply(w3, multiply(w2, w1))).s[0];
    return compare({
      measured: norm,
      bound: 1 - 1e-4,
      errorModel: 'exact bound (round-off ~1e-16)',
      detail: `‖W_3W_2W_1‖_2 = ${norm.toPrecision(8)}`,
    });
  },
  expected: 'holds',
  tolerance: 'none beyond the 1e-4 gap',
  runs: 200,
  summarize: (layers) => layers.map((w) => w.toArray().map((row) => row.map((x) => Number(x.toPrecision(4))))),
});

/** A FALSE variant, met at once: GD (unlike gradient flow) does not conserve the balancedness a² − b². */
const gdConserves = defineClaim({
  id: 'mine.gd-conserves-balance',
  title: 'FALSE: one GD step on ½(ab − y)² keeps a² − b²',
  statement:
    'For the scalar network ab and one GD step of size η: a₁² − b₁² = a₀² − b₀². FALSE: it changes by −η²r²(a₀² − b₀²), r = a₀b₀ − y.',
  source: { paper: 'my notes', location: 'flow vs GD', provenance: 'D' },
  hypotheses: ['a, b, y ~ N(0, 1)', 'η = 0.1'],
  instances: seeded(dimension(1, 1), (_d, rng) => ({ a: rng.gaussian(), b: rng.gaussian(), y: rng.gaussian() })),
  check: ({ a, b, y }) => {
    const eta = 0.1,
      r = a * b - y;
    const a1 = a - eta * r * b,
      b1 = b - eta * r * a;
    const drift = Math.abs(a1 * a1 - b1 * b1 - (a * a - b * b));
    const bound = 8 * Number.EPSILON * (a * a + b * b + a1 * a1 + b1 * b1);
    return compare({
      measured: drift,
      bound,
      errorModel: '8ε(a² + b² + a₁² + b₁²)',
      detail: `|Δ(a² − b²)| = ${drift.toExponential(3)}`,
    });
  },
  expected: 'counterexample',
  tolerance: 'a few ulps of the squares',
});

export const claims = [gradient, productContracts, gdConserves];
