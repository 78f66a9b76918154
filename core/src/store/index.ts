export * from './documents.js';
export * from './connectors.js';
export * from './imports.js';
