import { decodeKey } from '../storage-keys.js';
import {
  compilePath,
  type CompileContext,
  type Runtime,
  type TagBody,
} from './compiled-runtime.js';
import { compileWindowRead } from './compile-window.js';
import { affinitySpec, behavioralTagSpec } from './counter-specs.js';
import type {
  AffinityModel,
  BehavioralTagRule,
  ClassifierModel,
  DynamicTagRule,
  TagDefinition,
  TagValue,
} from './definitions.js';
import { scoreClassifier } from './model-score.js';
import { affinityValue, roundScore, staticTagValue } from './tag-values.js';
import { compileAggregate } from './window-aggregate.js';

const missing: TagBody = () => null;
// Decoded category names kept per affinity tag; beyond this, say product ids, decode each time.
const MAX_CACHED_CATEGORIES = 10_000;

/** A tag's rule as a closure computing its value, by the same rules as `computeTagValue`. */
export function compileTagRule(
  key: string,
  entry: { version: number; definition: TagDefinition },
  context: CompileContext,
): TagBody {
  const { rule } = entry.definition;
  switch (rule.kind) {
    case 'static': {
      const read = compilePath(rule.trait);
      const { valueType } = rule;
      return (runtime) => staticTagValue(read(runtime.traits), valueType);
    }
    case 'behavioral':
      return compileBehavioral(rule, context);
    case 'dynamic':
      return compileDynamic(rule, context);
    case 'model':
      if (rule.model.method === 'affinity') return compileAffinity(rule.model, context);
      return compileClassifier(key, entry.version, rule.model, context);
  }
}

function compileBehavioral(rule: BehavioralTagRule, context: CompileContext): TagBody {
  const read = compileWindowRead(context, behavioralTagSpec(rule), rule.within.days);
  const aggregate = compileAggregate(rule.aggregate);
  return (runtime) => {
    const count = read(runtime);
    return aggregate(runtime.selected, count);
  };
}

function compileDynamic(rule: DynamicTagRule, context: CompileContext): TagBody {
  const tests = rule.cases.map(({ when }) => context.condition(when));
  const values = rule.cases.map(({ value }) => value);
  const otherwise = rule.otherwise ?? null;
  return (runtime) => {
    for (let index = 0; index < tests.length; index++) {
      if (tests[index]!(runtime)) return values[index]!;
    }
    return otherwise;
  };
}

/**
 * `affinityScores` over the window's buckets: the same weights, summed per category in the
 * same order (today first), so scores and ties agree to the bit.
 */
function compileAffinity(model: AffinityModel, context: CompileContext): TagBody {
  const read = compileWindowRead(context, affinitySpec(model), model.within.days);
  const weights = context.calendar
    .window(model.within.days)
    .keys.map((_, age) => 0.5 ** (age / model.halfLifeDays));
  const categories = new Map<string, string>();
  const scores = new Map<string, number>();
  return (runtime) => {
    const count = read(runtime);
    scores.clear();
    for (let index = 0; index < count; index++) {
      const groups = runtime.selected[index]!.g;
      if (!groups) continue;
      const weight = weights[runtime.ages[index]!]!;
      for (const key in groups) {
        let category = categories.get(key);
        if (category === undefined) {
          category = decodeKey(key);
          if (categories.size < MAX_CACHED_CATEGORIES) categories.set(key, category);
        }
        scores.set(category, (scores.get(category) ?? 0) + groups[key]! * weight);
      }
    }
    return affinityValue(scores, model);
  };
}

function compileClassifier(
  key: string,
  version: number,
  model: ClassifierModel,
  context: CompileContext,
): TagBody {
  const trained = context.defs.models.get(key);
  if (!trained || trained.tagVersion !== version) return missing;
  const features = model.features.map((feature): ((runtime: Runtime) => unknown) => {
    if ('trait' in feature) {
      const read = compilePath(feature.trait);
      return (runtime) => read(runtime.traits);
    }
    const slot = context.tagSlot(feature.tag);
    return slot === undefined ? missing : (runtime) => runtime.tag(slot);
  });
  // Filled anew for each profile: scoring reads it before the next profile does.
  const inputs: unknown[] = features.map(() => null);
  return (runtime): TagValue => {
    for (let index = 0; index < features.length; index++) {
      inputs[index] = features[index]!(runtime);
    }
    return roundScore(scoreClassifier(trained, inputs));
  };
}
