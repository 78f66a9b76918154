import { z } from 'zod';

/** How a value is cleaned before it is looked up or stored. */
export const Normalizer = z.enum(['none', 'trim', 'lowercase', 'email', 'phone']);
export type Normalizer = z.infer<typeof Normalizer>;

export const TraitMergeStrategy = z.enum(['latest', 'first', 'non_empty', 'union']);
export type TraitMergeStrategy = z.infer<typeof TraitMergeStrategy>;

/** Where a message came from; merging two known people is allowed only from some kinds. */
export const SourceKind = z.enum(['server', 'client', 'import', 'connector']);
export type SourceKind = z.infer<typeof SourceKind>;

const TypeName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter');

export const IdentifierType = z.object({
  type: TypeName,
  /** Higher wins: the profile holding the highest-priority identifier survives a merge. */
  priority: z.number().int().min(0).max(1000),
  /** At most this many values of the type on one profile; null for no limit. */
  limit: z.number().int().min(1).max(1000).nullable(),
  /** Identifiers a visitor gets without signing in; profiles with only these are stitched. */
  anonymous: z.boolean().default(false),
  normalize: Normalizer.default('trim'),
  /** Trait keys (in identify traits or `context.traits`) that carry this identifier. */
  traits: z.array(z.string().min(1).max(100)).max(10).default([]),
});
export type IdentifierType = z.infer<typeof IdentifierType>;

export const IdentitySettings = z
  .object({
    identifierTypes: z.array(IdentifierType).min(1).max(50),
    /** Values that never identify anybody, compared after normalising, case-insensitively. */
    junkValues: z.array(z.string().max(100)).max(500),
    traitMerge: z.object({
      default: TraitMergeStrategy,
      traits: z.record(z.string().min(1).max(256), TraitMergeStrategy),
    }),
    /** Source kinds whose messages may merge two profiles that both have known identifiers. */
    mergeSources: z.array(SourceKind).max(4),
  })
  .superRefine((settings, ctx) => {
    const seen = new Set<string>();
    settings.identifierTypes.forEach((t, index) => {
      if (seen.has(t.type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['identifierTypes', index, 'type'],
          message: `identifier type ${t.type} is listed twice`,
          params: { code: 'duplicate_identifier_type' },
        });
      }
      seen.add(t.type);
    });
    for (const required of ['user_id', 'anonymous_id']) {
      if (!seen.has(required)) {
        ctx.addIssue({
          code: 'custom',
          path: ['identifierTypes'],
          message: `the ${required} identifier type is required (Segment's userId and anonymousId)`,
          params: { code: 'required_identifier_type' },
        });
      }
    }
  });
export type IdentitySettings = z.infer<typeof IdentitySettings>;

/** What a workspace starts with; every part can be changed through the settings API. */
export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  identifierTypes: [
    { type: 'user_id', priority: 100, limit: 1, anonymous: false, normalize: 'trim', traits: [] },
    {
      type: 'member_number',
      priority: 90,
      limit: 1,
      anonymous: false,
      normalize: 'trim',
      traits: ['member_number', 'memberNumber'],
    },
    {
      type: 'crm_id',
      priority: 80,
      limit: 1,
      anonymous: false,
      normalize: 'trim',
      traits: ['crm_id', 'crmId'],
    },
    {
      type: 'email',
      priority: 70,
      limit: 5,
      anonymous: false,
      normalize: 'email',
      traits: ['email'],
    },
    {
      type: 'phone',
      priority: 60,
      limit: 5,
      anonymous: false,
      normalize: 'phone',
      traits: ['phone', 'mobile'],
    },
    {
      type: 'openid',
      priority: 50,
      limit: null,
      anonymous: false,
      normalize: 'trim',
      traits: ['openid', 'wechat_openid'],
    },
    {
      type: 'device_id',
      priority: 20,
      limit: null,
      anonymous: true,
      normalize: 'trim',
      traits: [],
    },
    {
      type: 'anonymous_id',
      priority: 10,
      limit: null,
      anonymous: true,
      normalize: 'trim',
      traits: [],
    },
  ],
  junkValues: [
    '',
    '0',
    '-',
    '--',
    'n/a',
    'na',
    'none',
    'null',
    'nil',
    'undefined',
    'unknown',
    'anonymous',
    'test',
    'false',
    'true',
    '00000000-0000-0000-0000-000000000000',
  ],
  traitMerge: { default: 'latest', traits: {} },
  mergeSources: ['server', 'import', 'connector'],
};
