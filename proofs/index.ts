/**
 * The proofs: symbolic derivations, each confirmed numerically. `dlnv proofs` runs allProofs.map(p => p.run(seed)).
 */
import type { Proof } from '../src/symbolic/proof.js';
import { conservation } from './conservation.js';
import { criticalValueProof } from './critical-value.js';
import { endToEndDynamics } from './end-to-end.js';
import { everyNProofs } from './every-n.js';
import { gdDrift } from './gd-drift.js';
import { hessian } from './hessian.js';
import { layerGradient } from './layer-gradient.js';
import { metricCoefficients } from './metric-coefficients.js';
import { nnlsReparamFlow } from './nnls-reparam-flow.js';
import { riemannianGradient } from './riemannian-gradient.js';
import { rotationCertificateProof } from './rotation-certificate.js';

export type { Proof } from '../src/symbolic/proof.js';
export {
  conservation,
  criticalValueProof,
  endToEndDynamics,
  gdDrift,
  hessian,
  layerGradient,
  metricCoefficients,
  nnlsReparamFlow,
  riemannianGradient,
  rotationCertificateProof,
};

export const allProofs: Proof[] = [
  layerGradient,
  hessian,
  conservation,
  gdDrift,
  endToEndDynamics,
  metricCoefficients,
  riemannianGradient,
  criticalValueProof,
  rotationCertificateProof,
  nnlsReparamFlow,
  ...everyNProofs,
];
