export { importRoutes } from './routes.js';
export type { IdentitySettingsSource, MessageSink, RunnerOptions } from './import-runner.js';
