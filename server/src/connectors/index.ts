// What the worker needs from the connector module: its run history and task queue.
export { ConnectorRunLog, type PageRecord } from './connector-run-log.js';
export { connectorTaskQueue } from './task-queue.js';
