export * from './flows.js';
export * from './matrices.js';
export * from './metric.js';
export * from './networks.js';
export * from './nnls.js';
export * from './seeded.js';
export * from './wang-jacot.js';
