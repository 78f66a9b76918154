import type { z } from 'zod';

import { invalidInput, zodIssues } from './errors.js';

/** Parses a request part with a shared schema, or throws a 400 carrying every issue. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(zodIssues(result.error));
  return result.data;
}
