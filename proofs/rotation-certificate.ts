/**
 * THEORY §3, Lemma R: at a critical point (whitened, scale "sum") with i ∈ S, j ∉ S, rotating both ends by t
 * changes only the 2×2 block of P = W_{N:1} and Q on span(u_i, u_j) × span(v_i, v_j), where Q = diag(σ_i, σ_j) and
 * P(t) = σ_i (c, s)ᵀ(c, s), c = cos t, s = sin t.
 *
 * Symbolic (exact rational polynomial algebra): ‖P(t) − Q‖² − ‖P(0) − Q‖² = (σ_ic² − σ_i)² + 2σ_i²c²s² +
 * (σ_is² − σ_j)² − σ_j² reduces to −2σ_i(σ_j − σ_i)s² modulo c² + s² = 1 (only c² and s² occur, so C = 1 − S with
 * C = c², S = s² is exact); with the series c = 1 − t²/2 + O(t⁴), s = t + O(t³) the t² coefficient gives
 * d²L/dt²(0) = −4σ_i(σ_j − σ_i). The one-sided rotation gives +2σ_i²(1 − c) instead. Numeric: central second
 * differences of L along the real two-sided rotation curve at constructed critical points with S ≠ {1..r}.
 */
import { compare } from '../src/check/verdict.js';
import { randomCriticalPoint } from '../src/landscape/construct.js';
import { landscapeData } from '../src/landscape/data.js';
import { buildFrame } from '../src/landscape/frame.js';
import { rotationCertificate, rotationCurve } from '../src/landscape/rotation.js';
import { readStructure } from '../src/landscape/structure.js';
import { lossTolerance } from '../src/landscape/tolerances.js';
import { loss } from '../src/model/loss.js';
import { Rng } from '../src/random/rng.js';
import { Derivation, defineProof, md, numericFromVerdicts, type Proof } from '../src/symbolic/proof.js';
import { Poly } from '../src/symbolic/scalar-poly.js';

export const rotationCertificateProof: Proof = defineProof({
  id: 'crit.rotation-certificate',
  statement:
    'Rotating both ends at a critical point with i ∈ S, j ∉ S: L(t) = L(0) − 2σ_i(σ_j − σ_i) sin²t (whitened, scale "sum"), so d²L/dt²(0) = −4σ_i(σ_j − σ_i)',
  provenance: 'D',
  source: 'Lemma R of THEORY §3 crit.strict-saddle-rotation (derived)',
  symbolic() {
    const a = Poly.symbol('σ_i'),
      b = Poly.symbol('σ_j');
    const C = Poly.symbol('C'),
      S = Poly.symbol('S'); // C = cos²t, S = sin²t
    const one = Poly.ONE;
    const block = (cc: Poly, ss: Poly, cs2: Poly) =>
      a
        .mul(cc)
        .sub(a)
        .pow(2)
        .add(Poly.constant(2).mul(a.pow(2)).mul(cs2))
        .add(a.mul(ss).sub(b).pow(2))
        .sub(b.pow(2));
    const change = block(C, S, C.mul(S));
    const claimed = Poly.constant(-2).mul(a).mul(b.sub(a)).mul(S);
    const reduced = change.substitute(new Map([['C', one.sub(S)]])).sub(claimed);
    // A wrong claim (the one-sided formula's sign) must not reduce to 0.
    const control = change.substitute(new Map([['C', one.sub(S)]])).sub(Poly.constant(2).mul(a).mul(b.sub(a)).mul(S));
    const t = Poly.symbol('t');
    const series = block(
      one.sub(Poly.constant('1/2').mul(t.pow(2))).pow(2),
      t.pow(2),
      one
        .sub(Poly.constant('1/2').mul(t.pow(2)))
        .pow(2)
        .mul(t.pow(2)),
    );
    const second = Poly.constant(2).mul(series.coefficientOf('t', 2));
    const secondOk =
      second.sub(Poly.constant(-4).mul(a).mul(b.sub(a))).isZero() && series.coefficientOf('t', 1).isZero();
    // One-sided: P(t) − Q = [[σ_ic − σ_i, 0], [σ_is, −σ_j]]; only s² occurs, so S = 1 − c² is exact.
    const c = Poly.symbol('c');
    const oneSided = a
      .mul(c)
      .sub(a)
      .pow(2)
      .add(a.pow(2).mul(S))
      .substitute(new Map([['S', one.sub(c.pow(2))]]));
    const oneSidedOk = oneSided.sub(Poly.constant(2).mul(a.pow(2)).mul(one.sub(c))).isZero();
    const holds = reduced.isZero() && secondOk && !control.isZero() && oneSidedOk;
    const d = new Derivation()
      .step(
        'Block',
        `on span(u_i, u_j) × span(v_i, v_j): ${md('Q = diag(σ_i, σ_j)')}, ${md('P(t) = σ_i (c, s)ᵀ(c, s)')}; every other entry of P − Q is unchanged by the rotation`,
      )
      .step(
        'Change of the loss',
        md(`‖P(t) − Q‖² − ‖P(0) − Q‖² = ${change.toString()}`) + ` with ${md('C = cos²t')}, ${md('S = sin²t')}`,
      )
      .step(
        'Reduction',
        `substituting ${md('C = 1 − S')} and subtracting ${md('−2σ_i(σ_j − σ_i)S')} leaves ${md(reduced.isZero() ? '0' : reduced.toString())}; the wrong sign leaves ${md(control.toString())}`,
      )
      .step(
        'Second derivative',
        `with ${md('c = 1 − t²/2, s = t')}: t-coefficient ${md(series.coefficientOf('t', 1).toString())}, ${md(`2·[t²] = ${second.toString()}`)} = ${md('−4σ_i(σ_j − σ_i)')}`,
      )
      .step(
        'One-sided rotation',
        `${md('P(t) = σ_i (c, s)ᵀ(1, 0)')}: ${md('(σ_ic − σ_i)² + σ_i²s²')} with ${md('s² = 1 − c²')} is ${md(oneSided.toString())} ${oneSidedOk ? '=' : '≠'} ${md('2σ_i²(1 − cos t) ≥ 0')}: the loss goes up`,
      );
    return {
      holds,
      ...d.written(),
      detail: `exact rational polynomial identity in σ_i, σ_j, C, S (${change.size} terms) and its t-series; the wrong sign does not reduce`,
    };
  },
  numeric(seed) {
    const rng = new Rng(seed);
    let worst: ReturnType<typeof compare> | undefined;
    let count = 0;
    for (let k = 0; k < 16; k++) {
      const N = 2 + (k % 4);
      const widths = Array.from({ length: N + 1 }, () => rng.integer(2, 4));
      const data = landscapeData(rng, {
        d0: widths[0],
        dN: widths[N],
        inputs: (['whitened', 'conditioned'] as const)[k % 2],
      });
      const frame = buildFrame(data, 'sum');
      const p = randomCriticalPoint(rng, frame, data, widths, 'gap');
      const st = readStructure(frame, p.weights, data);
      const kept = st.smallestKept!,
        discarded = st.largestDiscarded!;
      const predicted = -4 * kept.sigma * (discarded.sigma - kept.sigma);
      const h = 1e-3;
      const l0 = loss(p.weights, data, { scale: 'sum' });
      const lp = loss(rotationCurve(frame, p.weights, kept, discarded, h), data, { scale: 'sum' });
      const lm = loss(rotationCurve(frame, p.weights, kept, discarded, -h), data, { scale: 'sum' });
      const fd = (lp - 2 * l0 + lm) / (h * h);
      const cert = rotationCertificate(frame, p.weights, data, kept, discarded);
      // L = L0 − K sin²t exactly, so the second difference is predicted·(1 − h²/3 + …); round-off enters as 4τ_L/h².
      const bound = ((Math.abs(predicted) * h * h) / 3) * 1.01 + (4 * lossTolerance(p.weights, data, 'sum')) / (h * h);
      const v = compare({
        measured: cert.holds ? Math.abs(fd - predicted) : Infinity,
        bound,
        errorModel: 'central difference h = 1e-3: |predicted|·h²/3 (exact sin² curve) + 4τ_L/h² (round-off)',
        detail: `widths ${widths.join('-')}, S = {${p.S}}: (L(h) − 2L(0) + L(−h))/h² = ${fd.toExponential(4)} vs −4σ_i(σ_j − σ_i) = ${predicted.toExponential(4)}; curve identity and Hessian-form curvature ${cert.holds ? 'held' : 'FAILED'}`,
      });
      count++;
      if (!worst || v.margin < worst.margin) worst = v;
    }
    return numericFromVerdicts([[`worst of ${count} constructed critical points with S ≠ {1..r}`, worst!]]);
  },
});
