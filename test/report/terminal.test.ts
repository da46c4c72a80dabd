import { describe, expect, it } from 'vitest';
import { count, sig, signedMargin } from '../../src/format.js';
import { claimLine, summaryLine, verdictLine } from '../../src/report/terminal.js';
import { outcomeReports } from './outcome-reports.js';

const [pass, refuted, , unrefuted, throws, undecided] = outcomeReports();

describe('terminal lines', () => {
  it('says what each outcome is, with the replay line for anything but a pass', () => {
    expect(claimLine(pass)).toMatch(
      /^PASS {2}test\.pass {2}\[D\] {2}held on 20 runs; worst: n ≤ 1000 — measured 999 ≤ bound 1000, margin \+0\.001 {2}\(/,
    );
    expect(claimLine(refuted)).toMatch(
      /^FAIL {2}test\.refuted .* COUNTEREXAMPLE .*\n {6}n ≤ 100: measured 101 ≤ bound 100, margin −0\.01 \[integers: exact\]\n {6}shrunk instance \(\d+ shrinks?\): 101\n {6}replay: npx dlnv verify --claims test\.refuted --seed 1 --path /,
    );
    expect(claimLine(unrefuted)).toMatch(/no counterexample in 20 runs \(one was expected\)/);
    expect(claimLine(throws)).toMatch(
      /^ERROR {2}test\.throws .*singular matrix at n = \d+[\s\S]*\n {6}instance: \d+\n {6}replay: /,
    );
    expect(claimLine(undecided)).toMatch(
      /^UNDECIDED {2}test\.undecided .* could not decide: 20\/20 runs inconclusive[\s\S]*\n {6}inconclusive ×20: no slope-2 window above round-off\n {6}replay: /,
    );
  });

  it('gets singular and plural right', () => {
    expect(claimLine({ ...pass, runs: 1 })).toMatch(/held on 1 run;/);
    expect(claimLine({ ...refuted, counterexample: { ...refuted.counterexample!, shrinks: 1 } })).toMatch(
      /\(1 shrink\)/,
    );
    expect(summaryLine([pass], 1)).toBe('1 passed, 0 failed (1 claim, 1.0 s)');
    expect(summaryLine([pass, undecided], 1)).toBe(
      '1 passed, 0 failed, 1 undecided (2 claims; 20 of 40 runs inconclusive, 1.0 s)',
    );
    expect(count(2, 'local search', 'local searches')).toBe('2 local searches');
    expect(count(1, 'run')).toBe('1 run');
  });

  it('prints no subnormal or infinite number as if it meant something', () => {
    expect(sig(-4.94e-324)).toBe('0 (subnormal -4.9e-324: zero up to round-off)');
    expect(sig(Infinity)).toBe('∞');
    expect(signedMargin(1281738506.44)).toBe('+1.28e+9');
    expect(signedMargin(-0.5)).toBe('−0.5');
    const v = {
      status: 'pass' as const,
      measured: 0,
      bound: -4.94e-324,
      comparison: '>=' as const,
      margin: 0,
      errorModel: 'τ_H',
      detail: 'λ_min',
    };
    expect(verdictLine(v)).toBe('measured 0 ≥ bound 0 (subnormal -4.9e-324: zero up to round-off), margin 0');
  });
});
