// Types for paths.mjs.
export const ROOT: string;
export const TOOLS_DIR: string;
export const DATA_DIR: string;
export const TEMPORAL_CLI_VERSION: string;
export const FERRETDB_VERSION: string;
export const FERRETDB_BIN: string;
export const TEMPORAL_BIN: string;
