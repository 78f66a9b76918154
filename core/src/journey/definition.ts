import { z } from 'zod';

/** Node and edge ids: short, URL-safe, stable across versions so traces and counters line up. */
export const GraphId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" and "-" only');

export const Position = z.object({ x: z.number().finite(), y: z.number().finite() });

const nodeBase = {
  id: GraphId,
  /** Marketer-facing name shown on the canvas. */
  label: z.string().max(120).optional(),
  /** Canvas position; layout only, never read by the engine. */
  position: Position.optional(),
};

export const EventName = z.string().trim().min(1).max(200);

export const EventTrigger = z.object({
  kind: z.literal('event'),
  /** The `event` of a `track` call that enters a person into the journey. */
  event: EventName,
});
export type EventTrigger = z.infer<typeof EventTrigger>;

export const EntryTrigger = z.discriminatedUnion('kind', [EventTrigger]);
export type EntryTrigger = z.infer<typeof EntryTrigger>;

export const EntryNode = z.object({ ...nodeBase, type: z.literal('entry'), trigger: EntryTrigger });
export type EntryNode = z.infer<typeof EntryNode>;

export const DurationUnit = z.enum(['seconds', 'minutes', 'hours', 'days']);
export type DurationUnit = z.infer<typeof DurationUnit>;

export const Duration = z.object({
  amount: z.number().int().positive().max(1_000_000),
  unit: DurationUnit,
});
export type Duration = z.infer<typeof Duration>;

export const DelayNode = z.object({ ...nodeBase, type: z.literal('delay'), duration: Duration });
export type DelayNode = z.infer<typeof DelayNode>;

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

export const ExitNode = z.object({ ...nodeBase, type: z.literal('exit') });
export type ExitNode = z.infer<typeof ExitNode>;

export const JourneyNode = z.discriminatedUnion('type', [
  EntryNode,
  DelayNode,
  WebhookNode,
  ExitNode,
]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type JourneyNodeType = JourneyNode['type'];

export const JourneyEdge = z.object({
  id: GraphId,
  source: GraphId,
  target: GraphId,
});
export type JourneyEdge = z.infer<typeof JourneyEdge>;

/**
 * A journey graph as the studio draws it and the engine runs it. Structure (ids, field types)
 * is checked here; graph rules (reachability, exits, loops) by `validateJourneyGraph`.
 */
export const JourneyDefinition = z.object({
  nodes: z.array(JourneyNode).min(1).max(500),
  edges: z.array(JourneyEdge).max(2000),
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;

export function durationToMs(duration: Duration): number {
  const unitMs: Record<DurationUnit, number> = {
    seconds: 1_000,
    minutes: 60_000,
    hours: 3_600_000,
    days: 86_400_000,
  };
  return duration.amount * unitMs[duration.unit];
}
