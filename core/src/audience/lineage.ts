import type { Condition } from './condition.js';
import { walkConditions } from './counter-specs.js';
import type { SegmentDefinition, TagDefinition, TagRule } from './definitions.js';

type Path = (string | number)[];

/** One thing a tag or segment reads, and where in its definition it reads it. */
export interface AudienceReference {
  kind: 'event' | 'trait' | 'tag' | 'segment';
  name: string;
  path: Path;
}

/** What a tag or segment reads, each list sorted and without duplicates. */
export interface AudienceReads {
  events: string[];
  traits: string[];
  tags: string[];
  segments: string[];
}

export interface AudienceTarget {
  kind: 'tag' | 'segment';
  key: string;
}

/** Every definition that could read a tag or segment; journey definitions are walked as JSON. */
export interface LineageSources {
  tags: TagDefinition[];
  segments: SegmentDefinition[];
  journeys: { id: string; name: string; definition: unknown }[];
}

export interface AudienceDependents {
  tags: string[];
  segments: string[];
  journeys: { id: string; name: string }[];
}

/** Every read of a definition with its path, in definition order (duplicates kept). */
export function referencesOf(subject: TagDefinition | SegmentDefinition): AudienceReference[] {
  const references: AudienceReference[] = [];
  if ('rule' in subject) ruleReferences(subject.rule, ['rule'], references);
  else conditionReferences(subject.condition, ['condition'], references);
  return references;
}

export function readsOf(subject: TagDefinition | SegmentDefinition): AudienceReads {
  const found: Record<AudienceReference['kind'], Set<string>> = {
    event: new Set(),
    trait: new Set(),
    tag: new Set(),
    segment: new Set(),
  };
  for (const { kind, name } of referencesOf(subject)) found[kind].add(name);
  return {
    events: sorted(found.event),
    traits: sorted(found.trait),
    tags: sorted(found.tag),
    segments: sorted(found.segment),
  };
}

/** The tags, segments and journeys that read `target` themselves. */
export function dependentsOf(target: AudienceTarget, all: LineageSources): AudienceDependents {
  return collectDependents(target, all, false);
}

/** Everything downstream of `target`: its readers, their readers, and so on. */
export function transitiveDependentsOf(
  target: AudienceTarget,
  all: LineageSources,
): AudienceDependents {
  return collectDependents(target, all, true);
}

function collectDependents(
  target: AudienceTarget,
  all: LineageSources,
  transitive: boolean,
): AudienceDependents {
  const readers = [
    ...all.tags.map((tag) => ({ kind: 'tag' as const, key: tag.key, reads: readsOf(tag) })),
    ...all.segments.map((segment) => ({
      kind: 'segment' as const,
      key: segment.key,
      reads: readsOf(segment),
    })),
  ];
  const reached = new Set([targetId(target)]);
  const found = { tag: new Set<string>(), segment: new Set<string>() };
  const queue = [target];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const reader of readers) {
      const list = current.kind === 'tag' ? reader.reads.tags : reader.reads.segments;
      if (!list.includes(current.key) || reached.has(targetId(reader))) continue;
      reached.add(targetId(reader));
      found[reader.kind].add(reader.key);
      if (transitive) queue.push(reader);
    }
  }
  // Journeys count when they read the target or, when transitive, anything downstream of it.
  const read = transitive ? reached : new Set([targetId(target)]);
  const journeys = all.journeys
    .filter((journey) => journeyReads(journey.definition).some((id) => read.has(id)))
    .map(({ id, name }) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { tags: sorted(found.tag), segments: sorted(found.segment), journeys };
}

function targetId(target: AudienceTarget): string {
  return `${target.kind}:${target.key}`;
}

/**
 * The tags and segments a journey reads, found by shape anywhere in its JSON, so lineage keeps
 * up as node types gain conditions without this walker learning each of them.
 */
function journeyReads(definition: unknown): string[] {
  const reads: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record.type === 'tag' && typeof record.tag === 'string') reads.push(`tag:${record.tag}`);
    const marksSegment = record.type === 'segment' || record.kind === 'segment';
    if (marksSegment && typeof record.segment === 'string') reads.push(`segment:${record.segment}`);
    Object.values(record).forEach(visit);
  };
  visit(definition);
  return reads;
}

function ruleReferences(rule: TagRule, path: Path, into: AudienceReference[]): void {
  switch (rule.kind) {
    case 'static':
      into.push({ kind: 'trait', name: rule.trait, path: [...path, 'trait'] });
      return;
    case 'behavioral':
      into.push({ kind: 'event', name: rule.event, path: [...path, 'event'] });
      return;
    case 'dynamic':
      rule.cases.forEach(({ when }, index) => {
        conditionReferences(when, [...path, 'cases', index, 'when'], into);
      });
      return;
    case 'model': {
      const model = rule.model;
      const modelPath = [...path, 'model'];
      if (model.method === 'affinity') {
        into.push({ kind: 'event', name: model.event, path: [...modelPath, 'event'] });
        return;
      }
      model.features.forEach((feature, index) => {
        const featurePath = [...modelPath, 'features', index];
        if ('tag' in feature) {
          into.push({ kind: 'tag', name: feature.tag, path: [...featurePath, 'tag'] });
        } else {
          into.push({ kind: 'trait', name: feature.trait, path: [...featurePath, 'trait'] });
        }
      });
      conditionReferences(model.outcome, [...modelPath, 'outcome'], into);
      return;
    }
  }
}

function conditionReferences(condition: Condition, path: Path, into: AudienceReference[]): void {
  walkConditions(
    condition,
    (node, nodePath) => {
      const read = leafRead(node);
      // The field naming what a leaf reads is called after the kind: `tag`, `segment`, ...
      if (read) into.push({ ...read, path: [...nodePath, read.kind] });
    },
    path,
  );
}

function leafRead(node: Condition): Omit<AudienceReference, 'path'> | null {
  switch (node.type) {
    case 'trait':
      return { kind: 'trait', name: node.trait };
    case 'tag':
      return { kind: 'tag', name: node.tag };
    case 'event':
      return { kind: 'event', name: node.event };
    case 'segment':
      return { kind: 'segment', name: node.segment };
    default:
      return null;
  }
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}
