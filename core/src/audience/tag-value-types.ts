import type { TagRule, TagValueType } from './definitions.js';

/** The type of value a tag computes, which decides the operators conditions may use on it. */
export function tagValueType(rule: TagRule): TagValueType {
  switch (rule.kind) {
    case 'static':
      return rule.valueType;
    case 'behavioral':
      return rule.aggregate === 'first' || rule.aggregate === 'last' ? 'date' : 'number';
    case 'dynamic':
      return caseValueType(rule.cases[0]?.value ?? rule.otherwise ?? '');
    case 'model':
      return rule.model.method === 'logistic' ? 'number' : 'list';
  }
}

/** The type of one dynamic tag case value (or its `otherwise`). */
export function caseValueType(value: string | number | boolean): 'string' | 'number' | 'boolean' {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}
