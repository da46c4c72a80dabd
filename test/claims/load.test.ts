import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../properties/index.js';
import { loadClaimFile, resolveClaimReference } from '../../src/claims/load.js';
import { runClaim } from '../../src/claims/runner.js';
import { runSearch } from '../../src/search/search.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('user claim files', () => {
  it('loads a TypeScript file with no build step, and its claims run and search like the catalogue', async () => {
    const [claim] = await loadClaimFile(join(fixtures, 'user-claims.ts'));
    expect(claim.id).toBe('fixture.sum-bounded');
    expect(runClaim(claim, { seed: 1, runs: 20 }).runs).toBe(20);
    // The file bundles its own copy of dlnv; its Rng is hooked too, so the draws are a continuous handle.
    const r = runSearch(claim, { seed: 1, maxEvaluations: 2000, explore: 20 });
    expect(r.latentDimension).toBe(2);
    expect(r.found).toBe(true);
  });

  it('resolves FILE#ID, a one-claim FILE, and catalogue ids', async () => {
    const file = join(fixtures, 'user-claims.ts');
    expect((await resolveClaimReference(`${file}#fixture.sum-bounded`, catalogue)).file).toBe(file);
    expect((await resolveClaimReference(file, catalogue)).claim.id).toBe('fixture.sum-bounded');
    expect((await resolveClaimReference('grad.layer', catalogue)).file).toBeUndefined();
    expect((await resolveClaimReference('fixture.sum-bounded', catalogue, [file])).file).toBe(file);
    await expect(resolveClaimReference(`${file}#nope`, catalogue)).rejects.toThrow(
      /has no claim 'nope' \(it defines: fixture\.sum-bounded\)/,
    );
    await expect(resolveClaimReference('no.such', catalogue)).rejects.toThrow(/no claim 'no\.such'/);
  });

  it('turns every loading problem into one line naming the file', async () => {
    await expect(loadClaimFile(join(fixtures, 'missing.ts'))).rejects.toThrow(/no such file/);
    const broken = join(tempDir('load'), 'broken.ts');
    writeFileSync(broken, "export const claims = [ { id: 'x' ;\n");
    await expect(loadClaimFile(broken)).rejects.toThrow(/cannot compile '.*broken\.ts': .*\(.*broken\.ts:1\)/);
    await expect(loadClaimFile(join(fixtures, 'no-claims.mjs'))).rejects.toThrow(/must export 'claims'/);
  });
});
