import { z } from 'zod';

export const JourneyParams = z.object({ id: z.string().min(1).max(64) });
export type JourneyParams = z.infer<typeof JourneyParams>;

export const VersionNumber = z.coerce.number().int().positive();
