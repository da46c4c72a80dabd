import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyCommand, classifyHelp } from '../../src/cli/classify.js';
import { alignedChain, randomCriticalPoint } from '../../src/landscape/construct.js';
import { landscapeData } from '../../src/landscape/data.js';
import { buildFrame } from '../../src/landscape/frame.js';
import { parsePointJson, pointToJson } from '../../src/landscape/json-input.js';
import { loss } from '../../src/model/loss.js';
import { Rng } from '../../src/random/rng.js';
import { captureConsole } from '../helpers/console-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'dlnv-classify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { out, err } = captureConsole();

let counter = 0;
function file(content: unknown): string {
  const path = join(dir, `p${counter++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const iclr = {
  weights: [[[1, 0]], [[0]], [[1], [0]]],
  data: {
    X: [
      [1, 0],
      [0, 1],
    ],
    Y: [
      [0, 0],
      [0, 1],
    ],
  },
  scale: 'half',
};

describe('dlnv classify', () => {
  it('--help teaches the file format and the classes', () => {
    expect(classifyCommand(['--help'])).toBe(0);
    expect(out.join('\n')).toBe(classifyHelp);
    expect(classifyHelp).toMatch(/"weights"/);
    expect(classifyHelp).toMatch(/non-strict-saddle/);
  });

  it('the ICLR-2018 example: a non-strict saddle with a descent curve', () => {
    expect(classifyCommand([file(iclr)])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/class\s+NON-STRICT-SADDLE/);
    expect(text).toMatch(/descent of order 4/);
    expect(err).toEqual([]);
  });

  it('--json is machine-readable; --expect turns a different class into exit 1', () => {
    expect(classifyCommand([file(iclr), '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.class).toBe('non-strict-saddle');
    expect(report.probe.order).toBe(4);
    expect(report.hessian.negative).toBe(0);
    expect(Array.isArray(report.structure.S)).toBe(true);
    out.length = 0;
    expect(classifyCommand([file(iclr), '--expect', 'global-minimum'])).toBe(1);
    expect(out.join('\n')).toMatch(/EXPECTED\s+global-minimum, got non-strict-saddle/);
    expect(classifyCommand([file(iclr), '--expect', 'nonsense'])).toBe(2);
    expect(err.at(-1)).toMatch(/--expect must be one of/);
  });

  it('{shape, data} matrices, other scales, a global minimum and a strict saddle', () => {
    const rng = new Rng(3);
    const data = landscapeData(rng, { d0: 3, dN: 2, inputs: 'conditioned' });
    const frame = buildFrame(data, 'mean');
    for (const [kind, cls] of [
      ['global', 'global-minimum'],
      ['gap', 'strict-saddle'],
    ] as const) {
      const p = randomCriticalPoint(rng, frame, data, [3, 2, 2], kind);
      const path = file(
        pointToJson({
          weights: p.weights,
          data,
          scale: 'mean',
          reported: { loss: loss(p.weights, data, { scale: 'mean' }), class: cls },
        }),
      );
      out.length = 0;
      expect(classifyCommand([path, '--expect', cls])).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`class\\s+${cls.toUpperCase()}`));
    }
  });

  it('mislabelled files: wrong loss scale, a perturbed point, a wrong class → exit 1 with the reason', () => {
    const rng = new Rng(4);
    const data = landscapeData(rng, { d0: 2, dN: 2 });
    const frame = buildFrame(data, 'half');
    const p = randomCriticalPoint(rng, frame, data, [2, 2, 2], 'global');
    // The user's code used no ½ but the file says "half".
    const wrongScale = file(
      pointToJson({
        weights: p.weights,
        data,
        scale: 'half',
        reported: { loss: loss(p.weights, data, { scale: 'sum' }) },
      }),
    );
    expect(classifyCommand([wrongScale])).toBe(1);
    expect(out.join('\n')).toMatch(/matches scale 'sum' — wrong loss scale\?/);
    out.length = 0;
    const moved = p.weights.map((w) => {
      const m = w.clone();
      m.data[0] += 1e-9;
      return m;
    });
    expect(
      classifyCommand([file(pointToJson({ weights: moved, data, scale: 'half' })), '--expect', 'global-minimum']),
    ).toBe(1);
    expect(out.join('\n')).toMatch(/NOT critical/);
    out.length = 0;
    expect(classifyCommand([file({ ...iclr, reported: { class: 'local-minimum' } })])).toBe(1);
    expect(out.join('\n')).toMatch(
      /REPORTED\s+reported class: reported 'local-minimum', classified 'non-strict-saddle'/,
    );
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['missing weights', { data: iclr.data }, /p\d+\.json: missing required field 'weights'/],
    ['missing data.Y', { weights: iclr.weights, data: { X: iclr.data.X } }, /data: missing required field 'Y'/],
    [
      'inconsistent layer shapes',
      { ...iclr, weights: [[[1, 0]], [[0, 1]], [[1], [0]]] },
      /weights\[1\]: has shape 1×2 but must have 1 columns \(the rows of weights\[0\]/,
    ],
    ['ragged rows', { ...iclr, data: { X: [[1, 0], [0]], Y: iclr.data.Y } }, /data\.X\[1\]: has 1 entries/],
    [
      'X rows vs W_1',
      { ...iclr, data: { X: [[1, 0]], Y: [[0, 1]] } },
      /data\.X: has 1 rows but weights\[0\] has 2 columns/,
    ],
    [
      'samples of Y',
      { ...iclr, data: { X: iclr.data.X, Y: [[0], [1]] } },
      /data\.Y: has 1 columns \(samples\) but data\.X has 2/,
    ],
    [
      'shape/data mismatch',
      { ...iclr, weights: [{ shape: [1, 2], data: [[1, 0, 3]] }, [[0]], [[1], [0]]] },
      /weights\[0\]\.data\[0\]: has 3 entries, but shape \[1, 2\] says 2/,
    ],
    [
      'a string entry',
      {
        ...iclr,
        data: {
          X: [
            [1, '0'],
            [0, 1],
          ],
          Y: iclr.data.Y,
        },
      },
      /data\.X\[0\]\[1\]: expected a number, found string "0"/,
    ],
    ['bad scale', { ...iclr, scale: 'halve' }, /scale: expected one of "half", "sum", "mean", found "halve"/],
    ['not an object', [1, 2], /p\d+\.json: expected an object, found array/],
    // Finite entries whose loss overflows: a typed error, not "L = NaN … NOT-CRITICAL" with exit 0.
    [
      'entries near 1e308',
      { ...iclr, weights: [[[1e308, 1e308]], [[1e308]], [[1], [0]]] },
      /^dlnv: weights: L = (NaN|Infinity), .* overflows float64 at this point \(entries up to 1\.00e\+308\)/,
    ],
  ];
  for (const [name, content, message] of bad) {
    it(`bad input (${name}) → exit 2, one line naming the field`, () => {
      expect(classifyCommand([file(content)])).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).not.toMatch(/\n/);
      expect(err[0]).toMatch(message);
      expect(out).toEqual([]);
    });
  }

  it('NaN and Infinity (as Python writes them) are named, JSON syntax errors and unreadable files are one line', () => {
    const nan = file('{"weights": [[[1, NaN]], [[0]], [[1], [0]]], "data": {"X": [[1,0],[0,1]], "Y": [[0,0],[0,1]]}}');
    expect(classifyCommand([nan])).toBe(2);
    expect(err[0]).toMatch(/weights\[0\]\[0\]\[1\]: expected a number, found NaN/);
    const inf = file(
      '{"weights": [[[1, 0]], [[0]], [[1], [0]]], "data": {"X": [[1,0],[0,-Infinity]], "Y": [[0,0],[0,1]]}}',
    );
    expect(classifyCommand([inf])).toBe(2);
    expect(err[1]).toMatch(/data\.X\[1\]\[1\]: expected a number, found -Infinity/);
    expect(classifyCommand([file('{"weights": [')])).toBe(2);
    expect(err[2]).toMatch(/not valid JSON/);
    expect(classifyCommand([join(dir, 'missing.json')])).toBe(2);
    expect(err[3]).toMatch(/cannot read .*missing\.json' \(ENOENT\)/);
    expect(classifyCommand([])).toBe(2);
    expect(classifyCommand(['a.json', 'b.json'])).toBe(2);
    expect(classifyCommand(['--bogus'])).toBe(2);
    expect(err.every((e) => !e.includes('\n'))).toBe(true);
  });

  it('the JSON reader keeps strings that contain the words NaN or Infinity', () => {
    const p = parsePointJson(
      '{"weights": [[[1]]], "data": {"X": [[1]], "Y": [[2]]}, "note": "NaN Infinity", "scale": "sum"}',
      'x.json',
    );
    expect(p.scale).toBe('sum');
    expect(p.weights[0].toArray()).toEqual([[1]]);
  });
});

describe('dlnv classify --grad-tol (points from training runs)', () => {
  it('approximately critical points keep their class; without the option they are not critical', () => {
    const rng = new Rng(21);
    const data = landscapeData(rng, { d0: 3, dN: 3, inputs: 'conditioned' });
    const frame = buildFrame(data, 'half');
    for (const [kind, widths, cls] of [
      ['global', [3, 2, 3], 'global-minimum'],
      ['gap', [3, 3, 3], 'strict-saddle'],
      ['top', [3, 3, 3, 3], 'non-strict-saddle'],
    ] as const) {
      // An aligned rank-1 chain of depth 3 (no residual chain) is a non-strict saddle.
      const p =
        kind === 'top'
          ? alignedChain(frame, data, [...widths], 1, rng)
          : randomCriticalPoint(rng, frame, data, [...widths], kind);
      const moved = p.weights.map((w) => {
        const m = w.clone();
        for (let i = 0; i < m.data.length; i++) m.data[i] += 1e-9 * rng.gaussian();
        return m;
      });
      const path = file(pointToJson({ weights: moved, data, scale: 'half' }));
      expect(classifyCommand([path, '--expect', cls])).toBe(1);
      out.length = 0;
      if (kind === 'top') {
        // Near a non-strict saddle Newton may land on a strict saddle whose curvature is O(distance): a saddle either way.
        expect(classifyCommand([path, '--grad-tol', '1e-6', '--json'])).toBe(0);
        const r = JSON.parse(out.join('\n'));
        expect(['non-strict-saddle', 'strict-saddle']).toContain(r.class);
        expect(r.nearby.relativeDistance).toBeLessThan(1e-6);
        if (r.class === 'strict-saddle') expect(r.certificate).toMatch(/possibly a non-strict saddle/);
        out.length = 0;
        continue;
      }
      const code = classifyCommand([path, '--grad-tol', '1e-6', '--expect', cls]);
      const text = out.join('\n');
      expect(code, text).toBe(0);
      expect(text).toMatch(/approximately critical/);
      out.length = 0;
    }
    expect(classifyCommand([file(iclr), '--grad-tol', 'abc'])).toBe(2);
    expect(err.at(-1)).toMatch(/--grad-tol must be a number ≥ 0/);
  });
});
