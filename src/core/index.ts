export * from './amount.js';
export * from './apply.js';
export * from './codes.js';
export * from './invariants.js';
export * from './state.js';
export * from './types.js';
export { HOLD_DURATION_MAX_MS } from './operations/holds.js';
export * from './codec.js';
export * from './genesis.js';
