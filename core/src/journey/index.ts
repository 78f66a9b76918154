export * from './definition.js';
export * from './validate-graph.js';
export * from './validate-references.js';
export * from './run.js';
export * from './ab-assignment.js';
export * from './event-match.js';
export * from './local-clock.js';
export * from './version-diff.js';
