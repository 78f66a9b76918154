export * from './condition.js';
export * from './context.js';
export * from './definitions.js';
export * from './model-score.js';
export * from './predicate.js';
export * from './counters.js';
export * from './local-dates.js';
export * from './counter-specs.js';
