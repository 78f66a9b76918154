import type { NativeConnection } from '@temporalio/worker';
import proto from '@temporalio/proto';

import { JOURNEY_SEARCH_ATTRIBUTES } from '@junction/core';

import type { Logger } from './logger.js';

// @temporalio/proto is CommonJS; its namespaces are reachable only through the default export.
const { temporal } = proto;
const { INDEXED_VALUE_TYPE_KEYWORD, INDEXED_VALUE_TYPE_INT } =
  temporal.api.enums.v1.IndexedValueType;

const WANTED: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  [JOURNEY_SEARCH_ATTRIBUTES.workspaceId]: INDEXED_VALUE_TYPE_KEYWORD,
  [JOURNEY_SEARCH_ATTRIBUTES.journeyId]: INDEXED_VALUE_TYPE_KEYWORD,
  [JOURNEY_SEARCH_ATTRIBUTES.journeyVersion]: INDEXED_VALUE_TYPE_INT,
  [JOURNEY_SEARCH_ATTRIBUTES.profileId]: INDEXED_VALUE_TYPE_KEYWORD,
};

/**
 * Registers the journey search attributes on the namespace when they are missing, so a fresh
 * cluster works without a manual step. Clusters that forbid the operator API (e.g. a hosted
 * service) get a warning; register them there with `temporal operator search-attribute create`.
 */
export async function ensureSearchAttributes(
  connection: NativeConnection,
  namespace: string,
  log: Logger,
): Promise<void> {
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const present = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.fromEntries(
      Object.entries(WANTED).filter(([name]) => !present.has(name)),
    );
    if (Object.keys(missing).length === 0) return;
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    log.info({ namespace, added: Object.keys(missing) }, 'search attributes registered');
  } catch (err) {
    log.warn({ err, namespace }, 'could not register search attributes');
  }
}
