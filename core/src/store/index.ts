export * from './documents.js';
export * from './connectors.js';
export * from './imports.js';
export * from './audience.js';
export * from './journeys.js';
