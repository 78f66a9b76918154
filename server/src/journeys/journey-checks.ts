import {
  JourneyDefinition,
  validateJourneyGraph,
  validateJourneyReferences,
  type InputIssue,
  type JourneyReferences,
} from '@junction/core';

import { HttpError, zodIssues } from '../http/errors.js';

/**
 * Every problem that stops a definition from being published: its shape, its graph rules and
 * what it refers to, with paths under `prefix` (the request field the definition came from).
 */
export function journeyIssues(
  definition: unknown,
  refs: JourneyReferences,
  prefix: string,
): InputIssue[] {
  const parsed = JourneyDefinition.safeParse(definition);
  const issues = parsed.success
    ? [...validateJourneyGraph(parsed.data), ...validateJourneyReferences(parsed.data, refs)]
    : zodIssues(parsed.error);
  return issues.map((issue) => ({ ...issue, path: [prefix, ...issue.path] }));
}

/** Refuses to publish a definition with any issue, answering all of them at once. */
export function assertPublishable(
  definition: unknown,
  refs: JourneyReferences,
  prefix: string,
): void {
  const issues = journeyIssues(definition, refs, prefix);
  if (issues.length > 0) {
    throw new HttpError(400, 'invalid_journey', 'the journey cannot be published', issues);
  }
}
