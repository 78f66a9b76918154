import { encodeKey } from '../storage-keys.js';
import type { Aggregate, Condition, Predicate, PredicateOp, TagCondition } from './condition.js';
import type { AudienceDefinitions, CounterSpec } from './context.js';
import {
  affinitySpec,
  behavioralTagSpec,
  counterSpecId,
  eventConditionSpec,
} from './counter-specs.js';
import type { DynamicTagRule, TagDefinition } from './definitions.js';
import { isRelative } from './expiry.js';
import { asDate, testPredicate } from './predicate.js';
import { fieldsRead } from './pushdown-projection.js';

type Filter = Record<string, unknown>;
/** A filter, or `true` when nothing can be pushed down and `false` when nothing can match. */
type Pushed = Filter | boolean;

// Tags and segments are expanded into their definitions this deep; deeper reads pass all.
const MAX_EXPANSION_DEPTH = 4;
const EPOCH = new Date(0);
const COMPLEMENTS: Partial<Record<PredicateOp, PredicateOp>> = {
  exists: 'not_exists',
  not_exists: 'exists',
  eq: 'neq',
  neq: 'eq',
  in: 'not_in',
  not_in: 'in',
  contains: 'not_contains',
  not_contains: 'contains',
};

/**
 * For the bulk path: a MongoDB filter that every profile meeting any of the conditions passes
 * (a superset: it only narrows what the server sends, the compiled evaluator decides) and a
 * projection of the fields evaluating them reads. The filter keeps to what FerretDB v1 runs:
 * equality, `$in`, comparisons, `$exists`, `$and` and `$or`.
 */
export function audienceQuery(
  defs: AudienceDefinitions,
  condition: Condition | Condition[],
): { filter: Record<string, unknown>; projection: Record<string, 0 | 1> } {
  const conditions = Array.isArray(condition) ? condition : [condition];
  const builder = new FilterBuilder(defs);
  const pushed = anyOf(conditions.map((each) => builder.condition(each)));
  const projection: Record<string, 0 | 1> = { _id: 1 };
  for (const field of fieldsRead(defs, conditions)) projection[field] = 1;
  const nothing = { _id: { $in: [] } };
  return { filter: pushed === true ? {} : pushed === false ? nothing : pushed, projection };
}

class FilterBuilder {
  private readonly expanding = new Set<string>();

  constructor(private readonly defs: AudienceDefinitions) {}

  condition(condition: Condition): Pushed {
    switch (condition.type) {
      case 'all':
        return allOf(condition.conditions.map((child) => this.condition(child)));
      case 'any':
        return anyOf(condition.conditions.map((child) => this.condition(child)));
      case 'not': {
        const negated = negation(condition.condition);
        return negated ? this.condition(negated) : true;
      }
      case 'trait':
        return traitFilter(traitField(condition.trait), condition);
      case 'tag':
        return this.tag(condition);
      case 'event':
        return this.counter(eventConditionSpec(condition), emptyAggregate(condition), condition);
      case 'segment': {
        if (!condition.member) return true;
        const entry = this.defs.segments.get(condition.segment);
        if (!entry) return false;
        const { condition: definition } = entry.definition;
        return this.expand(`segment:${condition.segment}`, () => this.condition(definition));
      }
    }
  }

  private tag(condition: TagCondition): Pushed {
    const entry = this.defs.tags.get(condition.tag);
    // A missing value, whatever the reason (no tag, a cycle, no trained model), holds or not.
    if (mayHold(condition, null)) return true;
    if (!entry) return false;
    return this.expand(`tag:${condition.tag}`, () => this.tagValue(entry, condition));
  }

  /** What a tag having a value the predicate accepts says about the profile. */
  private tagValue(
    entry: { version: number; definition: TagDefinition },
    predicate: Predicate,
  ): Pushed {
    const { key, rule } = entry.definition;
    switch (rule.kind) {
      case 'static':
        return { [traitField(rule.trait)]: { $exists: true } };
      case 'behavioral':
        return this.counter(behavioralTagSpec(rule), emptyAggregate(rule), predicate);
      case 'dynamic':
        return this.dynamic(rule, predicate);
      case 'model': {
        if (rule.model.method === 'affinity') {
          return this.counter(affinitySpec(rule.model), null, predicate);
        }
        const trained = this.defs.models.get(key);
        return trained !== undefined && trained.tagVersion === entry.version;
      }
    }
  }

  // A case's value means its `when` held; the other cases say nothing.
  private dynamic(rule: DynamicTagRule, predicate: Predicate): Pushed {
    if (rule.otherwise !== undefined && mayHold(predicate, rule.otherwise)) return true;
    const parts: Pushed[] = [];
    for (const { when, value } of rule.cases) {
      if (mayHold(predicate, value)) parts.push(this.condition(when));
    }
    return anyOf(parts);
  }

  /** A read of a counter that needs events in its window needs the counter on the profile. */
  private counter(spec: CounterSpec, empty: number | null, predicate: Predicate): Pushed {
    if (mayHold(predicate, empty)) return true;
    const field = this.defs.counters.get(counterSpecId(spec))?.field;
    return field === undefined ? false : { [`counters.${field}`]: { $exists: true } };
  }

  private expand(id: string, push: () => Pushed): Pushed {
    if (this.expanding.has(id) || this.expanding.size >= MAX_EXPANSION_DEPTH) return true;
    this.expanding.add(id);
    try {
      return push();
    } finally {
      this.expanding.delete(id);
    }
  }
}

function traitFilter(field: string, predicate: Predicate): Pushed {
  switch (predicate.op) {
    case 'exists':
    case 'before':
    case 'after':
    case 'within_last_days':
    case 'more_than_days_ago':
      return { [field]: { $exists: true } };
    case 'eq':
      return { [field]: predicate.value };
    case 'in':
      return { [field]: { $in: predicate.value } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { [field]: { [`$${predicate.op}`]: predicate.value } };
    case 'contains':
      // A substring needs a regex, which FerretDB v1 cannot be trusted with; a list element is
      // plain equality (MongoDB matches arrays element-wise).
      if (typeof predicate.value === 'string') return { [field]: { $exists: true } };
      return { [field]: predicate.value };
    case 'starts_with':
      // Every string with the prefix sorts at or after it, in UTF-8 and UTF-16 order alike.
      return { [field]: { $gte: predicate.value } };
    default:
      return true;
  }
}

function traitField(path: string): string {
  return `traits.${path.split('.').map(encodeKey).join('.')}`;
}

/** Whether some profile could have this value and meet the predicate, whatever `now` is. */
function mayHold(predicate: Predicate, value: unknown): boolean {
  if (isRelative(predicate)) return asDate(value) !== null;
  return testPredicate(predicate, value, EPOCH);
}

function emptyAggregate(reader: { aggregate: Aggregate }): number | null {
  const { aggregate } = reader;
  return aggregate === 'count' || aggregate === 'sum' || aggregate === 'distinct' ? 0 : null;
}

/** The exact complement of a condition, when the vocabulary can say it without `not`. */
function negation(condition: Condition): Condition | undefined {
  switch (condition.type) {
    case 'not':
      return condition.condition;
    case 'all':
    case 'any':
      return {
        type: condition.type === 'all' ? 'any' : 'all',
        conditions: condition.conditions.map(
          (child) => negation(child) ?? { type: 'not', condition: child },
        ),
      };
    case 'segment':
      return { ...condition, member: !condition.member };
    default: {
      const op = COMPLEMENTS[condition.op];
      return op === undefined ? undefined : ({ ...condition, op } as Condition);
    }
  }
}

function allOf(parts: Pushed[]): Pushed {
  const filters: Filter[] = [];
  for (const part of parts) {
    if (part === false) return false;
    if (part !== true) filters.push(part);
  }
  if (filters.length === 0) return true;
  return filters.length === 1 ? filters[0]! : { $and: filters };
}

function anyOf(parts: Pushed[]): Pushed {
  const filters: Filter[] = [];
  for (const part of parts) {
    if (part === true) return true;
    if (part !== false) filters.push(part);
  }
  if (filters.length === 0) return false;
  return filters.length === 1 ? filters[0]! : { $or: filters };
}
