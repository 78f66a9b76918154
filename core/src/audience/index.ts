export * from './condition.js';
export * from './context.js';
export * from './definitions.js';
export * from './model-score.js';
