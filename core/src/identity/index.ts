export * from './identifiers.js';
export * from './merge-traits.js';
export * from './settings.js';
