import { z } from 'zod';

import { LocalTime, ResourceKey } from '@junction/core';

/** At most `limit` marketing sends per person per `period`, on one channel or (`*`) all. */
export const FrequencyCapInput = z.strictObject({
  channel: z.union([z.literal('*'), ResourceKey]),
  limit: z.number().int().min(1).max(1000),
  period: z.enum(['day', 'week']),
});

/** Between `start` and `end` on the person's clock (may wrap midnight) sends wait or are dropped. */
export const QuietHoursInput = z.strictObject({
  start: LocalTime,
  end: LocalTime,
  action: z.enum(['defer', 'skip']),
});

export const ContactPolicyInput = z
  .strictObject({
    caps: z.array(FrequencyCapInput).max(20).default([]),
    quietHours: QuietHoursInput.nullable().default(null),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.caps.forEach((cap, index) => {
      const id = `${cap.channel}/${cap.period}`;
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['caps', index],
          message: `a second ${cap.period} cap for channel "${cap.channel}"`,
          params: { code: 'contact_policy.duplicate_cap' },
        });
      }
      seen.add(id);
    });
    if (policy.quietHours && policy.quietHours.start === policy.quietHours.end) {
      ctx.addIssue({
        code: 'custom',
        path: ['quietHours', 'end'],
        message: 'quiet hours must end at another time than they start',
        params: { code: 'contact_policy.empty_quiet_hours' },
      });
    }
  });
export type ContactPolicyInput = z.infer<typeof ContactPolicyInput>;
