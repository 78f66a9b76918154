import type { InputIssue } from '../issues.js';
import {
  MAX_CONDITION_DEPTH,
  MAX_WINDOW_DAYS,
  type Aggregate,
  type Condition,
  type EventCondition,
  type Predicate,
  type PropertyFilter,
  type Window,
} from './condition.js';
import { walkConditions } from './counter-specs.js';
import type {
  ClassifierModel,
  DynamicTagRule,
  SegmentDefinition,
  TagDefinition,
  TagRule,
  TagValueType,
} from './definitions.js';
import { referencesOf } from './lineage.js';
import { caseValueType, tagValueType } from './tag-value-types.js';

type Path = (string | number)[];

/** The longest `within_last_days` / `more_than_days_ago` operand: ten years. */
export const MAX_RELATIVE_DAYS = 3650;

/** A problem in one tag or segment; `path` starts at the root of that definition. */
export type AudienceIssue = InputIssue & { subject: { kind: 'tag' | 'segment'; key: string } };

interface Checker {
  tagTypes: Map<string, TagValueType>;
  segments: Set<string>;
  report(code: string, path: Path, message: string): void;
}

/**
 * Checks the rules a schema cannot: references to tags and segments that exist, operators that
 * fit the value they test, windows and day counts in range, nesting depth, and no tag or segment
 * reading itself. Pass every definition as it would be after the change; returns every issue.
 */
export function validateAudience(input: {
  tags: TagDefinition[];
  segments: SegmentDefinition[];
}): AudienceIssue[] {
  const issues: AudienceIssue[] = [];
  const tagTypes = new Map(input.tags.map((tag) => [tag.key, tagValueType(tag.rule)]));
  const segments = new Set(input.segments.map((segment) => segment.key));
  const checker = (kind: 'tag' | 'segment', key: string): Checker => ({
    tagTypes,
    segments,
    report: (code, path, message) => issues.push({ code, path, message, subject: { kind, key } }),
  });

  for (const tag of input.tags) checkTagRule(tag.rule, ['rule'], checker('tag', tag.key));
  for (const segment of input.segments) {
    checkCondition(segment.condition, ['condition'], checker('segment', segment.key));
  }
  issues.push(...cycleIssues(input));
  return issues;
}

/**
 * The checks `validateAudience` runs on a condition, for a condition stored elsewhere (a journey
 * split): `path` is where it sits, `tagTypes` and `segments` what its leaves may read.
 */
export function conditionIssues(
  condition: Condition,
  path: Path,
  known: { tagTypes: Map<string, TagValueType>; segments: Set<string> },
): InputIssue[] {
  const issues: InputIssue[] = [];
  checkCondition(condition, path, {
    ...known,
    report: (code, issuePath, message) => issues.push({ code, path: issuePath, message }),
  });
  return issues;
}

/** The checks `validateAudience` runs on event property filters, for filters stored elsewhere. */
export function propertyFilterIssues(
  where: PropertyFilter[] | undefined,
  path: Path,
): InputIssue[] {
  const issues: InputIssue[] = [];
  checkFilters(where, path, {
    tagTypes: new Map(),
    segments: new Set(),
    report: (code, issuePath, message) => issues.push({ code, path: issuePath, message }),
  });
  return issues;
}

function checkTagRule(rule: TagRule, path: Path, checker: Checker): void {
  switch (rule.kind) {
    case 'static':
      return;
    case 'behavioral':
      checkEventSelection(rule, path, checker);
      return;
    case 'dynamic':
      rule.cases.forEach(({ when }, index) => {
        checkCondition(when, [...path, 'cases', index, 'when'], checker);
      });
      checkCaseValueTypes(rule, path, checker);
      return;
    case 'model':
      if (rule.model.method === 'logistic') {
        checkClassifier(rule.model, [...path, 'model'], checker);
      } else {
        checkWindow(rule.model.within, [...path, 'model', 'within'], checker);
        checkFilters(rule.model.where, [...path, 'model', 'where'], checker);
      }
      return;
  }
}

function checkCaseValueTypes(rule: DynamicTagRule, path: Path, checker: Checker): void {
  const expected = tagValueType(rule);
  const values: [Path, string | number | boolean][] = rule.cases.map(({ value }, index) => [
    [...path, 'cases', index, 'value'],
    value,
  ]);
  if (rule.otherwise !== undefined) values.push([[...path, 'otherwise'], rule.otherwise]);
  for (const [valuePath, value] of values) {
    if (caseValueType(value) === expected) continue;
    checker.report(
      'tag.case_value_types',
      valuePath,
      `every case gives a ${expected}, but this value is a ${caseValueType(value)}`,
    );
  }
}

function checkClassifier(model: ClassifierModel, path: Path, checker: Checker): void {
  checkCondition(model.outcome, [...path, 'outcome'], checker);
  model.features.forEach((feature, index) => {
    if (!('tag' in feature)) return;
    const featurePath = [...path, 'features', index, 'tag'];
    const type = checker.tagTypes.get(feature.tag);
    if (type === undefined) {
      checker.report('condition.unknown_tag', featurePath, `no tag "${feature.tag}"`);
    } else if (type !== 'number' && type !== 'boolean') {
      checker.report(
        'tag.feature_type',
        featurePath,
        `a model feature must be a number or boolean tag, but "${feature.tag}" is a ${type}`,
      );
    }
  });
}

function checkCondition(condition: Condition, path: Path, checker: Checker): void {
  walkConditions(
    condition,
    (node, nodePath) => checkConditionNode(node, nodePath, groupsAbove(nodePath, path), checker),
    path,
  );
}

// Every step into a group's children adds `conditions` or `condition` to the path.
function groupsAbove(nodePath: Path, rootPath: Path): number {
  return nodePath
    .slice(rootPath.length)
    .filter((step) => step === 'conditions' || step === 'condition').length;
}

function checkConditionNode(
  condition: Condition,
  path: Path,
  enclosingGroups: number,
  checker: Checker,
): void {
  switch (condition.type) {
    case 'all':
    case 'any':
    case 'not':
      // Reported once, at the first group too deep; what lies below is still checked.
      if (enclosingGroups === MAX_CONDITION_DEPTH) {
        checker.report(
          'condition.too_deep',
          path,
          `conditions nest at most ${MAX_CONDITION_DEPTH} groups deep`,
        );
      }
      return;
    case 'trait':
      checkRelativeDays(condition, path, checker);
      return;
    case 'tag': {
      checkRelativeDays(condition, path, checker);
      const type = checker.tagTypes.get(condition.tag);
      if (type === undefined) {
        checker.report('condition.unknown_tag', [...path, 'tag'], `no tag "${condition.tag}"`);
        return;
      }
      checkOperator(condition, type, `tag "${condition.tag}"`, path, checker);
      return;
    }
    case 'event':
      checkEventCondition(condition, path, checker);
      return;
    case 'segment':
      if (!checker.segments.has(condition.segment)) {
        checker.report(
          'condition.unknown_segment',
          [...path, 'segment'],
          `no segment "${condition.segment}"`,
        );
      }
      return;
  }
}

function checkEventCondition(condition: EventCondition, path: Path, checker: Checker): void {
  checkEventSelection(condition, path, checker);
  checkRelativeDays(condition, path, checker);
  const type = aggregateType(condition.aggregate);
  checkOperator(
    condition,
    type,
    `the ${condition.aggregate} of "${condition.event}"`,
    path,
    checker,
  );
}

function aggregateType(aggregate: Aggregate): TagValueType {
  return aggregate === 'first' || aggregate === 'last' ? 'date' : 'number';
}

/** The checks behavioral tags and event conditions share: window, property and filters. */
function checkEventSelection(
  selection: {
    where?: PropertyFilter[] | undefined;
    within: Window;
    aggregate: Aggregate;
    property?: string | undefined;
  },
  path: Path,
  checker: Checker,
): void {
  checkWindow(selection.within, [...path, 'within'], checker);
  checkFilters(selection.where, [...path, 'where'], checker);
  const needsProperty = ['sum', 'min', 'max', 'distinct'].includes(selection.aggregate);
  if (needsProperty && selection.property === undefined) {
    checker.report(
      'condition.property_required',
      [...path, 'property'],
      `"${selection.aggregate}" needs the event property it reads`,
    );
  }
  if (!needsProperty && selection.property !== undefined) {
    checker.report(
      'condition.property_not_allowed',
      [...path, 'property'],
      `"${selection.aggregate}" reads no event property`,
    );
  }
}

function checkWindow(window: Window, path: Path, checker: Checker): void {
  if (window.days >= 1 && window.days <= MAX_WINDOW_DAYS) return;
  checker.report(
    'condition.window_out_of_range',
    [...path, 'days'],
    `a window covers 1 to ${MAX_WINDOW_DAYS} days`,
  );
}

function checkFilters(where: PropertyFilter[] | undefined, path: Path, checker: Checker): void {
  where?.forEach((filter, index) => checkRelativeDays(filter, [...path, index], checker));
}

function checkRelativeDays(predicate: Predicate, path: Path, checker: Checker): void {
  if (predicate.op !== 'within_last_days' && predicate.op !== 'more_than_days_ago') return;
  if (predicate.value >= 1 && predicate.value <= MAX_RELATIVE_DAYS) return;
  checker.report(
    'condition.days_out_of_range',
    [...path, 'value'],
    `"${predicate.op}" takes 1 to ${MAX_RELATIVE_DAYS} days`,
  );
}

const OPERATORS_BY_TYPE: Record<TagValueType, readonly Predicate['op'][]> = {
  number: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'],
  string: ['eq', 'neq', 'in', 'not_in', 'contains', 'not_contains', 'starts_with'],
  boolean: ['eq', 'neq'],
  date: ['before', 'after', 'within_last_days', 'more_than_days_ago'],
  list: ['contains', 'not_contains'],
};

/** The operand type an operator needs on a value of this type, when it takes one. */
const OPERAND_BY_TYPE: Record<TagValueType, 'string' | 'number' | 'boolean' | undefined> = {
  number: 'number',
  string: 'string',
  boolean: 'boolean',
  date: undefined,
  list: 'string',
};

/** Refuses an operator that can never hold (or always holds) on a value of this type. */
function checkOperator(
  predicate: Predicate,
  type: TagValueType,
  subject: string,
  path: Path,
  checker: Checker,
): void {
  if (!('value' in predicate)) return;
  if (!OPERATORS_BY_TYPE[type].includes(predicate.op)) {
    checker.report(
      'condition.operand_type',
      [...path, 'op'],
      `"${predicate.op}" does not apply to ${subject}, which is a ${type}`,
    );
    return;
  }
  const expected = OPERAND_BY_TYPE[type];
  const operands: unknown[] = Array.isArray(predicate.value) ? predicate.value : [predicate.value];
  if (expected === undefined || operands.every((operand) => typeof operand === expected)) return;
  checker.report(
    'condition.operand_type',
    [...path, 'value'],
    `${subject} is a ${type}, so "${predicate.op}" needs a ${expected} operand`,
  );
}

type Node = `${'tag' | 'segment'}:${string}`;

/**
 * One issue per definition on a cycle of reads, at its read that leads into the cycle, with
 * the shortest cycle through it spelled out. Tags and segments share one graph, since the
 * evaluator computes each on first use: a tag reading a segment that reads it loops as well.
 */
function cycleIssues(input: {
  tags: TagDefinition[];
  segments: SegmentDefinition[];
}): AudienceIssue[] {
  const definitions = [
    ...input.tags.map((definition) => ({ kind: 'tag' as const, definition })),
    ...input.segments.map((definition) => ({ kind: 'segment' as const, definition })),
  ];
  const reads = new Map<Node, { node: Node; path: Path }[]>();
  for (const { kind, definition } of definitions) {
    const edges = referencesOf(definition).flatMap(({ kind: read, name, path }) =>
      read === 'tag' || read === 'segment' ? [{ node: `${read}:${name}` as const, path }] : [],
    );
    reads.set(`${kind}:${definition.key}`, edges);
  }
  const issues: AudienceIssue[] = [];
  for (const { kind, definition } of definitions) {
    const start: Node = `${kind}:${definition.key}`;
    const cycle = shortestCycle(start, reads);
    if (cycle === null) continue;
    const firstRead = reads.get(start)?.find((edge) => edge.node === cycle[1]);
    issues.push({
      code: `${kind}.cycle`,
      path: firstRead?.path ?? [],
      message: `${kind} "${definition.key}" reads itself: ${cycleText(cycle)}`,
      subject: { kind, key: definition.key },
    });
  }
  return issues;
}

// `a -> b -> a` when all are of one kind, else `tag a -> segment b -> tag a`.
function cycleText(cycle: Node[]): string {
  const kinds = new Set(cycle.map((node) => node.slice(0, node.indexOf(':'))));
  const label = (node: Node) =>
    kinds.size === 1 ? node.slice(node.indexOf(':') + 1) : node.replace(':', ' ');
  return cycle.map(label).join(' -> ');
}

/** The shortest path `start -> ... -> start`, found breadth first; `null` when there is none. */
function shortestCycle(start: Node, reads: Map<Node, { node: Node }[]>): Node[] | null {
  const cameFrom = new Map<Node, Node>();
  const queue = [start];
  for (let index = 0; index < queue.length; index++) {
    const current = queue[index]!;
    for (const { node: next } of reads.get(current) ?? []) {
      if (next === start) return [...pathTo(current, start, cameFrom), start];
      if (cameFrom.has(next) || !reads.has(next)) continue;
      cameFrom.set(next, current);
      queue.push(next);
    }
  }
  return null;
}

function pathTo(end: Node, start: Node, cameFrom: Map<Node, Node>): Node[] {
  const path = [end];
  for (let at = end; at !== start;) {
    at = cameFrom.get(at)!;
    path.unshift(at);
  }
  return path;
}
