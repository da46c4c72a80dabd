import { type FixedRankOptions, fixedRankPoint } from '../geometry/fixed-rank-point.js';
import { assertDepth } from '../geometry/metric-coefficients.js';
import { MetricOperator } from '../geometry/metric-operator.js';
import { Matrix } from '../linalg/matrix.js';
import { multiply, multiplyInto } from '../linalg/products.js';
import { type Data, type LossScale, scaleFactor, validateData } from '../model/loss.js';
import { assertStateShapes, type Shape } from './state.js';
import type { VectorField } from './vector-field.js';

/** A replacement for A_W (W, N, Z) ↦ A_W(Z): lets a test or an external implementation plug in its own operator. */
export type MetricApplication = (w: Matrix, depth: number, z: Matrix) => Matrix;

export interface EndToEndFieldOptions extends FixedRankOptions {
  readonly scale?: LossScale;
  /** Default: the SVD form MetricOperator at fixedRankPoint(W, rank options). */
  readonly metric?: MetricApplication;
}

/**
 * The end-to-end ODE of a balanced DLN (THEORY §2, flow.end-to-end): dW/dt = −A_W(∇L¹(W)), state [W] (d_N×d_0).
 * It ALLOCATES on every evaluation (an SVD of W), unlike the other fields: it is a reference for short
 * comparisons with the factor flow, not a production integrator. For N ≥ 3 the field is not Lipschitz at
 * rank-deficient W: use it at full rank, and simulate the factors when the rank may change.
 */
export class EndToEndField implements VectorField {
  readonly shapes: readonly Shape[];
  readonly depth: number;
  private readonly sxx: Matrix;
  private readonly syx: Matrix;
  private readonly g: Matrix;
  private readonly options: EndToEndFieldOptions;

  constructor(depth: number, data: Data, options: EndToEndFieldOptions = {}) {
    this.depth = assertDepth(depth);
    const d0 = data.X.rows,
      dN = data.Y.rows;
    validateData(data, d0, dN);
    const kappa = scaleFactor(options.scale ?? 'half', data.X.cols);
    this.sxx = multiply(data.X, data.X, 'n', 't');
    this.syx = multiply(data.Y, data.X, 'n', 't');
    for (const s of [this.sxx, this.syx]) for (let i = 0; i < s.data.length; i++) s.data[i] *= kappa;
    this.g = new Matrix(dN, d0);
    this.shapes = [[dN, d0]];
    this.options = options;
  }

  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    assertStateShapes(state, this.shapes, 'state');
    const w = state[0];
    multiplyInto(this.g, w, this.sxx);
    for (let i = 0; i < this.g.data.length; i++) this.g.data[i] -= this.syx.data[i];
    const image = this.options.metric
      ? this.options.metric(w, this.depth, this.g)
      : new MetricOperator(fixedRankPoint(w, this.options), this.depth).apply(this.g);
    const O = out[0].data;
    for (let i = 0; i < O.length; i++) O[i] = -image.data[i];
  }
}
