export * from './seeded.js';
export * from './matrices.js';
export * from './networks.js';
export * from './nnls.js';
export * from './flows.js';
export * from './metric.js';
export * from './wang-jacot.js';
