export * from './block.js';
export * from './encoding.js';
export * from './keys.js';
export * from './merkle.js';
export * from './receipt.js';
export * from './transaction.js';
export * from './verify.js';
export * from './request.js';
