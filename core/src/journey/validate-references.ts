import type { Condition } from '../audience/condition.js';
import { walkConditions } from '../audience/counter-specs.js';
import type { TagValueType } from '../audience/definitions.js';
import { conditionIssues, propertyFilterIssues } from '../audience/validate-audience.js';
import type { InputIssue } from '../issues.js';
import type { EntryTrigger, ExitCriterion, JourneyDefinition, JourneyNode } from './definition.js';

type Path = (string | number)[];

/** What a journey may refer to in its workspace, gathered by the caller. */
export interface JourneyReferences {
  segments: ReadonlySet<string>;
  tags: ReadonlySet<string>;
  /** Value types of the tags when known: then conditions on a tag get their operators checked. */
  tagTypes?: ReadonlyMap<string, TagValueType>;
  templates: ReadonlyMap<string, { channelType: string }>;
  channels: ReadonlyMap<string, { type: string }>;
  journeys: ReadonlySet<string>;
  /** The journey being checked, so a jump back to itself is caught. */
  journeyId?: string;
}

// The audience checks report these too; the journey's own codes replace them.
const REPLACED_CODES = new Set(['condition.unknown_tag', 'condition.unknown_segment']);

/**
 * Checks what a journey names outside itself: segments, tags, channels, templates and journeys
 * that exist, templates that fit their channel, and every condition and property filter with the
 * checks audience definitions get (`condition.*`: windows, day ranges, operands, depth). Paths
 * start at the definition; issues of one node carry its `nodeId`.
 */
export function validateJourneyReferences(
  definition: JourneyDefinition,
  refs: JourneyReferences,
): InputIssue[] {
  const nodeIssues = definition.nodes.flatMap((node, index) =>
    nodeReferenceIssues(node, ['nodes', index], refs).map((issue) => ({
      ...issue,
      nodeId: node.id,
    })),
  );
  const exitIssues = definition.settings.exitCriteria.flatMap((criterion, index) =>
    exitCriterionIssues(criterion, ['settings', 'exitCriteria', index], refs),
  );
  return [...nodeIssues, ...exitIssues];
}

function nodeReferenceIssues(node: JourneyNode, path: Path, refs: JourneyReferences): InputIssue[] {
  switch (node.type) {
    case 'entry':
      return triggerIssues(node.trigger, [...path, 'trigger'], refs);
    case 'wait_for_event':
    case 'goal':
      return propertyFilterIssues(node.where, [...path, 'where']);
    case 'condition':
      return conditionReferenceIssues(node.condition, [...path, 'condition'], refs);
    case 'multi_split':
      return node.branches.flatMap((branch, index) =>
        conditionReferenceIssues(branch.condition, [...path, 'branches', index, 'condition'], refs),
      );
    case 'message':
      return messageIssues(node, path, refs);
    case 'jump':
      return jumpIssues(node.journeyId, [...path, 'journeyId'], refs);
    default:
      return [];
  }
}

function triggerIssues(trigger: EntryTrigger, path: Path, refs: JourneyReferences): InputIssue[] {
  switch (trigger.kind) {
    case 'event':
      return propertyFilterIssues(trigger.where, [...path, 'where']);
    case 'segment':
      return segmentIssues(trigger.segment, [...path, 'segment'], refs);
    case 'schedule':
      return trigger.segment === undefined
        ? []
        : segmentIssues(trigger.segment, [...path, 'segment'], refs);
    case 'api':
      return [];
  }
}

function exitCriterionIssues(
  criterion: ExitCriterion,
  path: Path,
  refs: JourneyReferences,
): InputIssue[] {
  if (criterion.kind === 'segment_exited') {
    return segmentIssues(criterion.segment, [...path, 'segment'], refs);
  }
  return propertyFilterIssues(criterion.where, [...path, 'where']);
}

function segmentIssues(segment: string, path: Path, refs: JourneyReferences): InputIssue[] {
  if (refs.segments.has(segment)) return [];
  return [{ code: 'journey.unknown_segment', path, message: `no segment "${segment}"` }];
}

/** Unknown tags and segments in the journey's own codes, then the audience condition checks. */
function conditionReferenceIssues(
  condition: Condition,
  path: Path,
  refs: JourneyReferences,
): InputIssue[] {
  const issues: InputIssue[] = [];
  walkConditions(
    condition,
    (leaf, leafPath) => {
      if (leaf.type === 'segment') {
        issues.push(...segmentIssues(leaf.segment, [...leafPath, 'segment'], refs));
      } else if (leaf.type === 'tag' && !refs.tags.has(leaf.tag)) {
        issues.push({
          code: 'journey.unknown_tag',
          path: [...leafPath, 'tag'],
          message: `no tag "${leaf.tag}"`,
        });
      }
    },
    path,
  );
  const known = {
    tagTypes: new Map(refs.tagTypes ?? []),
    segments: new Set(refs.segments),
  };
  const checks = conditionIssues(condition, path, known);
  return [...issues, ...checks.filter((issue) => !REPLACED_CODES.has(issue.code))];
}

function messageIssues(
  node: JourneyNode & { type: 'message' },
  path: Path,
  refs: JourneyReferences,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const channel = refs.channels.get(node.channel);
  const template = refs.templates.get(node.template);
  if (!channel) {
    issues.push({
      code: 'journey.unknown_channel',
      path: [...path, 'channel'],
      message: `no channel "${node.channel}"`,
    });
  }
  if (!template) {
    issues.push({
      code: 'journey.unknown_template',
      path: [...path, 'template'],
      message: `no template "${node.template}"`,
    });
  }
  if (channel && template && channel.type !== template.channelType) {
    issues.push({
      code: 'journey.template_channel_mismatch',
      path: [...path, 'template'],
      message: `template "${node.template}" is for ${template.channelType}, but channel "${node.channel}" sends ${channel.type}`,
    });
  }
  return issues;
}

function jumpIssues(journeyId: string, path: Path, refs: JourneyReferences): InputIssue[] {
  if (journeyId === refs.journeyId) {
    return [{ code: 'journey.jump_to_self', path, message: 'a journey cannot jump to itself' }];
  }
  if (refs.journeys.has(journeyId)) return [];
  return [{ code: 'journey.unknown_journey', path, message: `no journey "${journeyId}"` }];
}
