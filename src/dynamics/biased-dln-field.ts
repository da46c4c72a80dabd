import type { Matrix } from '../linalg/matrix.js';
import { BiasedNetwork } from '../model/biased-network.js';
import type { Data } from '../model/loss.js';
import type { Shape } from './state.js';
import type { VectorField } from './vector-field.js';

/** The gradient-flow field d(W_j, b_j)/dt = −∇L of a deep linear network with biases (src/model/biased-network). */
export class BiasedDlnField implements VectorField {
  readonly shapes: readonly Shape[];
  readonly network: BiasedNetwork;

  constructor(widths: readonly number[], data: Data) {
    this.network = new BiasedNetwork(widths, data);
    this.shapes = this.network.shapes as Shape[];
  }

  evaluate(_t: number, state: readonly Matrix[], out: readonly Matrix[]): void {
    this.network.gradientInto(state, out);
    for (const o of out) for (let i = 0; i < o.data.length; i++) o.data[i] = -o.data[i];
  }
}
