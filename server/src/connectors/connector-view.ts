import { redactUrl } from '@junction/core';
import type { ConnectorDoc } from '@junction/core/store';

/** A connector as the API answers it: the connection password is never returned. */
export function connectorView(doc: ConnectorDoc) {
  return {
    ...connectorSummary(doc),
    mapping: doc.mapping,
    runs: doc.runs,
  };
}

export function connectorSummary(doc: ConnectorDoc) {
  return {
    id: doc._id,
    name: doc.name,
    status: doc.status,
    source: { ...doc.source, url: redactUrl(doc.source.url) },
    schedule: doc.schedule,
    cursor: doc.cursor,
    totals: doc.totals,
    lastRun: doc.lastRun,
    lastError: doc.lastError,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
