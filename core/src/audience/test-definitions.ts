// Builders shared by the audience tests; not exported from the package.
import type { Condition } from './condition.js';
import type { AudienceDefinitions } from './context.js';
import { counterSpecId, countersNeeded } from './counter-specs.js';
import type { SegmentDefinition, TagDefinition, TagRule, TrainedModel } from './definitions.js';

export function tagOf(key: string, rule: TagRule): TagDefinition {
  return { key, name: key, description: '', owner: '', rule };
}

export function segmentOf(key: string, condition: Condition): SegmentDefinition {
  return { key, name: key, description: '', owner: '', condition };
}

/** Definitions with every counter they read active, each in the field named by its id. */
export function definitionsOf(input: {
  tags?: TagDefinition[];
  segments?: SegmentDefinition[];
  models?: TrainedModel[];
  timeZone?: string;
}): AudienceDefinitions {
  const tags = input.tags ?? [];
  const segments = input.segments ?? [];
  const counters = countersNeeded(tags, segments).map((spec) => {
    const id = counterSpecId(spec);
    return [id, { spec, field: id, activatedAt: new Date(0) }] as const;
  });
  return {
    tags: new Map(tags.map((definition) => [definition.key, { version: 1, definition }])),
    segments: new Map(segments.map((definition) => [definition.key, { version: 1, definition }])),
    models: new Map((input.models ?? []).map((model) => [model.tag, model])),
    counters: new Map(counters),
    timeZone: input.timeZone ?? 'UTC',
  };
}
