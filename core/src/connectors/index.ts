export * from './postgres-source.js';
export * from './redact-url.js';
export * from './row-message.js';
export * from './run.js';
export * from './schedule.js';
