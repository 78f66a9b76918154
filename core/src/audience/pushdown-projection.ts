import { encodeKey } from '../storage-keys.js';
import type { Condition } from './condition.js';
import type { AudienceDefinitions, CounterSpec } from './context.js';
import {
  affinitySpec,
  behavioralTagSpec,
  counterSpecId,
  eventConditionSpec,
  walkConditions,
} from './counter-specs.js';

/**
 * The profile fields evaluating the conditions reads, through every tag and segment they
 * read: `traits.<escaped top key>` and `counters.<field>`. Only the top trait key, so two
 * paths into one object never collide in a projection.
 */
export function fieldsRead(defs: AudienceDefinitions, conditions: Condition[]): string[] {
  const fields = new Set<string>();
  const visited = new Set<string>();

  const trait = (path: string): void => {
    fields.add(`traits.${encodeKey(path.split('.')[0]!)}`);
  };
  const counter = (spec: CounterSpec): void => {
    const field = defs.counters.get(counterSpecId(spec))?.field;
    if (field !== undefined) fields.add(`counters.${field}`);
  };
  const tag = (key: string): void => {
    const entry = defs.tags.get(key);
    if (!entry || visited.has(`tag:${key}`)) return;
    visited.add(`tag:${key}`);
    const { rule } = entry.definition;
    if (rule.kind === 'static') trait(rule.trait);
    if (rule.kind === 'behavioral') counter(behavioralTagSpec(rule));
    if (rule.kind === 'dynamic') rule.cases.forEach(({ when }) => condition(when));
    if (rule.kind === 'model' && rule.model.method === 'affinity') {
      counter(affinitySpec(rule.model));
    }
    if (rule.kind === 'model' && rule.model.method === 'logistic') {
      for (const feature of rule.model.features) {
        if ('tag' in feature) tag(feature.tag);
        else trait(feature.trait);
      }
    }
  };
  const segment = (key: string): void => {
    const entry = defs.segments.get(key);
    if (!entry || visited.has(`segment:${key}`)) return;
    visited.add(`segment:${key}`);
    condition(entry.definition.condition);
  };
  const condition = (root: Condition): void =>
    walkConditions(root, (node) => {
      if (node.type === 'trait') trait(node.trait);
      if (node.type === 'tag') tag(node.tag);
      if (node.type === 'segment') segment(node.segment);
      if (node.type === 'event') counter(eventConditionSpec(node));
    });

  conditions.forEach(condition);
  return [...fields];
}
