import { describe, expect, it } from 'vitest';
import { CLAIM_PROOFS } from '../../proofs/claim-proofs.js';
import { everyNDerivations } from '../../proofs/every-n.js';
import { allProofs } from '../../proofs/index.js';
import { catalogue } from '../../properties/index.js';

describe('the links from claims to their proofs (proofs/claim-proofs.ts)', () => {
  it('name catalogue claims and existing proofs only', () => {
    const claims = new Set(catalogue.map((c) => c.id));
    const proofs = new Set(allProofs.map((p) => p.id));
    for (const [claim, ids] of Object.entries(CLAIM_PROOFS)) {
      expect(claims.has(claim), `${claim} is not a catalogue claim`).toBe(true);
      for (const id of ids) expect(proofs.has(id), `${claim} → ${id} is not a proof`).toBe(true);
    }
  });

  it('link every every-N derivation to the claim it proves', () => {
    const linked = new Set(Object.values(CLAIM_PROOFS).flat());
    expect(everyNDerivations.map((d) => d.id).filter((id) => !linked.has(id))).toEqual([]);
    expect(CLAIM_PROOFS['gd.drift-identity']).toEqual(['every-n.gd.drift', 'every-n.gd.drift-decay']);
  });
});
