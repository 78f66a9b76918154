import { z } from 'zod';

import { Duration, durationToMs } from '../journey/definition.js';

const MIN_INTERVAL_MS = 60_000;

/** Five cron fields (minute hour day-of-month month day-of-week) or an `@daily`-style name. */
const CRON =
  /^(@(yearly|annually|monthly|weekly|daily|hourly)|[\d*/,?A-Za-z-]+(\s+[\d*/,?A-Za-z-]+){4})$/;

/**
 * When a connector runs: every fixed interval (at least a minute), or on a cron expression in a
 * time zone (UTC by default). A run that is still going when the next is due is skipped.
 */
export const ConnectorSchedule = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('interval'),
    every: Duration.refine((every) => durationToMs(every) >= MIN_INTERVAL_MS, {
      message: 'run at most once a minute',
      params: { code: 'interval_too_short' },
    }),
  }),
  z.object({
    type: z.literal('cron'),
    expression: z
      .string()
      .trim()
      .max(200)
      .refine((expression) => CRON.test(expression), {
        message: 'five cron fields, e.g. "*/15 * * * *"',
        params: { code: 'invalid_cron' },
      }),
    timeZone: z.string().trim().min(1).max(64).optional(),
  }),
]);
export type ConnectorSchedule = z.infer<typeof ConnectorSchedule>;
