/**
 * A tape that sees every top-level draw — a gaussian() or uniform() not made inside another draw — and may replace
 * its value. This is how `dlnv search` moves a seeded instance continuously (src/search/latent.ts). It is kept on
 * globalThis so that every loaded copy of dlnv (a user's claim file may bring its own) shares the active tape.
 */
export interface DrawTape {
  record(kind: 'g' | 'u', value: number): number;
}

const TAPE = Symbol.for('dlnv.rng.draw-tape');
type TapeState = { tape: DrawTape | undefined; depth: number };
const globals = globalThis as Record<symbol, unknown>;
const active: TapeState =
  (globals[TAPE] as TapeState | undefined) ?? (globals[TAPE] = { tape: undefined, depth: 0 } as TapeState);

/** Run `build` with every top-level draw passing through `tape`; the previous tape is restored afterwards. */
export function withDrawTape<T>(tape: DrawTape, build: () => T): T {
  const { tape: previous, depth } = active;
  active.tape = tape;
  active.depth = 0;
  try {
    return build();
  } finally {
    active.tape = previous;
    active.depth = depth;
  }
}

/**
 * A small seeded generator (xoshiro128**, 32-bit state words) with float64 uniforms built from 53 random bits
 * and standard normals by Box–Muller. Every random instance in dlnv comes from one of these, so a seed replays it.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  constructor(seed: number) {
    // splitmix32 expands the seed into four non-zero state words.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5,
      lo = this.nextUint32() >>> 6;
    const u = (hi * 67108864 + lo) / 9007199254740992;
    return active.tape && active.depth === 0 ? active.tape.record('u', u) : u;
  }

  /** An integer uniform in [lo, hi] (inclusive). */
  integer(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** A standard normal draw. */
  gaussian(): number {
    const tape = active.tape;
    if (!tape) return this.boxMuller();
    // The generator's own state advances exactly as without a tape; only the returned value may be replaced.
    active.depth++;
    let z: number;
    try {
      z = this.boxMuller(); // its uniform() calls are inner draws, not recorded
    } finally {
      active.depth--;
    }
    return active.depth === 0 ? tape.record('g', z) : z;
  }

  private boxMuller(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fill `out` with N(0, scale²) draws. */
  fillGaussian(out: Float64Array, scale = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = scale * this.gaussian();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
