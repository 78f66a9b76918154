import { sha256Hex } from '../imports/sha256.js';
import type { Aggregate, Condition, EventCondition, PropertyFilter } from './condition.js';
import type { CounterSpec } from './context.js';
import type {
  AffinityModel,
  BehavioralTagRule,
  SegmentDefinition,
  TagDefinition,
} from './definitions.js';

// Only these aggregates read the property's values; count, first and last share one counter.
const PROPERTY_AGGREGATES: ReadonlySet<Aggregate> = new Set(['sum', 'min', 'max', 'distinct']);

/** The stable id of a counter: `c` and 11 hex digits of the hash of its canonical JSON. */
export function counterSpecId(spec: CounterSpec): string {
  return `c${sha256Hex(canonicalJson(normalizeSpec(spec))).slice(0, 11)}`;
}

/** The counter an event condition reads. */
export function eventConditionSpec(condition: EventCondition): CounterSpec {
  return selectorSpec(condition.event, condition.where, propertyRead(condition));
}

/** The counter a behavioral tag reads. */
export function behavioralTagSpec(rule: BehavioralTagRule): CounterSpec {
  return selectorSpec(rule.event, rule.where, propertyRead(rule));
}

/** The counter an affinity model reads: events per category. */
export function affinitySpec(model: AffinityModel): CounterSpec {
  return { ...selectorSpec(model.event, model.where, undefined), groupBy: model.categoryProperty };
}

/** Every distinct counter the tags and segments read, in the order first met. */
export function countersNeeded(
  tags: TagDefinition[],
  segments: SegmentDefinition[],
): CounterSpec[] {
  const specs = new Map<string, CounterSpec>();
  const add = (spec: CounterSpec): void => {
    const id = counterSpecId(spec);
    if (!specs.has(id)) specs.set(id, spec);
  };
  const addFrom = (condition: Condition): void =>
    walkConditions(condition, (node) => {
      if (node.type === 'event') add(eventConditionSpec(node));
    });

  for (const { rule } of tags) {
    if (rule.kind === 'behavioral') add(behavioralTagSpec(rule));
    if (rule.kind === 'dynamic') rule.cases.forEach(({ when }) => addFrom(when));
    if (rule.kind === 'model' && rule.model.method === 'affinity') add(affinitySpec(rule.model));
    if (rule.kind === 'model' && rule.model.method === 'logistic') addFrom(rule.model.outcome);
  }
  segments.forEach(({ condition }) => addFrom(condition));
  return [...specs.values()];
}

/** Visits every node of a condition depth-first, parents before children, with its path. */
export function walkConditions(
  condition: Condition,
  visit: (condition: Condition, path: (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  visit(condition, path);
  if (condition.type === 'all' || condition.type === 'any') {
    condition.conditions.forEach((child, index) =>
      walkConditions(child, visit, [...path, 'conditions', index]),
    );
  } else if (condition.type === 'not') {
    walkConditions(condition.condition, visit, [...path, 'condition']);
  }
}

function propertyRead(reader: { aggregate: Aggregate; property?: string | undefined }) {
  return PROPERTY_AGGREGATES.has(reader.aggregate) ? reader.property : undefined;
}

function selectorSpec(
  event: string,
  where: PropertyFilter[] | undefined,
  property: string | undefined,
): CounterSpec {
  const spec: CounterSpec = { event };
  if (where && where.length > 0) spec.where = where;
  if (property !== undefined) spec.property = property;
  return spec;
}

// Drops what does not change the counted events, so equal counters get equal ids.
function normalizeSpec(spec: CounterSpec): CounterSpec {
  const normalized = selectorSpec(spec.event, spec.where, spec.property);
  if (spec.groupBy !== undefined) normalized.groupBy = spec.groupBy;
  return normalized;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
