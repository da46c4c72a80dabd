// Matrix completion and product-only costs, sampling, SGD and the contrast optimizers (THEORY §4).
export * from './mask.js';
export * from './cost.js';
export * from './weight-decay.js';
export * from './gradients.js';
export * from './optimizers.js';
export * from './train.js';
export * from './instances.js';
