import { encodeKey, encodeValue } from '@junction/core';
import type { MessageDoc } from '@junction/core/store';
import type { RunRef } from '@junction/workflows/activities';

import type { JourneyActivityDeps } from './journey-deps.js';
import { loadPerson } from './person.js';

export interface ProfileUpdate extends RunRef {
  key: string;
  nodeId: string;
  set: Record<string, string | number | boolean | null>;
}

/** The stored path of a trait path: each name escaped as ingestion stores trait keys. */
function traitField(path: string): string {
  return `traits.${path.split('.').map(encodeKey).join('.')}`;
}

/**
 * Sets (or, for `null`, removes) traits on the person, then re-evaluates their tags and
 * segments as ingestion does after an `identify`. The key is recorded in the delivery log once
 * both are done, so a retry after a later trait change does not write the old value back.
 */
export function createUpdateProfile(deps: JourneyActivityDeps) {
  return async function updateProfile(input: ProfileUpdate): Promise<void> {
    const done = await deps.db.messages.findOne({ _id: input.key }, { projection: { status: 1 } });
    if (done?.status === 'sent') return;
    const person = await loadPerson(deps.db, input.workspaceId, input.profileId);
    if (!person) {
      deps.log.warn({ key: input.key, profileId: input.profileId }, 'profile update found nobody');
      return;
    }
    const now = new Date();
    const $set: Record<string, unknown> = { updatedAt: now };
    const $unset: Record<string, ''> = {};
    for (const [path, value] of Object.entries(input.set)) {
      if (value === null) $unset[traitField(path)] = '';
      else $set[traitField(path)] = encodeValue(value);
    }
    const update = Object.keys($unset).length > 0 ? { $set, $unset } : { $set };
    await deps.db.profiles.updateOne({ _id: person._id }, update);
    await deps.audience.refresher.refresh(input.workspaceId, [person._id]);
    await deps.db.messages.updateOne(
      { _id: input.key },
      {
        $setOnInsert: {
          workspaceId: input.workspaceId,
          journeyId: input.journeyId,
          journeyVersion: input.version,
          nodeId: input.nodeId,
          profileId: person._id,
          channel: 'profile',
          attempts: 1,
          createdAt: now,
        } satisfies Partial<MessageDoc>,
        $set: { status: 'sent', updatedAt: now },
      },
      { upsert: true },
    );
  };
}
