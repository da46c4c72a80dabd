import type { Matrix } from '../linalg/matrix.js';
import { assertCount } from './state.js';
import type { ObserveOptions } from './vector-field.js';

/**
 * The observation schedule shared by the run functions: step 0, every `every`-th step, and the final step.
 * `observe(step, t, state, final)` does nothing when there is no observer.
 */
export class ObservationSchedule {
  private readonly every: number;
  private lastObserved = -1;

  constructor(private readonly options: ObserveOptions) {
    this.every = assertCount(options.every ?? 1, 'every');
  }

  observe(step: number, t: number, state: readonly Matrix[], final = false): void {
    const observer = this.options.observer;
    if (!observer || step === this.lastObserved) return;
    if (step % this.every === 0 || final) {
      observer.observe(step, t, state);
      this.lastObserved = step;
    }
  }
}
