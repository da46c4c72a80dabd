export * from './network.js';
export * from './partial-products.js';
export * from './loss.js';
export * from './gradients.js';
export * from './hessian.js';
export * from './balancedness.js';
export * from './balanced-init.js';
export * from './biased-network.js';
