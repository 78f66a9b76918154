export { createApp, type AppDeps } from './app.js';
export { createWorkspace, type NewWorkspace } from './workspaces/credentials.js';
export { createLogger } from './logger.js';
export { loadLiveProfiles } from './identity/identity-store.js';
