export * from './clean.js';
export * from './mapping.js';
export * from './message-id.js';
export * from './row-to-message.js';
export * from './suggest-mapping.js';
