import type { Condition } from './condition.js';
import type { AudienceDefinitions, CounterBuckets, CounterSpec } from './context.js';
import { affinitySpec, behavioralTagSpec } from './counter-specs.js';
import { affinityScores, aggregateBuckets } from './counters.js';
import type { AffinityModel, TagDefinition, TagValue, TagValueType } from './definitions.js';
import { scoreClassifier } from './model-score.js';
import { asDate } from './predicate.js';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What computing one tag reads; the interpreter provides it per profile. */
export interface TagScope {
  readonly defs: AudienceDefinitions;
  test(condition: Condition): boolean;
  tag(key: string): TagValue;
  trait(path: string): unknown;
  /** A counter's buckets and a window's dates, today first; notes when the read can change. */
  counter(spec: CounterSpec, days: number): { buckets: CounterBuckets | undefined; keys: string[] };
}

/** One tag's value on one profile, by the agreed rules of its kind. */
export function computeTagValue(
  key: string,
  entry: { version: number; definition: TagDefinition },
  scope: TagScope,
): TagValue {
  const { rule } = entry.definition;
  switch (rule.kind) {
    case 'static':
      return staticTagValue(scope.trait(rule.trait), rule.valueType);
    case 'behavioral': {
      const { buckets, keys } = scope.counter(behavioralTagSpec(rule), rule.within.days);
      return aggregateBuckets(buckets, rule.aggregate, keys);
    }
    case 'dynamic': {
      const match = rule.cases.find(({ when }) => scope.test(when));
      return match ? match.value : (rule.otherwise ?? null);
    }
    case 'model': {
      const { model } = rule;
      if (model.method === 'affinity') {
        const { buckets, keys } = scope.counter(affinitySpec(model), model.within.days);
        return affinityValue(affinityScores(buckets, keys, model.halfLifeDays), model);
      }
      const trained = scope.defs.models.get(key);
      if (!trained || trained.tagVersion !== entry.version) return null;
      const inputs = model.features.map((feature) =>
        'tag' in feature ? scope.tag(feature.tag) : scope.trait(feature.trait),
      );
      return roundScore(scoreClassifier(trained, inputs));
    }
  }
}

/** A trait converted to a static tag's type; a value that does not convert is missing. */
export function staticTagValue(value: unknown, valueType: TagValueType): TagValue {
  switch (valueType) {
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    case 'number':
      return numberValue(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : null;
    case 'date':
      return asDate(value)?.toISOString() ?? null;
    case 'list':
      return listValue(value);
  }
}

function numberValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function listValue(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return null;
  const items: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' && typeof item !== 'number') return null;
    items.push(String(item));
  }
  return items;
}

/** The best categories, best first and ties by name; `null` when none scores enough. */
export function affinityValue(scores: Map<string, number>, model: AffinityModel): string[] | null {
  const ranked: [string, number][] = [];
  for (const [category, score] of scores) {
    if (score > 0 && score >= model.minScore) ranked.push([category, score]);
  }
  if (ranked.length === 0) return null;
  ranked.sort(([a, scoreA], [b, scoreB]) => scoreB - scoreA || (a < b ? -1 : a > b ? 1 : 0));
  return ranked.slice(0, model.top).map(([category]) => category);
}

/** Classifier scores are kept to 4 decimals: finer differences mean nothing and churn writes. */
export function roundScore(probability: number): number {
  return Math.round(probability * 10_000) / 10_000;
}
