// Matrix completion and product-only costs, sampling, SGD and the contrast optimizers (THEORY §4).

export * from './cost.js';
export * from './gradients.js';
export * from './instances.js';
export * from './mask.js';
export * from './optimizers.js';
export * from './train.js';
export * from './weight-decay.js';
