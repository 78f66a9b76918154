import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Built and downloaded tools; git-ignored, reused across runs. */
export const TOOLS_DIR = path.join(ROOT, '.tools');
/** Local data that survives restarts of `npm start`; git-ignored. */
export const DATA_DIR = path.join(ROOT, '.data');

export const TEMPORAL_CLI_VERSION = '1.9.1';
export const FERRETDB_VERSION = 'v1.24.2';

export const FERRETDB_BIN = path.join(TOOLS_DIR, 'bin', 'junction-ferretdb');
export const TEMPORAL_BIN = path.join(
  TOOLS_DIR,
  `temporal-${TEMPORAL_CLI_VERSION}`,
  'bin',
  'temporal',
);

export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
/** Launcher of Temporal's Java time-skipping test server: `temporal-test-server <port>`. */
export const TEMPORAL_TEST_SERVER_BIN = path.join(
  TOOLS_DIR,
  `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`,
  'bin',
  'temporal-test-server',
);
