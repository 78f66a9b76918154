import { tagValueType } from '@junction/core';
import type {
  AudienceJobDoc,
  AudienceObjectDoc,
  AudienceVersionDoc,
  SegmentDoc,
  TagDoc,
} from '@junction/core/store';

/** The fields every tag and segment answer shares: its version and who changed it last. */
function headFields(doc: AudienceObjectDoc<unknown>) {
  return {
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    updatedBy: doc.updatedBy,
  };
}

export function tagSummary(doc: TagDoc) {
  const { key, name, description, owner, rule } = doc.definition;
  return {
    key,
    name,
    description,
    owner,
    kind: rule.kind,
    valueType: tagValueType(rule),
    ...headFields(doc),
  };
}

export function tagView(doc: TagDoc) {
  return { ...doc.definition, valueType: tagValueType(doc.definition.rule), ...headFields(doc) };
}

export function segmentSummary(doc: SegmentDoc) {
  const { key, name, description, owner } = doc.definition;
  return { key, name, description, owner, ...headFields(doc) };
}

export function segmentView(doc: SegmentDoc) {
  return { ...doc.definition, ...headFields(doc) };
}

/** A version as history lists it; `definition` only when one version is asked for. */
export function versionSummary(doc: Omit<AudienceVersionDoc<unknown>, 'definition'>) {
  return {
    version: doc.version,
    author: doc.author,
    createdAt: doc.createdAt,
    changes: doc.changes,
    ...(doc.rolledBackTo !== undefined ? { rolledBackTo: doc.rolledBackTo } : {}),
  };
}

export function versionView(doc: AudienceVersionDoc<unknown>) {
  return { ...versionSummary(doc), deleted: doc.definition === null, definition: doc.definition };
}

/** A batch job's progress; `percent` is of the profiles counted when it started. */
export function jobView(doc: AudienceJobDoc) {
  const done = doc.status === 'completed';
  const ratio = doc.total > 0 ? doc.processed / doc.total : done ? 1 : 0;
  return {
    id: doc._id,
    kind: doc.kind,
    target: doc.target,
    status: doc.status,
    processed: doc.processed,
    total: doc.total,
    changed: doc.changed,
    eventsRead: doc.eventsRead,
    percent: done ? 100 : Math.min(99, Math.floor(ratio * 100)),
    ...(doc.error !== undefined ? { error: doc.error } : {}),
    startedAt: doc.startedAt,
    updatedAt: doc.updatedAt,
    ...(doc.finishedAt !== undefined ? { finishedAt: doc.finishedAt } : {}),
  };
}
