import { z } from 'zod';

import type { InputIssue } from './issues.js';
import { checkFreeformShape, MAX_DEPTH } from './storage-keys.js';

/**
 * Messages of the Segment tracking spec (identify, track, page, screen, group, alias). Unknown
 * top-level fields are kept out of storage by zod's default stripping; free-form maps (traits,
 * properties, context) are bounded in depth and key length and later stored with escaped keys.
 */

/** Keys that JavaScript treats as more than data: assigning one replaces an object's prototype. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** An object's key or an array's index, as an issue path names it. */
function pathKey(parent: object, key: string): string | number {
  return Array.isArray(parent) ? Number(key) : key;
}

function forbiddenKeyIssues(value: unknown, path: (string | number)[] = [], depth = 0) {
  const issues: InputIssue[] = [];
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return issues;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = [...path, pathKey(value, key)];
    if (FORBIDDEN_KEYS.has(key)) {
      issues.push({
        code: 'forbidden_key',
        path: itemPath,
        message: `the key ${key} is not allowed`,
      });
    } else {
      issues.push(...forbiddenKeyIssues(item, itemPath, depth + 1));
    }
  }
  return issues;
}

// Checked before zod's record copies the object: the copy would silently drop `__proto__`.
const FreeformObject = z.preprocess(
  (value, ctx) => {
    for (const issue of [...checkFreeformShape(value), ...forbiddenKeyIssues(value)]) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path,
        params: { code: issue.code },
      });
    }
    return value;
  },
  z.record(z.string(), z.unknown()),
);

const Id = z.union([z.string().trim().min(1).max(255), z.number().finite().transform(String)]);

export const MessageId = z.string().trim().min(1).max(200);

const IsoTimestamp = z.iso.datetime({ offset: true });

const common = {
  messageId: MessageId.optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  /** When it happened on the client's clock; corrected for skew with `sentAt` on ingest. */
  timestamp: IsoTimestamp.optional(),
  /** When the client sent it, on the client's clock. */
  sentAt: IsoTimestamp.optional(),
  context: FreeformObject.optional(),
  integrations: FreeformObject.optional(),
  /** Accepted in the body as an alternative to HTTP Basic auth, as Segment does. */
  writeKey: z.string().optional(),
};

function requireSomeId(
  value: { userId?: string | null; anonymousId?: string | null },
  ctx: z.RefinementCtx,
): void {
  if (!value.userId && !value.anonymousId) {
    ctx.addIssue({
      code: 'custom',
      path: ['userId'],
      message: 'either userId or anonymousId is required',
      params: { code: 'identity_required' },
    });
  }
}

export const IdentifyMessage = z
  .object({ ...common, type: z.literal('identify').optional(), traits: FreeformObject.optional() })
  .superRefine(requireSomeId);
export type IdentifyMessage = z.infer<typeof IdentifyMessage>;

export const TrackMessage = z
  .object({
    ...common,
    type: z.literal('track').optional(),
    event: z.string().trim().min(1).max(200),
    properties: FreeformObject.optional(),
  })
  .superRefine(requireSomeId);
export type TrackMessage = z.infer<typeof TrackMessage>;

const pageOrScreen = {
  ...common,
  name: z.string().trim().max(200).optional(),
  category: z.string().trim().max(200).optional(),
  properties: FreeformObject.optional(),
};

export const PageMessage = z
  .object({ ...pageOrScreen, type: z.literal('page').optional() })
  .superRefine(requireSomeId);
export type PageMessage = z.infer<typeof PageMessage>;

export const ScreenMessage = z
  .object({ ...pageOrScreen, type: z.literal('screen').optional() })
  .superRefine(requireSomeId);
export type ScreenMessage = z.infer<typeof ScreenMessage>;

/** Associates the person with a group (an account or company) and that group's traits. */
export const GroupMessage = z
  .object({
    ...common,
    type: z.literal('group').optional(),
    groupId: Id,
    traits: FreeformObject.optional(),
  })
  .superRefine(requireSomeId);
export type GroupMessage = z.infer<typeof GroupMessage>;

/** Says that `previousId` (an anonymous or earlier user id) and `userId` are the same person. */
export const AliasMessage = z.object({
  ...common,
  type: z.literal('alias').optional(),
  userId: Id,
  previousId: Id,
});
export type AliasMessage = z.infer<typeof AliasMessage>;

/** Any tracking message, tagged with its call type (what a batch carries). */
export const TrackingMessage = z.discriminatedUnion('type', [
  IdentifyMessage.safeExtend({ type: z.literal('identify') }),
  TrackMessage.safeExtend({ type: z.literal('track') }),
  PageMessage.safeExtend({ type: z.literal('page') }),
  ScreenMessage.safeExtend({ type: z.literal('screen') }),
  GroupMessage.safeExtend({ type: z.literal('group') }),
  AliasMessage.safeExtend({ type: z.literal('alias') }),
]);
export type TrackingMessage = z.infer<typeof TrackingMessage>;
export type MessageType = TrackingMessage['type'];

// A record, so that adding a call type to the union without listing it here fails to compile.
const CALL_TYPES: Record<MessageType, true> = {
  identify: true,
  track: true,
  page: true,
  screen: true,
  group: true,
  alias: true,
};

export const MESSAGE_TYPES = Object.keys(CALL_TYPES) as readonly MessageType[];

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(CALL_TYPES, value);
}

/** Kept for callers that name the batch element; every call type may appear in a batch. */
export const BatchItem = TrackingMessage;
export type BatchItem = TrackingMessage;

export const BatchEnvelope = z.object({
  batch: z.array(z.unknown()).min(1).max(2500),
  writeKey: z.string().optional(),
  sentAt: IsoTimestamp.optional(),
  context: FreeformObject.optional(),
});
export type BatchEnvelope = z.infer<typeof BatchEnvelope>;

/** Segment's limits: about 32 KB for one message and 500 KB for a batch request. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

/**
 * A message as the SDKs send it, read into the spec's fields. RudderStack's libraries put the
 * client's event time in `originalTimestamp` and send `timestamp` only when the caller set one.
 */
export function fromSdkDialect(raw: unknown): unknown {
  if (!isRecord(raw) || raw.timestamp !== undefined) return raw;
  return typeof raw.originalTimestamp === 'string'
    ? { ...raw, timestamp: raw.originalTimestamp }
    : raw;
}

/**
 * Where a message nests deeper than its free-form maps may (they sit one level below the
 * message). Checked before anything recurses into client JSON, such as measuring its size.
 */
export function nestingIssue(
  value: unknown,
  path: (string | number)[] = [],
  depth = 0,
): InputIssue | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > MAX_DEPTH + 1)
    return { code: 'too_deep', path, message: `nesting deeper than ${MAX_DEPTH} levels` };
  for (const [key, item] of Object.entries(value)) {
    const issue = nestingIssue(item, [...path, pathKey(value, key)], depth + 1);
    if (issue) return issue;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
