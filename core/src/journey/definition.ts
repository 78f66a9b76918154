import { z } from 'zod';

import { AudienceKey, Condition, FieldPath, PropertyFilter } from '../audience/condition.js';
import { EventName } from '../event-name.js';
import { EntryTrigger, JourneySettings } from './entry.js';
import { ClockOf, Duration, Instant, LocalTime, Weekday } from './timing.js';

export { EventName } from '../event-name.js';
export * from './entry.js';
export * from './timing.js';

/** Node, edge and branch ids: short, URL-safe, stable across versions so traces line up. */
export const GraphId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" and "-" only');

export const Position = z.object({ x: z.number().finite(), y: z.number().finite() });

/** Keys of channels and templates, chosen by the marketer like tag and segment keys. */
export const ResourceKey = AudienceKey;

const nodeBase = {
  id: GraphId,
  /** Marketer-facing name shown on the canvas. */
  label: z.string().max(120).optional(),
  /** Canvas position; layout only, never read by the engine. */
  position: Position.optional(),
};

export const EntryNode = z.object({ ...nodeBase, type: z.literal('entry'), trigger: EntryTrigger });
export type EntryNode = z.infer<typeof EntryNode>;

/** Waits until a local time of day, on the listed weekdays only when given. */
export const LocalTimeDelay = z.strictObject({
  kind: z.literal('local_time'),
  time: LocalTime,
  weekdays: z.array(Weekday).min(1).max(7).optional(),
  clock: ClockOf.default('person'),
});

/**
 * A durable wait: `duration`, or `until` a date or a local time of day. Exactly one of the two
 * (checked by the graph validator, so the studio gets a code).
 */
export const DelayNode = z.object({
  ...nodeBase,
  type: z.literal('delay'),
  duration: Duration.optional(),
  until: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('date'), at: Instant }),
      LocalTimeDelay,
    ])
    .optional(),
});
export type DelayNode = z.infer<typeof DelayNode>;

/**
 * Waits for the person's next `event` (properties passing `where`), up to `timeout`. Leaves by
 * the edge with branch `event` when it comes, by branch `timeout` when it does not.
 */
export const WaitForEventNode = z.object({
  ...nodeBase,
  type: z.literal('wait_for_event'),
  event: EventName,
  where: z.array(PropertyFilter).max(20).optional(),
  timeout: Duration,
});
export type WaitForEventNode = z.infer<typeof WaitForEventNode>;

/** Leaves by branch `yes` when the condition holds for the person now, else by branch `no`. */
export const ConditionNode = z.object({
  ...nodeBase,
  type: z.literal('condition'),
  condition: Condition,
});
export type ConditionNode = z.infer<typeof ConditionNode>;

export const SplitBranch = z.strictObject({
  id: GraphId,
  label: z.string().max(120).optional(),
  condition: Condition,
});
export type SplitBranch = z.infer<typeof SplitBranch>;

/** Takes the first branch whose condition holds, in order; branch `else` when none does. */
export const MultiSplitNode = z.object({
  ...nodeBase,
  type: z.literal('multi_split'),
  branches: z.array(SplitBranch).min(1).max(20),
});
export type MultiSplitNode = z.infer<typeof MultiSplitNode>;

export const Variant = z.strictObject({
  /** `holdout` is reserved: it is what people held out of the split are assigned. */
  id: GraphId.refine((id) => id !== 'holdout', {
    message: '"holdout" names the people held out; pick another variant id',
    params: { code: 'journey.reserved_variant_id' },
  }),
  label: z.string().max(120).optional(),
  /** Percent of the people who are not held out; the variants' weights sum to 100. */
  weight: z.number().int().min(0).max(100),
});
export type Variant = z.infer<typeof Variant>;

/**
 * A/B/n split. Assignment is a deterministic hash of the person, the journey and the node, so a
 * person re-entering gets the same variant; it is recorded with its time. `holdoutPercent` of
 * people are held out first: they leave the journey here and receive nothing, for uplift.
 */
export const AbSplitNode = z.object({
  ...nodeBase,
  type: z.literal('ab_split'),
  variants: z.array(Variant).min(2).max(10),
  holdoutPercent: z.number().int().min(0).max(50).default(0),
});
export type AbSplitNode = z.infer<typeof AbSplitNode>;

/**
 * Sends `template` through `channel`. Marketing sends obey the workspace's contact policy
 * (frequency caps, quiet hours); `transactional` ones (receipts, password resets) bypass it.
 */
export const MessageNode = z.object({
  ...nodeBase,
  type: z.literal('message'),
  channel: ResourceKey,
  template: ResourceKey,
  transactional: z.boolean().default(false),
});
export type MessageNode = z.infer<typeof MessageNode>;

const TraitValue = z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]);

/**
 * Sets traits on the person (`null` removes one); static tags read traits, so this is also how
 * a journey changes a tag. Keys are trait paths, checked like any trait write.
 */
export const UpdateProfileNode = z.object({
  ...nodeBase,
  type: z.literal('update_profile'),
  set: z
    .record(FieldPath, TraitValue)
    .refine((set) => Object.keys(set).length > 0, 'set at least one trait')
    .refine((set) => Object.keys(set).length <= 50, 'set at most 50 traits'),
});
export type UpdateProfileNode = z.infer<typeof UpdateProfileNode>;

/** Letters, digits and `-` only: also keeps `.` and `$` out of stored keys. */
const HeaderName = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9-]+$/, 'use letters, digits and "-" only');

export const WebhookNode = z.object({
  ...nodeBase,
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(HeaderName, z.string().max(4096)).optional(),
});
export type WebhookNode = z.infer<typeof WebhookNode>;

/**
 * A conversion goal. Whenever the person sends `event` while in the journey, a conversion is
 * recorded on this node and the person moves here, continuing along its one outgoing edge.
 * Reaching it by an edge passes straight through.
 */
export const GoalNode = z.object({
  ...nodeBase,
  type: z.literal('goal'),
  event: EventName,
  where: z.array(PropertyFilter).max(20).optional(),
});
export type GoalNode = z.infer<typeof GoalNode>;

/** Enters the person into another live journey and ends this run. */
export const JumpNode = z.object({
  ...nodeBase,
  type: z.literal('jump'),
  journeyId: z.string().min(1).max(64),
});
export type JumpNode = z.infer<typeof JumpNode>;

export const ExitNode = z.object({ ...nodeBase, type: z.literal('exit') });
export type ExitNode = z.infer<typeof ExitNode>;

export const JourneyNode = z.discriminatedUnion('type', [
  EntryNode,
  DelayNode,
  WaitForEventNode,
  ConditionNode,
  MultiSplitNode,
  AbSplitNode,
  MessageNode,
  UpdateProfileNode,
  WebhookNode,
  GoalNode,
  JumpNode,
  ExitNode,
]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type JourneyNodeType = JourneyNode['type'];

/**
 * `branch` names which way out of a branching node an edge is: `event`/`timeout` for a wait,
 * `yes`/`no` for a condition, a branch id or `else` for a multi-way split, a variant id for an
 * A/B split. Nodes with one way out leave it unset.
 */
export const JourneyEdge = z.object({
  id: GraphId,
  source: GraphId,
  target: GraphId,
  branch: GraphId.optional(),
});
export type JourneyEdge = z.infer<typeof JourneyEdge>;

/**
 * A journey graph as the studio draws it and the engine runs it. Structure (ids, field types)
 * is checked here; graph rules (reachability, exits, loops, weights) by `validateJourneyGraph`
 * and references (segments, templates, ...) by `validateJourneyReferences`.
 */
export const JourneyDefinition = z.object({
  nodes: z.array(JourneyNode).min(1).max(500),
  edges: z.array(JourneyEdge).max(2000),
  settings: JourneySettings.default(JourneySettings.parse({})),
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;
/** A definition as sent by a client, before defaults are filled in. */
export type JourneyDefinitionInput = z.input<typeof JourneyDefinition>;
