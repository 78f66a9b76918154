import type { Db } from 'mongodb';

import { tagValueType, type JourneyReferences } from '@junction/core';
import {
  audienceCollections,
  collections,
  journeyCollections,
  type AudienceCollections,
  type Collections,
  type JourneyCollections,
} from '@junction/core/store';

/**
 * What a journey of a workspace may refer to: its live tags and segments, channels, templates
 * and the journeys a jump can enter (any not stopped). Read in full on each publish and draft
 * save; these lists are short next to profiles and events.
 */
export class JourneyReferenceLoader {
  private readonly audience: AudienceCollections;
  private readonly journeys: Collections['journeys'];
  private readonly store: JourneyCollections;

  constructor(db: Db) {
    this.audience = audienceCollections(db);
    this.journeys = collections(db).journeys;
    this.store = journeyCollections(db);
  }

  async load(workspaceId: string, journeyId: string): Promise<JourneyReferences> {
    const live = { workspaceId, deleted: false };
    const [segments, tags, templates, channels, journeys] = await Promise.all([
      this.audience.segments.find(live, { projection: { key: 1 } }).toArray(),
      this.audience.tags.find(live, { projection: { key: 1, definition: 1 } }).toArray(),
      this.store.templates
        .find({ workspaceId }, { projection: { key: 1, channelType: 1 } })
        .toArray(),
      this.store.channels.find({ workspaceId }, { projection: { key: 1, type: 1 } }).toArray(),
      this.journeys
        .find({ workspaceId, status: { $ne: 'stopped' } }, { projection: { _id: 1 } })
        .toArray(),
    ]);
    return {
      segments: new Set(segments.map((doc) => doc.key)),
      tags: new Set(tags.map((doc) => doc.key)),
      tagTypes: new Map(tags.map((doc) => [doc.key, tagValueType(doc.definition.rule)])),
      templates: new Map(templates.map((doc) => [doc.key, { channelType: doc.channelType }])),
      channels: new Map(channels.map((doc) => [doc.key, { type: doc.type }])),
      journeys: new Set(journeys.map((doc) => doc._id)),
      journeyId,
    };
  }
}
