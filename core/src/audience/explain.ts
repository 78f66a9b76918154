import type {
  Aggregate,
  Condition,
  ConditionType,
  EventCondition,
  Predicate,
  PropertyFilter,
} from './condition.js';
import type { AudienceDefinitions, AudienceProfile } from './context.js';
import { Evaluation, type LeafCondition } from './evaluate.js';

/**
 * One condition evaluated for one person, as a journey trace shows it: what it read and what it
 * decided. A tree is flattened in evaluation order; `path` locates each entry in the tree
 * (`[]` the root, `[1, 0]` the first child of the second child).
 */
export interface ConditionTrace {
  path: number[];
  type: ConditionType;
  /** A short description, e.g. `trait plan = "pro"` or `event Order Completed count ≥ 2 in 30 days`. */
  summary: string;
  /** The value the condition read: a trait or tag value, an event aggregate, a membership. */
  input?: unknown;
  result: boolean;
}

/** A condition's result for one person and every condition evaluated to reach it. */
export interface ConditionExplanation {
  result: boolean;
  traces: ConditionTrace[];
}

// Long `in` lists are cut in summaries; the condition itself is kept next to the trace.
const LISTED_OPERANDS = 5;

/**
 * Evaluates a condition exactly as `evaluateCondition` does and records every condition it
 * evaluated, a group before its children. Groups stop at the child that decides them, like the
 * evaluator, so children after it have no trace.
 */
export function explainCondition(
  condition: Condition,
  profile: AudienceProfile,
  defs: AudienceDefinitions,
  now: Date,
): ConditionExplanation {
  const evaluation = new Evaluation(profile, defs, now);
  const traces: ConditionTrace[] = [];
  const result = explainInto(evaluation, condition, [], traces);
  return { result, traces };
}

function explainInto(
  evaluation: Evaluation,
  condition: Condition,
  path: number[],
  traces: ConditionTrace[],
): boolean {
  if (condition.type === 'all' || condition.type === 'any' || condition.type === 'not') {
    // Pushed first so the group reads before its children; its result is known only after them.
    const trace: ConditionTrace = {
      path,
      type: condition.type,
      summary: groupSummary(condition),
      result: false,
    };
    traces.push(trace);
    const child = (item: Condition, index: number) =>
      explainInto(evaluation, item, [...path, index], traces);
    if (condition.type === 'all') trace.result = condition.conditions.every(child);
    else if (condition.type === 'any') trace.result = condition.conditions.some(child);
    else trace.result = !child(condition.condition, 0);
    return trace.result;
  }
  const { input, result } = evaluation.leaf(condition);
  traces.push({
    path,
    type: condition.type,
    summary: leafSummary(condition),
    // Left out rather than stored as `null`, so a missing value reads as missing.
    ...(input === undefined ? {} : { input }),
    result,
  });
  return result;
}

function groupSummary(condition: Condition & { type: 'all' | 'any' | 'not' }): string {
  if (condition.type === 'not') return 'not';
  return `${condition.type} of ${condition.conditions.length}`;
}

/** A one-line, marketer-readable description of a leaf condition. */
export function leafSummary(condition: LeafCondition): string {
  switch (condition.type) {
    case 'trait':
      return `trait ${condition.trait} ${predicateSummary(condition)}`;
    case 'tag':
      return `tag ${condition.tag} ${predicateSummary(condition)}`;
    case 'segment':
      return `${condition.member ? 'in' : 'not in'} segment ${condition.segment}`;
    case 'event':
      return eventSummary(condition);
  }
}

function eventSummary(condition: EventCondition): string {
  const days = condition.within.days;
  return [
    `event ${condition.event}`,
    ...(condition.where && condition.where.length > 0 ? [filtersSummary(condition.where)] : []),
    aggregateSummary(condition.aggregate, condition.property),
    predicateSummary(condition),
    `in ${days} ${days === 1 ? 'day' : 'days'}`,
  ].join(' ');
}

/** `where price > 100 and plan = "pro"`. */
export function filtersSummary(where: PropertyFilter[]): string {
  return `where ${where.map((filter) => `${filter.property} ${predicateSummary(filter)}`).join(' and ')}`;
}

function aggregateSummary(aggregate: Aggregate, property: string | undefined): string {
  if (aggregate === 'distinct') return `distinct ${property ?? 'values'}`;
  if (property === undefined || aggregate === 'count') return aggregate;
  return `${aggregate} of ${property}`;
}

const SYMBOLS = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;

/** The operator and operand of a predicate: `≥ 2`, `in ["a", "b"]`, `within the last 7 days`. */
export function predicateSummary(predicate: Predicate): string {
  switch (predicate.op) {
    case 'exists':
      return 'exists';
    case 'not_exists':
      return 'does not exist';
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return `${SYMBOLS[predicate.op]} ${operand(predicate.value)}`;
    case 'in':
    case 'not_in':
      return `${predicate.op === 'in' ? 'in' : 'not in'} ${listSummary(predicate.value)}`;
    case 'contains':
      return `contains ${operand(predicate.value)}`;
    case 'not_contains':
      return `does not contain ${operand(predicate.value)}`;
    case 'starts_with':
      return `starts with ${operand(predicate.value)}`;
    case 'before':
    case 'after':
      return `${predicate.op} ${predicate.value}`;
    case 'within_last_days':
      return `within the last ${predicate.value} days`;
    case 'more_than_days_ago':
      return `more than ${predicate.value} days ago`;
  }
}

function listSummary(values: (string | number)[]): string {
  const shown = values.slice(0, LISTED_OPERANDS).map(operand);
  if (values.length > LISTED_OPERANDS) shown.push(`… ${values.length - LISTED_OPERANDS} more`);
  return `[${shown.join(', ')}]`;
}

function operand(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
