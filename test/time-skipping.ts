import { existsSync } from 'node:fs';

import { IllegalStateError } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

import { JOURNEY_SEARCH_ATTRIBUTES } from '@junction/core';

import { TEMPORAL_TEST_SERVER_BIN } from '../scripts/lib/paths.mjs';

const { INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_INT } =
  proto.temporal.api.enums.v1.IndexedValueType;

/** Every journey search attribute is a keyword except the version, an integer. */
const journeySearchAttributes = Object.fromEntries(
  Object.values(JOURNEY_SEARCH_ATTRIBUTES).map((name) => [
    name,
    name === JOURNEY_SEARCH_ATTRIBUTES.journeyVersion
      ? INDEXED_VALUE_TYPE_INT
      : INDEXED_VALUE_TYPE_KEYWORD,
  ]),
);

/**
 * Keeps the SDK's per-worker state changes out of test output; warnings still show, except
 * core's note that the test server does not keep heartbeat details, which no test relies on.
 */
export function quietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} },
      },
    });
  } catch (err) {
    // Already installed (an earlier environment in this test file): keep that one.
    if (!(err instanceof IllegalStateError)) throw err;
  }
}

/**
 * A Temporal environment on the Java time-skipping test server: timers fire as soon as no
 * workflow has other work, so a run that waits days finishes in seconds. The journey search
 * attributes are registered (the test server rejects unknown ones and cannot list them, so the
 * worker's own registration does not work there). Start workers on `env.nativeConnection`,
 * namespace `default`; call `env.teardown()` when done (it also stops the server).
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  // Scripts run outside `npm test` (e.g. recording histories) find it in the tools cache.
  const path =
    process.env.JUNCTION_TEMPORAL_TEST_SERVER ??
    (existsSync(TEMPORAL_TEST_SERVER_BIN) ? TEMPORAL_TEST_SERVER_BIN : undefined);
  if (!path) {
    throw new Error(
      'the Temporal test server is not installed: run tests through `npm test` (it installs it)',
    );
  }
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: journeySearchAttributes,
  });
  return env;
}
