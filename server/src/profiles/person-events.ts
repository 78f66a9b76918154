import type { Collection, Filter } from 'mongodb';

import type { EventDoc, ProfileDoc } from '@junction/core/store';

import { olderThan, pageOf, type Cursor } from './page.js';

/**
 * A person's events matching `match`, newest first, across the profile and every profile merged
 * into it, one page at a time.
 */
export async function personEvents(
  events: Collection<EventDoc>,
  workspaceId: string,
  profile: ProfileDoc,
  match: Filter<EventDoc>,
  query: { limit: number; before?: Cursor | Date | undefined; projection: Record<string, 0 | 1> },
) {
  const filter = {
    workspaceId,
    profileId: { $in: [profile._id, ...(profile.mergedFrom ?? [])] },
    ...match,
    ...olderThan('timestamp', query.before),
  } as Filter<EventDoc>;
  const docs = await events
    .find(filter, {
      sort: { timestamp: -1, _id: -1 },
      limit: query.limit + 1,
      projection: query.projection,
    })
    .toArray();
  return pageOf(docs, query.limit, (doc) => doc.timestamp);
}
