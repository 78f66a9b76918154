import { z } from 'zod';

import { checkFreeformShape } from './storage-keys.js';

/**
 * Messages of the Segment tracking spec (identify, track). Unknown top-level fields are kept out
 * of storage by zod's default stripping; free-form maps (traits, properties, context) are bounded
 * in depth and key length and later stored with escaped keys.
 */
const FreeformObject = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  for (const issue of checkFreeformShape(value)) {
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: issue.path,
      params: { code: issue.code },
    });
  }
});

const Id = z.union([z.string().trim().min(1).max(255), z.number().finite().transform(String)]);

export const MessageId = z.string().trim().min(1).max(200);

const IsoTimestamp = z.iso.datetime({ offset: true });

const common = {
  messageId: MessageId.optional(),
  userId: Id.nullish(),
  anonymousId: Id.nullish(),
  timestamp: IsoTimestamp.optional(),
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

export const BatchItem = z.discriminatedUnion('type', [
  IdentifyMessage.safeExtend({ type: z.literal('identify') }),
  TrackMessage.safeExtend({ type: z.literal('track') }),
]);
export type BatchItem = z.infer<typeof BatchItem>;

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
