import { describe, expect, it } from 'vitest';
import { compare, holdsWhen, verdictProblem, worstOf } from '../../src/check/verdict.js';

describe('holdsWhen: yes/no verdicts', () => {
  it('fails when the condition does not hold, and says why in the error model', () => {
    const v = holdsWhen(false, { reason: 'the classifier says saddle', detail: 'class: minimum' });
    expect(v).toMatchObject({ status: 'fail', measured: 0, bound: 1, comparison: '>=', margin: -1 });
    expect(v.errorModel).toMatch(/yes\/no, no tolerance: the classifier says saddle/);
    expect(verdictProblem(v)).toBeUndefined();
  });

  it('passes when it holds, and never looks tighter than a measured check that passes', () => {
    const yes = holdsWhen(true, { reason: 'r', detail: 'd' });
    expect(yes).toMatchObject({ status: 'pass', measured: 1, margin: 1 });
    const measured = compare({ measured: 0.9, bound: 1, errorModel: 'e', detail: 'measured' });
    expect(worstOf([yes, measured]).detail).toBe('measured');
    expect(worstOf([holdsWhen(false, { reason: 'r', detail: 'no' }), measured]).detail).toBe('no');
  });
});
