import { type Data, scaleFactor } from '../model/loss.js';
import type { Conventions, LossScale } from './protocol.js';

/**
 * The data term of the loss as the implementation computes it: L¹ = factor·(κ/2)‖W_{N:1}X − Y‖², with κ fixed by the
 * declared loss_scale, the samples m of the request and the output width d_N. Research code writes the mean squared
 * error in several ways (docs/PROTOCOL.md §2 maps common code to these declarations); each is one κ.
 */

export interface LossConvention {
  readonly scale: LossScale;
  /** The declared constant in front (conventions.loss_factor, default 1). */
  readonly factor: number;
}

export function lossConvention(c: Conventions): LossConvention {
  return { scale: c.loss_scale, factor: c.loss_factor ?? 1 };
}

/** κ of a loss scale for m samples and d_N outputs: the data term is (κ/2)‖WX − Y‖² (THEORY §0's three, and two more). */
export function scaleKappa(scale: LossScale, samples: number, outputs: number): number {
  switch (scale) {
    case 'half':
    case 'sum':
    case 'mean':
      return scaleFactor(scale, samples);
    case 'mean_samples':
      return 2 / samples;
    case 'mean_entries':
      return 2 / (samples * outputs);
  }
}

/** κ·factor for these data (X is d_0×m, Y is d_N×m). */
export function kappa(loss: LossConvention, data: Data): number {
  return loss.factor * scaleKappa(loss.scale, data.X.cols, data.Y.rows);
}

/** The data term of each scale, written out (R = WX − Y, m samples, d_N outputs). */
export const SCALE_FORMULA: Readonly<Record<LossScale, string>> = {
  half: '½‖R‖²',
  sum: '‖R‖²',
  mean: '(1/2m)‖R‖²',
  mean_samples: '(1/m)‖R‖² (the mean over samples of the squared error)',
  mean_entries: '(1/(m·d_N))‖R‖² (the mean over all m·d_N entries, nn.MSELoss())',
};

/** "loss_scale 'x'" or "loss_scale 'x', loss_factor c". */
export function declarationText(loss: LossConvention): string {
  return `loss_scale '${loss.scale}'${loss.factor !== 1 ? `, loss_factor ${loss.factor}` : ''}`;
}
