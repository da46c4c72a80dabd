import { describe, expect, it } from 'vitest';
import { duration, progressLine } from '../../src/cli/progress.js';
import { colourOn, paintStatus } from '../../src/cli/style.js';

/** A terminal (or a pipe) that records what is written, with a clock the test moves. */
function terminal(isTTY: boolean) {
  const written: string[] = [];
  let now = 0;
  return {
    stream: { isTTY, columns: 200, write: (t: string) => written.push(t) },
    written,
    clock: () => now,
    advance: (ms: number) => (now += ms),
  };
}

describe('the progress line', () => {
  it('writes nothing off a terminal', () => {
    const t = terminal(false);
    const p = progressLine('verify', { total: 10, unit: 'claim', stream: t.stream, clock: t.clock, after: 0 });
    for (let k = 0; k < 10; k++) {
      t.advance(500);
      p.update(k, 'x');
    }
    p.stage('y');
    p.clear();
    expect(t.written).toEqual([]);
  });

  it('on a terminal appears after a second, with counts, elapsed time and an estimate, at most ten times a second', () => {
    const t = terminal(true);
    const p = progressLine('verify', { total: 10, unit: 'claim', stream: t.stream, clock: t.clock, after: 1000 });
    t.advance(900);
    p.update(1);
    expect(t.written).toEqual([]);
    t.advance(1100);
    p.update(4, 'flow.conservation 40/100 instances');
    expect(t.written).toEqual([
      '\r\x1b[2K⠋ verify  4/10 claims  2.0 s, ~3.0 s left  flow.conservation 40/100 instances',
    ]);
    t.advance(50);
    p.update(5);
    expect(t.written).toHaveLength(1);
    t.advance(60);
    p.update(5);
    expect(t.written[1]).toMatch(/^\r\x1b\[2K⠙ verify {2}5\/10 claims {2}2\.1 s, ~2\.1 s left$/);
    p.clear();
    expect(t.written[2]).toBe('\r\x1b[2K');
  });

  it('shows a new stage at once and says 1 unit, not 1 units', () => {
    const t = terminal(true);
    const p = progressLine('classify p.json', { unit: 'stage', stream: t.stream, clock: t.clock, after: 0 });
    p.update(1);
    p.stage('Hessian (1200 parameters)');
    expect(t.written.at(-1)).toBe('\r\x1b[2K⠙ classify p.json  1 stage  0.0 s  Hessian (1200 parameters)');
    expect(duration(185_000)).toBe('3 min 5 s');
  });
});

describe('status colours', () => {
  it('colour the status word on a terminal only, and never with NO_COLOR', () => {
    expect(paintStatus('FAIL  x  [D]  COUNTEREXAMPLE', true)).toBe('\x1b[1;31mFAIL\x1b[0m  x  [D]  COUNTEREXAMPLE');
    expect(paintStatus('PASS  x', false)).toBe('PASS  x');
    expect(paintStatus('      replay: npx dlnv verify', true)).toBe('      replay: npx dlnv verify');
    expect(colourOn({ isTTY: false })).toBe(false);
    const before = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      expect(colourOn({ isTTY: true })).toBe(false);
    } finally {
      if (before === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = before;
    }
  });
});
