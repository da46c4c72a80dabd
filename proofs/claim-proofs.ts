/**
 * Which proofs derive which catalogue claims: the JSON and HTML reports of `dlnv verify` show these derivations
 * beside the claim's numeric verdict. A claim with an every-N derivation is linked to it (it covers the
 * fixed-depth sweep of the concrete proof of the same statement); the others to their concrete proof.
 */
import type { ClaimDerivation } from '../src/claims/derivation.js';
import type { ClaimReport } from '../src/claims/runner.js';
import { DlnvError } from '../src/errors.js';
import { claimDerivation, type Proof } from '../src/symbolic/proof.js';
import { allProofs } from './index.js';

/** Claim id → ids of the proofs that derive it (`dlnv proofs --only ID`). */
export const CLAIM_PROOFS: Readonly<Record<string, readonly string[]>> = {
  'grad.layer': ['every-n.grad.layer'],
  'grad.hessian': ['grad.hessian'],
  'flow.conservation': ['every-n.flow.conservation'],
  'gd.drift-identity': ['every-n.gd.drift', 'every-n.gd.drift-decay'],
  'flow.end-to-end': ['every-n.flow.end-to-end'],
  'metric.svd-form': ['metric.svd-form'],
  'metric.riemannian-gradient': ['metric.riemannian-gradient'],
  'nnls.reparam-flow': ['nnls.reparam-flow'],
};

/**
 * The reports with the derivations of their claims attached (a report whose claim has none is returned as it
 * is). `links` and `proofs` default to the catalogue's; a link to a proof that does not exist is a DlnvError.
 */
export function withDerivations(
  reports: readonly ClaimReport[],
  links: Readonly<Record<string, readonly string[]>> = CLAIM_PROOFS,
  proofs: readonly Proof[] = allProofs,
): ClaimReport[] {
  const byId = new Map(proofs.map((p) => [p.id, p]));
  const derivations = (claim: string): ClaimDerivation[] =>
    (links[claim] ?? []).map((id) => {
      const proof = byId.get(id);
      if (!proof) throw new DlnvError('domain', `claim '${claim}' is linked to '${id}', which is not a proof`);
      return claimDerivation(proof);
    });
  return reports.map((r) => (links[r.id] ? { ...r, derivations: derivations(r.id) } : r));
}
