import { patched, workflowInfo } from '@temporalio/workflow';

import type { JourneyDefinition, JourneyRunInput, JourneyRunInputV1 } from '@junction/core';

import { loadJourneyVersion, loadJourneyVersionRemote } from './journey-activities.js';

/** Marks runs that load their version with a local activity (first-input runs did not). */
export const LOCAL_VERSION_LOAD_PATCH = 'journey-run-local-version-load';

/** A v1 input was always entered by an event, at the time its workflow started. */
export function normaliseRunInput(input: JourneyRunInput | JourneyRunInputV1): JourneyRunInput {
  if (input.v === 2) return input;
  const { workspaceId, journeyId, version, profileId, entryEventId } = input;
  return {
    v: 2,
    workspaceId,
    journeyId,
    version,
    profileId,
    entryId: entryEventId,
    entry: { kind: 'event', eventId: entryEventId, at: workflowInfo().startTime.toISOString() },
  };
}

/**
 * Loads the version the run entered. Histories recorded before the patch scheduled a regular
 * activity here, and replaying them must schedule the same command.
 */
export async function loadStartVersion(input: JourneyRunInput): Promise<JourneyDefinition> {
  const ref = {
    workspaceId: input.workspaceId,
    journeyId: input.journeyId,
    version: input.version,
  };
  if (patched(LOCAL_VERSION_LOAD_PATCH)) return loadJourneyVersion(ref);
  return loadJourneyVersionRemote(ref);
}
