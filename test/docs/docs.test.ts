import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { catalogue } from '../../properties/index.js';
import { main } from '../../src/cli/main.js';
import { catalogueMarkdown, claimAnchor, THEORY_SECTIONS, theoryEntries } from '../../src/report/catalogue-markdown.js';
import { layoutProblems } from '../helpers/layers.js';

/**
 * The documents in the repository stay true: docs/CATALOGUE.md is `dlnv list --format md`, docs/THEORY.md's claim
 * entries are generated from the claim records and cover every claim, every relative link in README.md and docs/
 * resolves, and the README's layout table gives every src/ entry a row with its layer. With DLNV_WRITE_DOCS=1 the
 * generated parts are rewritten instead of compared (after changing a claim record).
 */
const root = join(import.meta.dirname, '..', '..');
const write = process.env.DLNV_WRITE_DOCS === '1';
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

const GENERATED = /(<!-- generated: section (\d+) -->\n)([\s\S]*?)(<!-- end of generated section \2 -->)/g;

/** GitHub's anchors of a Markdown file's headings. */
function anchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) => claimAnchor(m[1].replace(/[`*]/g, '').trim())));
}

/** The relative links of a Markdown file (outside code) that name no existing file, or no heading in it. */
function brokenLinks(file: string, markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, anchor] = target.split('#');
    const resolved = path === '' ? file : resolve(dirname(file), path);
    // Outside the repository is broken even when it exists here (CI clones ../shared beside the project).
    if (relative(root, resolved).startsWith('..') || !existsSync(resolved)) broken.push(target);
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor))
      broken.push(target);
  }
  return broken;
}

describe('the documents', () => {
  it('docs/CATALOGUE.md is what `dlnv list --format md` prints', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['list', '--format', 'md'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('')).toBe(catalogueMarkdown(catalogue));
    if (write) writeFileSync(join(root, 'docs', 'CATALOGUE.md'), printed.join(''));
    expect(read('docs/CATALOGUE.md')).toBe(printed.join(''));
  });

  it("docs/THEORY.md's claim entries are generated from the claim records, and cover every claim", () => {
    let theory = read('docs/THEORY.md');
    const regenerated = theory.replace(
      GENERATED,
      (_m, open: string, n: string, _body, close: string) =>
        `${open}\n${theoryEntries(catalogue, Number(n))}\n${close}`,
    );
    if (write) writeFileSync(join(root, 'docs', 'THEORY.md'), (theory = regenerated));
    expect(theory).toBe(regenerated);
    expect([...theory.matchAll(GENERATED)].map((m) => Number(m[2]))).toEqual(THEORY_SECTIONS.map((s) => s.number));
    const headings = new Set([...theory.matchAll(/^#{3,4} (\S+)$/gm)].map((m) => m[1]));
    expect(catalogue.map((c) => c.id).filter((id) => !headings.has(id))).toEqual([]);
  });

  it('every relative link in README.md and docs/ resolves inside the repository', () => {
    const docs = readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f));
    for (const file of ['README.md', ...docs])
      expect({ file, broken: brokenLinks(join(root, file), read(file)) }).toEqual({ file, broken: [] });
    // The checker itself: a missing file, a missing heading and a link out of the repository are caught.
    expect(
      brokenLinks(
        join(root, 'README.md'),
        '[a](docs/NOPE.md) [b](docs/THEORY.md#no-such-heading) [c](../shared/THEORY.md) [d](https://x.org) `[e](nope.md)`',
      ),
    ).toEqual(['docs/NOPE.md', 'docs/THEORY.md#no-such-heading', '../shared/THEORY.md']);
  });

  it('docs/API.md names every runtime export of dlnv and dlnv/vitest', async () => {
    const api = read('docs/API.md');
    const names = [
      ...Object.keys(await import('../../src/index.js')),
      ...Object.keys(await import('../../src/vitest.js')),
    ];
    expect(names.filter((n) => !new RegExp(`\\b${n}\\b`).test(api))).toEqual([]);
  });

  it("the README's commands on the files in examples/ run and succeed", async () => {
    const block = read('README.md').split('The files in examples/ are ready to run:')[1].split('```')[1];
    const commands = block
      .split('\n')
      .filter((l) => l.startsWith('npx dlnv '))
      .map((l) => l.split('#')[0].trim().split(/\s+/).slice(2));
    expect(commands.map((c) => c[0])).toEqual(['classify', 'simulate', 'gate']);
    const out = mkdtempSync(join(tmpdir(), 'dlnv-readme-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      for (const argv of commands) {
        const args = argv.map((a) =>
          a.startsWith('examples/') ? join(root, a) : a.endsWith('.svg') ? join(out, a) : a,
        );
        expect({ argv, code: await main(args) }).toEqual({ argv, code: 0 });
      }
    } finally {
      log.mockRestore();
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("the README's layout table gives every file and folder of src/ a row, with its layer", () => {
    const entries = readdirSync(join(root, 'src'));
    expect(layoutProblems(read('README.md'), entries)).toEqual([]);
    const broken = read('README.md')
      .replace(/^\| 7 \| `src\/nnls` \|.*\n/m, '')
      .replace('| 6 | `src/check` |', '| 5 | `src/check` |')
      .replace('| 1 | `src/format.ts` |', '| 1 | `src/formats.ts` |');
    expect(layoutProblems(broken, entries).sort()).toEqual([
      'src/check: layer 5 in README, 6 in LAYERS',
      'src/format.ts has no row',
      'src/formats.ts is not in src/',
      'src/nnls has no row',
    ]);
  });

  it('every "THEORY §n" cited in the sources is a section of docs/THEORY.md', () => {
    const sections = new Set([...read('docs/THEORY.md').matchAll(/^## (\d+)\. /gm)].map((m) => m[1]));
    const cited = new Set<string>();
    const visit = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) visit(path);
        else if (/\.(ts|md)$/.test(e.name))
          for (const m of readFileSync(path, 'utf8').matchAll(/THEORY(?:\.md)? ?§ ?(\d+)/g))
            cited.add(`${m[1]} (${relative(root, path)})`);
      }
    };
    for (const dir of ['src', 'properties', 'proofs', 'examples', 'docs']) visit(join(root, dir));
    expect([...cited].filter((c) => !sections.has(c.split(' ')[0]))).toEqual([]);
  });
});
