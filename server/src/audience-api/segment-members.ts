import type { Writable } from 'node:stream';

import type { Filter } from 'mongodb';

import { decodeObject } from '@junction/core';
import type { Collections, ProfileDoc } from '@junction/core/store';

export interface MemberPage {
  members: {
    id: string;
    since: Date;
    identities: ProfileDoc['identities'];
    traits: Record<string, unknown>;
  }[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

/** Segment keys are plain identifiers, so the membership path needs no escaping. */
function membersFilter(workspaceId: string, key: string, after?: string): Filter<ProfileDoc> {
  return {
    workspaceId,
    [`segments.${key}`]: { $exists: true },
    mergedInto: { $exists: false },
    ...(after !== undefined ? { _id: { $gt: after } } : {}),
  };
}

/** How many live profiles are in the segment now. */
export function segmentSize(db: Collections, workspaceId: string, key: string): Promise<number> {
  return db.profiles.countDocuments(membersFilter(workspaceId, key));
}

/** Members in `_id` order, so a page boundary never skips or repeats anybody. */
export async function memberPage(
  db: Collections,
  workspaceId: string,
  key: string,
  page: { limit: number; after?: string | undefined },
): Promise<MemberPage> {
  const docs = await db.profiles
    .find(membersFilter(workspaceId, key, page.after), {
      sort: { _id: 1 },
      limit: page.limit + 1,
      projection: { identities: 1, traits: 1, [`segments.${key}`]: 1 },
    })
    .toArray();
  const members = docs.slice(0, page.limit).map((doc) => ({
    id: doc._id,
    since: doc.segments?.[key]?.since ?? doc.createdAt,
    identities: doc.identities,
    traits: decodeObject(doc.traits ?? {}),
  }));
  const next = docs.length > page.limit ? (members[members.length - 1]?.id ?? null) : null;
  return { members, next };
}

export const MEMBERS_CSV_HEADER = 'profile_id,entered_at,user_id,email';

/**
 * Streams every member as CSV, waiting for the client whenever the socket buffer is full, so
 * a segment of any size is exported in constant memory. Stops when the client goes away.
 */
export async function writeMembersCsv(
  db: Collections,
  workspaceId: string,
  key: string,
  out: Writable,
): Promise<number> {
  const cursor = db.profiles.find(membersFilter(workspaceId, key), {
    projection: { identities: 1, 'traits.email': 1, [`segments.${key}`]: 1 },
    batchSize: 500,
  });
  let rows = 0;
  try {
    out.write(`${MEMBERS_CSV_HEADER}\n`);
    for await (const doc of cursor) {
      if (out.destroyed) break;
      rows++;
      if (!out.write(`${csvRow(memberRow(doc, key))}\n`)) await drained(out);
    }
  } finally {
    await cursor.close();
  }
  return rows;
}

function memberRow(doc: ProfileDoc, key: string): string[] {
  const identity = (type: string) => doc.identities?.find((id) => id.type === type)?.value;
  const traitEmail = doc.traits?.email;
  const email = identity('email') ?? (typeof traitEmail === 'string' ? traitEmail : '');
  const since = doc.segments?.[key]?.since;
  return [doc._id, since ? since.toISOString() : '', identity('user_id') ?? '', email];
}

/** A closed socket never drains: `close` ends the wait too, and the loop sees `destroyed`. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** RFC 4180: a field with a comma, quote or line break is quoted, inner quotes doubled. */
export function csvRow(fields: string[]): string {
  return fields
    .map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field))
    .join(',');
}
