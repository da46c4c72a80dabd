import { DlnvError } from '../errors.js';
import { MATRIX_DTYPES } from '../json/matrix.js';

/**
 * The gate protocol (docs/PROTOCOL.md): dlnv starts the implementation as a child process and writes one JSON
 * request per line on its stdin; the implementation writes one JSON response per line on its stdout, in order.
 * This file holds the version, the vocabulary and the error type; schema.ts holds the JSON Schema the responses
 * are validated with (and that docs/protocol.schema.json is generated from).
 */

/** Major protocol version. A change that an existing adapter could misread bumps it; additions do not. */
export const PROTOCOL_VERSION = 1;

export type Dtype = 'float64' | 'float32';
/**
 * The data term the implementation computes, L¹ = loss_factor·(κ/2)‖W_{N:1}X − Y‖² (conventions.ts): 'half' κ = 1,
 * 'sum' κ = 2, 'mean' κ = 1/m, 'mean_samples' κ = 2/m, 'mean_entries' κ = 2/(m·d_N) (nn.MSELoss's default).
 */
export type LossScale = 'half' | 'sum' | 'mean' | 'mean_samples' | 'mean_entries';
/**
 * 'canonical': penalty (λ/2)Σ_j‖W_j‖², gradient λW_j (THEORY §0, PyTorch's weight_decay). 'wj': λΣ_j‖W_j‖² (Wang–Jacot),
 * gradient 2λW_j. 'none': the implementation has no weight decay; the gate then sends λ = 0 everywhere.
 */
export type WeightDecayForm = 'canonical' | 'wj' | 'none';
/** 'columns': X ∈ R^{d_0×m}, one sample per column (THEORY). 'rows': X ∈ R^{m×d_0}, one sample per row (PyTorch, scikit-learn). */
export type Layout = 'columns' | 'rows';
export type Encoding = 'json' | 'base64';

export interface Conventions {
  readonly loss_scale: LossScale;
  /** A constant the loss is multiplied by (default 1), e.g. 0.5 for 0.5·nn.MSELoss(). */
  readonly loss_factor?: number;
  readonly weight_decay: WeightDecayForm;
  readonly layout: Layout;
}

/**
 * What an implementation may serve; it lists these in the handshake. Each is a request of the same name, except
 * 'balanced_init_random': balanced_init without a target (its own random balanced start of a requested rank and scale).
 */
export const CAPABILITIES = [
  'loss',
  'gradients',
  'gd_step',
  'sgd_step',
  'end_to_end_operator',
  'balanced_init',
  'balanced_init_random',
  'trajectory',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const DTYPES: readonly Dtype[] = MATRIX_DTYPES;
export const LOSS_SCALES: readonly LossScale[] = ['half', 'sum', 'mean', 'mean_samples', 'mean_entries'];
export const WEIGHT_DECAY_FORMS: readonly WeightDecayForm[] = ['canonical', 'wj', 'none'];
export const LAYOUTS: readonly Layout[] = ['columns', 'rows'];
export const ENCODINGS: readonly Encoding[] = ['json', 'base64'];

/** Unit roundoff of each dtype (machine epsilon: the gap between 1 and the next number). */
export const EPSILON: Readonly<Record<Dtype, number>> = { float64: 2 ** -52, float32: 2 ** -23 };

/** What the implementation declared in its handshake. */
export interface Handshake {
  readonly protocol: number;
  readonly implementation: string;
  readonly dtype: Dtype;
  readonly conventions: Conventions;
  readonly capabilities: readonly Capability[];
  readonly encodings: readonly Encoding[];
}

/** Canonical λ (the (λ/2)Σ‖W_j‖² form dlnv computes with) from the λ the implementation applies in its own form. */
export function canonicalDecay(lambda: number, form: WeightDecayForm): number {
  return form === 'wj' ? 2 * lambda : form === 'none' ? 0 : lambda;
}

/**
 * The implementation answered {"id": …, "unsupported": "reason"}: it cannot serve this instance (a shape its code
 * does not handle). Not a fault: the runner skips the instance, counts it with its reason, and goes on.
 */
export class Unsupported extends Error {
  constructor(
    readonly op: string,
    readonly reason: string,
  ) {
    super(`${op}: unsupported (${reason})`);
    this.name = 'Unsupported';
  }
}

/**
 * A fault of the implementation or of the conversation with it (crash, hang, garbage on stdout, malformed or
 * non-finite answer, wrong shape, early exit, an error answer). The gate stops at the first one and exits 2.
 * `message` is one line; `stderrTail` is what the implementation last printed on stderr.
 */
export class ProtocolError extends DlnvError {
  private readonly tail: () => string;

  /** `stderrTail` may be a function: the tail is then read when reported, after the last bytes have arrived. */
  constructor(message: string, stderrTail: string | (() => string) = '') {
    super('protocol', message);
    this.name = 'ProtocolError';
    this.tail = typeof stderrTail === 'function' ? stderrTail : () => stderrTail;
  }

  /** What the implementation last printed on stderr (its last few lines, on one line). */
  get stderrTail(): string {
    return this.tail();
  }

  /** The one line the CLI prints: the cause, then the implementation's last stderr lines. */
  line(): string {
    const tail = this.stderrTail;
    return tail ? `${this.message} — implementation stderr: ${tail}` : this.message;
  }
}
