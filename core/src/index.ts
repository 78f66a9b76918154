export * from './issues.js';
export * from './storage-keys.js';
export * from './tracking.js';
export * from './journey/index.js';
export * from './identity/index.js';
export * from './imports/index.js';
export * from './connectors/index.js';
export * from './audience/index.js';
