import type { JourneyDoc, JourneyVersionDoc } from '@junction/core/store';

import type { VersionSummary } from './journey-store.js';

export function journeySummary(doc: JourneyDoc) {
  return {
    id: doc._id,
    name: doc.name,
    status: doc.status,
    liveVersion: doc.liveVersion,
    latestVersion: doc.latestVersion,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy ?? null,
    statusChangedAt: doc.statusChangedAt ?? doc.createdAt,
  };
}

export function journeyDetail(doc: JourneyDoc) {
  return { ...journeySummary(doc), draft: doc.draft };
}

/** A version in a list: who published it, why, and what it changed; no definition. */
export function versionSummary(doc: VersionSummary) {
  return {
    version: doc.version,
    publishedAt: doc.publishedAt,
    author: doc.author ?? null,
    notes: doc.notes,
    changes: doc.changes ?? null,
    rolledBackFrom: doc.rolledBackFrom ?? null,
  };
}

export function versionView(doc: JourneyVersionDoc) {
  return { journeyId: doc.journeyId, ...versionSummary(doc), definition: doc.definition };
}
