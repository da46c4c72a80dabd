// Landscape of deep linear networks (THEORY §3): critical points, Hessians, rank conditions, local openness.
export * from './frame.js';
export * from './tolerances.js';
export * from './hessian.js';
export * from './data.js';
export * from './construct.js';
export * from './structure.js';
export * from './rotation.js';
export * from './pair-rule.js';
export * from './poly-curve.js';
export * from './probe.js';
export * from './classify.js';
export * from './descent.js';
export * from './openness.js';
export * from './nr-models.js';
export * from './instances.js';
export * from './json-input.js';
