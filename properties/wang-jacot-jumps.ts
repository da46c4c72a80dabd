import { JUMP_SETTING, jumpInstanceArb, summarizeJump } from '../src/arbitraries/wang-jacot.js';
import { type Claim, defineClaim } from '../src/claims/claim.js';
import { GRADIENT_ROUNDOFF, HESSIAN_ROUNDOFF } from '../src/landscape/regularized-minimum.js';
import { BR_SURROGATE_LABEL } from '../src/rank/spectra.js';
import { checkGdJumps, checkJumpsDown, GD_RUNS, GD_STEPS, type JumpOptions } from '../src/wang-jacot/index.js';
import type { JumpInstance } from '../src/wang-jacot/instances.js';

/**
 * The paper's result: for depth L ≥ 3 and small λ, η, SGD on the L2-regularized completion loss
 * F(θ) = C(A_θ) + λ‖θ‖² jumps from a rank-overestimating local minimum into a lower-rank set B_r with positive
 * probability and never leaves B_r again, while GD can stall at the minimum. The start is a certified local minimum
 * of rank 3 lying above a rank-2 one (src/wang-jacot/jumps.ts); B_r is replaced by a labelled surrogate.
 *
 * Z. Wang, A. Jacot, "Implicit bias of SGD in L2-regularized linear DNNs: One-way jumps from high to low rank",
 * ICLR 2024 (spotlight); arXiv:2305.16038 (WJ). Only the abstract could be read for this catalogue, so claims are
 * located in its sentences; everything else is derived here ([D]) and never worded as a theorem of the paper.
 */

const hypotheses = (trials: number, steps: number): string[] => [
  `d = ${JUMP_SETTING.d}, L = ${JUMP_SETTING.depth}, every entry observed, A* = U diag(${JUMP_SETTING.spectrum.join(', ')}) Vᵀ with Haar-like U, V`,
  'start: the balanced point with every mode at its stable equilibrium s_hi (rank 3), random hidden frames; certified a local minimum ' +
    '(gradient at round-off, Hessian positive definite off the gauge orbit) and above the rank-2 local minimum (mode 3 at 0) in F',
  `λ = ${JUMP_SETTING.lambdaFraction}·λ_c(y_3) (λ_c: the largest λ at which mode 3 has a positive minimum), η = ${JUMP_SETTING.eta}, fixed; ` +
    'WJ state the result for λ, η small enough without explicit thresholds, so whether this λ, η is inside them is not known',
  `${trials} single-entry SGD trials of ${steps} steps per instance; ${BR_SURROGATE_LABEL}`,
];

export function jumpsDownClaim(options: JumpOptions = {}): Claim<JumpInstance> {
  const trials = options.trials ?? JUMP_SETTING.trials,
    steps = options.steps ?? JUMP_SETTING.steps;
  return defineClaim({
    id: 'wj.jumps-down',
    title:
      'From a certified rank-overestimating local minimum (L = 3), SGD jumps to lower rank with positive probability; GD stays',
    statement:
      'For L ≥ 3 and small λ, η, SGD on the L2-regularized loss has a positive probability of jumping from a rank-overestimating local minimum into ' +
      'the lower-rank set B_r, and zero probability of leaving B_r again; GD can stall at the minimum. Measured as a frequency over trials with a ' +
      'Clopper–Pearson interval, never as a fixed-budget certainty; absorption as the number of trials that left B_r after entering it, ' +
      'with a 95% upper bound on the probability of leaving.',
    source: {
      paper: 'WJ',
      location:
        'abstract (one-way jumps from high to low rank, absorbing B_r for small λ, η); the theorem was not read ' +
        '(the ICLR 2024 reviews and a citing paper call it Theorem 3.2: secondary, unconfirmed); B_r replaced by a ' +
        'labelled surrogate',
      provenance: 'P',
    },
    hypotheses: hypotheses(trials, steps),
    instances: jumpInstanceArb(options),
    check: (i: JumpInstance) => checkJumpsDown(i, options),
    expected: 'holds',
    tolerance:
      'Statistical: pass when at least one trial jumped (Clopper–Pearson 95% lower bound > 0); inconclusive when none did or the start is not certified ' +
      '(never a failure: the event may be rare; at this setting at most 3 of 16 trials per seed of 1–200 missed, so all ' +
      `${trials} miss with probability ≈ (3/16)^${trials}); fail when a trial leaves B_r after entering it or GD leaves the certified minimum. ` +
      `Certificate: ‖∇F‖ ≤ ${GRADIENT_ROUNDOFF}ε(Σd)(‖∇C‖Π‖W‖ + 2λ‖θ‖); Hessian eigenvalues off the gauge orbit > ` +
      `τ = (2/d²)τ_H + ${HESSIAN_ROUNDOFF}n_pε‖H‖. Default ${trials} trials × ${steps} steps.`,
    runs: 1,
    summarize: summarizeJump,
  });
}

export const jumpsDownGdClaim = defineClaim({
  ...jumpsDownClaim({ trials: GD_RUNS, steps: GD_STEPS }),
  id: 'wj.jumps-down.gd',
  title: 'FALSE: full-batch GD started next to the rank-overestimating minimum also jumps to lower rank',
  statement:
    'The jump of wj.jumps-down without the sampling noise: full-batch GD with the same λ, η from a small perturbation of the certified rank-3 minimum ' +
    'reaches B_2. FALSE: the minimum is GD-stable (η·λ_max(H) < 2, Hessian positive definite off the gauge orbit), so GD returns to it.',
  source: {
    paper: 'WJ',
    location: 'FALSE variant of the abstract\'s contrast "GD might get stuck at rank-overestimating minima"; derived',
    provenance: 'D',
  },
  hypotheses: [
    ...hypotheses(GD_RUNS, GD_STEPS).slice(0, 3),
    `full-batch GD for ${GD_STEPS} steps from ${GD_RUNS} Gaussian perturbations of relative size 1e-2`,
  ],
  check: (i: JumpInstance) => checkGdJumps(i),
  expected: 'counterexample',
  tolerance: `Refuted when none of ${GD_RUNS} GD runs enters B_2 (a deterministic run that returns to the minimum).`,
  runs: 1,
});

export const wangJacotJumpClaims: Claim<any>[] = [jumpsDownClaim(), jumpsDownGdClaim];
