// Landscape of deep linear networks (THEORY §3): critical points, Hessians, rank conditions, local openness.

export * from './classify.js';
export * from './construct.js';
export * from './criticality.js';
export * from './data.js';
export * from './descent.js';
export * from './frame.js';
export * from './global-descent.js';
export * from './hessian.js';
export * from './json-input.js';
export * from './nr-models.js';
export * from './openness.js';
export * from './pair-rule.js';
export * from './poly-curve.js';
export * from './probe.js';
export * from './rotation.js';
export * from './structure.js';
export * from './tolerances.js';
export * from './trust-region.js';
