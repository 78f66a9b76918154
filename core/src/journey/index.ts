export * from './definition.js';
export * from './validate-graph.js';
export * from './run.js';
