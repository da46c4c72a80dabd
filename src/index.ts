// The public API of dlnv: everything a user needs to write, run and report their own claims.
export * from './errors.js';
export * from './linalg/index.js';
export * from './random/rng.js';
export * from './random/gaussian-matrix.js';
export * from './random/orthonormal.js';
export * from './random/constructions.js';
export * from './model/index.js';
export * from './geometry/index.js';
export * from './dynamics/index.js';
export * from './check/index.js';
export * from './arbitraries/index.js';
export * from './claims/index.js';
export * as symbolic from './symbolic/index.js';
export * from './landscape/index.js';
export * from './rayleigh/index.js';
