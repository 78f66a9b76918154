import { z } from 'zod';

/** The `event` of a `track` call, as journeys, tags and segments refer to it. */
export const EventName = z.string().trim().min(1).max(200);
export type EventName = z.infer<typeof EventName>;
