import { z } from 'zod';

import { ResourceKey } from '@junction/core';

export const ChannelType = z.enum(['webhook', 'email', 'sms', 'push']);

/** A Liquid template for one type of channel; email templates need a subject. */
export const TemplateInput = z
  .strictObject({
    key: ResourceKey,
    channelType: ChannelType,
    name: z.string().trim().min(1).max(200),
    subject: z.string().min(1).max(998).optional(),
    body: z.string().min(1).max(100_000),
  })
  .superRefine((template, ctx) => {
    if (template.channelType === 'email' && template.subject === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: 'an email template needs a subject',
        params: { code: 'template.subject_required' },
      });
    }
  });
export type TemplateInput = z.infer<typeof TemplateInput>;
