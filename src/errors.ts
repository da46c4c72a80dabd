/**
 * Typed errors for bad input. Every public function validates its arguments and throws one of these,
 * naming the argument and what was expected, so the CLI can print one line instead of a stack trace.
 */
export class DlnvError extends Error {
  constructor(
    readonly code: 'shape' | 'non-finite' | 'domain' | 'usage' | 'protocol',
    message: string,
  ) {
    super(message);
    this.name = 'DlnvError';
  }
}

/** A matrix argument whose shape does not fit. */
export class ShapeError extends DlnvError {
  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly received: string,
  ) {
    super('shape', `${argument}: expected shape ${expected}, received ${received}`);
    this.name = 'ShapeError';
  }
}

/** An argument holding NaN or ±Infinity. */
export class NonFiniteError extends DlnvError {
  constructor(
    readonly argument: string,
    readonly index: number,
    readonly value: number,
  ) {
    super('non-finite', `${argument}: entry ${index} is ${value}; all entries must be finite`);
    this.name = 'NonFiniteError';
  }
}

/**
 * Finite input whose result leaves the float64 range: an intermediate overflowed to ±Infinity (or became NaN as
 * ∞ − ∞). Raised instead of returning the silent Infinity, NaN or zero that the arithmetic would give.
 */
export class OverflowError extends DlnvError {
  constructor(
    readonly argument: string,
    detail: string,
  ) {
    super('non-finite', `${argument}: ${detail}`);
    this.name = 'OverflowError';
  }
}

/** A value outside the domain of the operation (N = 0, a non-PSD input to a PSD power, a negative budget…). */
export class DomainError extends DlnvError {
  constructor(
    readonly argument: string,
    detail: string,
  ) {
    super('domain', `${argument}: ${detail}`);
    this.name = 'DomainError';
  }
}

/** Bad command-line usage. */
export class UsageError extends DlnvError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}
