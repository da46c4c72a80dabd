// Wang–Jacot (arXiv:2305.16038): the decoupled-mode mathematics of the L2-regularized deep linear network and the
// checks of its claims — balancedness at critical points, the Schatten cost, the scalar separatrix, dead directions,
// the one-way rank, minima of several ranks, GD's rank-overestimating limits and SGD's jumps to lower rank.
// Instances: ./instances.ts.

export * from './balanced-at-critical.js';
export * from './dead-directions.js';
export * from './gd-limit.js';
export * from './instances.js';
export * from './jumps.js';
export * from './measures.js';
export * from './minima.js';
export * from './rank-never-rises.js';
export * from './scalar-mode.js';
export * from './scalar-separatrix.js';
export * from './schatten-cost.js';
export * from './strict-saddles.js';
