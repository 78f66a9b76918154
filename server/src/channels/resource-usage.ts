import { journeyVersionDocId, type Collections } from '@junction/core/store';

import { HttpError } from '../http/errors.js';

export interface UsingJourney {
  id: string;
  name: string;
}

/** What a message node names: a channel key or a template key. */
export type ResourceRef = { channel: string } | { template: string };

/**
 * The live (or paused) journeys whose live version sends through a channel or template, so
 * neither is deleted or retyped from under people waiting to receive it.
 * TODO(journeys): runs still on an older version are not looked at; a send of theirs through
 * a deleted channel fails for good.
 */
export async function journeysUsing(
  db: Collections,
  workspaceId: string,
  ref: ResourceRef,
): Promise<UsingJourney[]> {
  const journeys = await db.journeys
    .find(
      { workspaceId, status: { $in: ['live', 'paused'] } },
      { projection: { name: 1, liveVersion: 1 } },
    )
    .toArray();
  const names = new Map(journeys.map((doc) => [doc._id, doc.name]));
  const ids = journeys.flatMap((doc) =>
    doc.liveVersion === null ? [] : [journeyVersionDocId(doc._id, doc.liveVersion)],
  );
  if (ids.length === 0) return [];
  const versions = await db.journeyVersions
    .find({ _id: { $in: ids }, workspaceId }, { projection: { journeyId: 1, definition: 1 } })
    .toArray();
  return versions
    .filter((version) =>
      version.definition.nodes.some(
        (node) =>
          node.type === 'message' &&
          ('channel' in ref ? node.channel === ref.channel : node.template === ref.template),
      ),
    )
    .map((version) => ({ id: version.journeyId, name: names.get(version.journeyId) ?? '' }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Refuses a change to a resource that live journeys send through, naming each of them. */
export async function assertUnused(
  db: Collections,
  workspaceId: string,
  ref: ResourceRef,
  change: string,
): Promise<void> {
  const using = await journeysUsing(db, workspaceId, ref);
  if (using.length === 0) return;
  const what = 'channel' in ref ? `channel "${ref.channel}"` : `template "${ref.template}"`;
  const issues = using.map((journey) => ({
    code: 'in_use',
    path: ['journeys', journey.id],
    message: `live journey "${journey.name}" sends through it`,
  }));
  const message = `cannot ${change} ${what}: ${using.length} live journey(s) use it`;
  throw new HttpError(409, 'in_use', message, issues);
}
