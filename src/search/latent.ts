import { type DrawTape, withDrawTape } from '../random/rng.js';

/**
 * The continuous handle of the targeted search: the latent draws of an instance's construction.
 *
 * Every dlnv instance is built as `seeded(parameters, build)`: shrinkable parameters, then a Gaussian stream from
 * an Rng. While a build runs inside `withLatent`, each top-level draw of any Rng — `gaussian()` (and so
 * `fillGaussian`) and `uniform()` (and so `integer`) — is recorded, in call order, as one latent coordinate; given a
 * recorded point, the same build returns the stored values instead. Moving the latent point moves the matrix
 * entries, orthonormal frames, step sizes… of the instance continuously, for every seeded claim, with no change to
 * the claim. Outside `withLatent` the Rng behaves exactly as before (one extra property read per draw).
 *
 * The Rng itself passes its draws through the active tape (src/random/rng.ts withDrawTape), shared by every loaded
 * copy of dlnv.
 */

/**
 * The draws of one build, in order: values[k] is the k-th draw, kinds[k] its kind — 'g' a standard normal draw
 * (stored as is), 'u' a uniform draw in [0, 1) (stored as the uniform value). Plain JSON.
 */
export interface LatentPoint {
  readonly values: readonly number[];
  readonly kinds: string;
}

interface Session extends DrawTape {
  readonly replay: LatentPoint | undefined;
  readonly values: number[];
  kinds: string;
  cursor: number;
}

/** Logistic approximation of Φ (max error 0.01): only used to move a uniform draw in latent (normal) units. */
const LOGISTIC = 1.702;
const U_MIN = 2 ** -53,
  U_MAX = 1 - 2 ** -53;
export function uniformToNormal(u: number): number {
  const c = Math.min(U_MAX, Math.max(U_MIN, u));
  return Math.log(c / (1 - c)) / LOGISTIC;
}
export function normalToUniform(z: number): number {
  return Math.min(U_MAX, Math.max(U_MIN, 1 / (1 + Math.exp(-LOGISTIC * z))));
}

/**
 * Run `build` with the latent stream active: draws come from `replay` (when given, as far as it reaches) and are
 * recorded. Returns the build's result and the latent point it actually used (replayed prefix + fresh draws).
 * Sessions nest (the inner one is restored on exit); `build` must be synchronous.
 */
export function withLatent<T>(replay: LatentPoint | undefined, build: () => T): { value: T; latent: LatentPoint } {
  const session: Session = {
    replay,
    values: [],
    kinds: '',
    cursor: 0,
    record(kind, raw) {
      const k = this.cursor++;
      let out = raw;
      if (replay && k < replay.values.length) {
        const stored = replay.values[k],
          storedKind = replay.kinds[k];
        out = storedKind === kind ? stored : kind === 'u' ? normalToUniform(stored) : uniformToNormal(stored);
      }
      this.values.push(out);
      this.kinds += kind;
      return out;
    },
  };
  const value = withDrawTape(session, build);
  return { value, latent: { values: session.values, kinds: session.kinds } };
}

/**
 * How far a moved Gaussian draw may go (in standard deviations). The search looks for instances the claim's
 * generator could plausibly draw: a "counterexample" built from a 20σ draw would break the hypotheses the
 * generator encodes (an init scale, a condition number…) rather than the claim. P(|z| > 4) = 6e-5 per draw.
 */
export const LATENT_BOX = 4;

/**
 * Move the coordinates in `indices` by `steps` (normal units), Gaussian draws kept within ±LATENT_BOX; all others
 * keep their exact stored value, so an unmoved coordinate replays bit for bit.
 */
export function moveLatent(point: LatentPoint, indices: readonly number[], steps: readonly number[]): LatentPoint {
  const values = [...point.values];
  indices.forEach((k, j) => {
    if (point.kinds[k] === 'u') values[k] = normalToUniform(uniformToNormal(values[k]) + steps[j]);
    else values[k] = Math.min(LATENT_BOX, Math.max(-LATENT_BOX, values[k] + steps[j]));
  });
  return { values, kinds: point.kinds };
}

/** Round every Gaussian coordinate to `decimals` places (uniform draws keep their value). */
export function roundLatent(point: LatentPoint, decimals: number): LatentPoint {
  const f = 10 ** decimals;
  return {
    values: point.values.map((v, k) => (point.kinds[k] === 'g' ? Math.round(v * f) / f : v)),
    kinds: point.kinds,
  };
}

export function sameLatent(a: LatentPoint, b: LatentPoint): boolean {
  return (
    a.kinds === b.kinds && a.values.length === b.values.length && a.values.every((v, k) => Object.is(v, b.values[k]))
  );
}
