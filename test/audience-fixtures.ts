import type { SegmentDefinition, TagDefinition } from '@junction/core';
import { audienceCollections } from '@junction/core/store';
import { audienceNightlyScheduleId, audienceSweepScheduleId } from '@junction/server/audience';

import { DefinitionStore } from '../server/src/audience-api/definition-store.js';
import type { TestStack } from './harness.js';

const author = { id: 'test', name: 'test' };

/**
 * Saves a tag or segment as the API's store does, without the API's publish and backfill, so a
 * test decides when the runtime hears of it.
 */
export async function storeDefinition(
  stack: TestStack,
  workspaceId: string,
  definition: { kind: 'tag'; tag: TagDefinition } | { kind: 'segment'; segment: SegmentDefinition },
): Promise<void> {
  const stored = audienceCollections(stack.db);
  if (definition.kind === 'tag') {
    const store = new DefinitionStore<TagDefinition>('tag', stored.tags, stored.tagVersions);
    await store.write(workspaceId, definition.tag.key, definition.tag, author);
  } else {
    const store = new DefinitionStore<SegmentDefinition>(
      'segment',
      stored.segments,
      stored.segmentVersions,
    );
    await store.write(workspaceId, definition.segment.key, definition.segment, author);
  }
}

/** Removes the schedules `published` created, so they do not outlive the test's servers. */
export async function deleteAudienceSchedules(stack: TestStack, workspaceId: string) {
  for (const id of [audienceNightlyScheduleId, audienceSweepScheduleId]) {
    await stack.temporal.schedule
      .getHandle(id(workspaceId))
      .delete()
      .catch(() => undefined);
  }
}

/** The profile a user id resolves to, as stored. */
export async function profileOfUser(stack: TestStack, workspaceId: string, userId: string) {
  const identity = await stack.store.identities.findOne({
    _id: `${workspaceId}:user_id:${userId}`,
  });
  return identity ? stack.store.profiles.findOne({ _id: identity.profileId }) : null;
}
