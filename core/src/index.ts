export * from './issues.js';
export * from './storage-keys.js';
export * from './tracking.js';
export * from './journey/index.js';
