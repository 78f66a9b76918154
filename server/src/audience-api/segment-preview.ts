import type { Filter, FindCursor } from 'mongodb';

import {
  audienceQuery,
  compileCondition,
  decodeObject,
  type AudienceDefinitions,
  type AudienceProfile,
  type Condition,
} from '@junction/core';
import type { Collections, ProfileDoc } from '@junction/core/store';

export interface PreviewLimits {
  /** Profiles evaluated before the answer becomes an estimate. */
  maxScanned: number;
  /** Time spent scanning before the answer becomes an estimate. */
  maxMs: number;
  sampleSize: number;
}

export const PREVIEW_LIMITS: PreviewLimits = { maxScanned: 20_000, maxMs: 2_000, sampleSize: 10 };

export interface SegmentPreview {
  estimate: number;
  matched: number;
  /** Profiles evaluated: those the pushed-down filter let through, up to the limits. */
  scanned: number;
  /** Live profiles in the workspace. */
  total: number;
  /** True when every candidate was evaluated, so `estimate` is the count. */
  exact: boolean;
  sample: { id: string; identities: ProfileDoc['identities']; traits: Record<string, unknown> }[];
}

/**
 * Who a draft condition would hold for, without saving it: the database narrows the profiles
 * with the pushed-down filter, the compiled condition decides, and a long scan stops early
 * with an estimate scaled from the profiles it did evaluate.
 */
export async function previewSegment(
  db: Collections,
  workspaceId: string,
  defs: AudienceDefinitions,
  condition: Condition,
  options: { now?: Date; limits?: PreviewLimits } = {},
): Promise<SegmentPreview> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? PREVIEW_LIMITS;
  const { filter, projection } = audienceQuery(defs, condition);
  const holds = compileCondition(condition, defs, now);
  const live = { workspaceId, mergedInto: { $exists: false } };
  const pushed = Object.keys(filter).length > 0;
  const query = (pushed ? { $and: [live, filter] } : live) as Filter<ProfileDoc>;
  const cursor = db.profiles.find(query, { projection, batchSize: 1000 });
  const [total, scan] = await Promise.all([
    db.profiles.countDocuments(live),
    scanCandidates(cursor, holds, limits),
  ]);
  const { scanned, matched, exact } = scan;
  // The scanned profiles stand for those passing the filter, not for the whole workspace.
  const candidates = exact ? scanned : pushed ? await db.profiles.countDocuments(query) : total;
  const estimate = exact || scanned === 0 ? matched : Math.round((matched / scanned) * candidates);
  return { estimate, matched, scanned, total, exact, sample: await sampleOf(db, scan.sampleIds) };
}

/** Evaluates candidates until they run out (exact) or a limit is reached. */
async function scanCandidates(
  cursor: FindCursor<ProfileDoc>,
  holds: (profile: AudienceProfile) => boolean,
  limits: PreviewLimits,
) {
  const deadline = Date.now() + limits.maxMs;
  const sampleIds: string[] = [];
  let scanned = 0;
  let matched = 0;
  let exact = true;
  try {
    for (let doc = await cursor.tryNext(); doc; doc = await cursor.tryNext()) {
      scanned++;
      if (holds({ ...doc, traits: doc.traits ?? {} })) {
        matched++;
        if (sampleIds.length < limits.sampleSize) sampleIds.push(doc._id);
      }
      if (scanned >= limits.maxScanned || Date.now() >= deadline) {
        exact = !(await cursor.hasNext());
        break;
      }
    }
  } finally {
    await cursor.close();
  }
  return { scanned, matched, exact, sampleIds };
}

async function sampleOf(db: Collections, ids: string[]): Promise<SegmentPreview['sample']> {
  if (ids.length === 0) return [];
  const docs = await db.profiles
    .find({ _id: { $in: ids } }, { projection: { identities: 1, traits: 1 } })
    .toArray();
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  return ids.flatMap((id) => {
    const doc = byId.get(id);
    if (!doc) return [];
    return [{ id, identities: doc.identities, traits: decodeObject(doc.traits ?? {}) }];
  });
}
