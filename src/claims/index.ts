export * from './claim.js';
export * from './derivation.js';
export * from './runner.js';
export * from './seed.js';
export * from './select.js';
