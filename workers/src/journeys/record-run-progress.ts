import {
  isDuplicateKey,
  journeyEntryId,
  journeyStatsId,
  type JourneyCollections,
  type JourneyNodeStatsDoc,
  type JourneyRunDoc,
  type StepRecord,
} from '@junction/core/store';
import type { RunProgress } from '@junction/workflows/activities';

/** Steps a run document keeps; older ones drop off, `lastSeq` keeps counting. */
export const MAX_STORED_STEPS = 500;
// Trimming rewrites the array, so it trims to below the cap and stays a plain `$push` for a while.
const TRIMMED_STEPS = 400;
const MAX_WRITE_ATTEMPTS = 5;

type Counted = 'entered' | 'passed' | 'exited' | 'converted' | 'suppressed';
const COUNTED: readonly Counted[] = ['entered', 'passed', 'exited', 'converted', 'suppressed'];

/** Steps arrive over JSON: instants are strings until made dates again. */
function storedStep(step: StepRecord): StepRecord {
  const stored: StepRecord = { ...step, at: new Date(step.at) };
  if (step.until !== undefined) stored.until = new Date(step.until);
  return stored;
}

async function ensureRun(journeys: JourneyCollections, progress: RunProgress): Promise<void> {
  const first = progress.steps[0];
  const doc: JourneyRunDoc = {
    _id: progress.runId,
    workspaceId: progress.workspaceId,
    journeyId: progress.journeyId,
    version: progress.version,
    profileId: progress.profileId,
    entryId: progress.entryId,
    status: 'active',
    nodeId: progress.nodeId,
    since: new Date(progress.since),
    lastSeq: 0,
    steps: [],
    startedAt: new Date(first?.at ?? progress.since),
  };
  try {
    await journeys.journeyRuns.insertOne(doc);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Appends the steps above the stored `lastSeq` and moves the position, guarded by the
 * `lastSeq` read, so a retry or an overlapping attempt appends nothing twice. Returns the
 * steps this call stored.
 */
async function appendSteps(
  journeys: JourneyCollections,
  progress: RunProgress,
): Promise<StepRecord[]> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const run = await journeys.journeyRuns.findOne({ _id: progress.runId });
    if (!run) throw new Error(`journey run ${progress.runId} vanished`);
    const fresh = progress.steps.filter((step) => step.seq > run.lastSeq).map(storedStep);
    const $set: Partial<JourneyRunDoc> = {
      version: progress.version,
      nodeId: progress.nodeId,
      since: new Date(progress.since),
      status: progress.status,
      lastSeq: Math.max(run.lastSeq, ...fresh.map((step) => step.seq)),
    };
    if (progress.exitReason) $set.exitReason = progress.exitReason;
    if (progress.status === 'finished') $set.endedAt = new Date(progress.since);
    const update: Record<string, unknown> = { $set };
    // FerretDB ignores `$push`'s `$slice`, so the cap is kept by rewriting the array now and then.
    if (run.steps.length + fresh.length > MAX_STORED_STEPS) {
      $set.steps = [...run.steps, ...fresh].slice(-TRIMMED_STEPS);
    } else if (fresh.length > 0) {
      update.$push = { steps: { $each: fresh } };
    }
    const written = await journeys.journeyRuns.updateOne(
      { _id: progress.runId, lastSeq: run.lastSeq },
      update,
    );
    if (written.matchedCount === 1) return fresh;
  }
  throw new Error(`journey run ${progress.runId} kept changing`);
}

/** Node counts per stats document for the steps just stored. */
async function countSteps(
  journeys: JourneyCollections,
  progress: RunProgress,
  steps: StepRecord[],
): Promise<void> {
  const byNode = new Map<string, { step: StepRecord; inc: Partial<Record<Counted, number>> }>();
  for (const step of steps) {
    if (!COUNTED.includes(step.outcome as Counted)) continue;
    const id = journeyStatsId(progress.journeyId, step.version, step.nodeId);
    const entry = byNode.get(id) ?? { step, inc: {} };
    const outcome = step.outcome as Counted;
    entry.inc[outcome] = (entry.inc[outcome] ?? 0) + 1;
    byNode.set(id, entry);
  }
  await Promise.all(
    [...byNode].map(([_id, { step, inc }]) => {
      const zeros = Object.fromEntries(
        COUNTED.filter((name) => inc[name] === undefined).map((name) => [name, 0]),
      );
      const onInsert: Partial<JourneyNodeStatsDoc> = {
        workspaceId: progress.workspaceId,
        journeyId: progress.journeyId,
        version: step.version,
        nodeId: step.nodeId,
        ...zeros,
      };
      const update = { $setOnInsert: onInsert, $inc: inc };
      return journeys.journeyNodeStats.updateOne({ _id }, update, { upsert: true }).catch(
        // Two runs creating the same counter: the loser's insert failed, its increment still counts.
        (error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
          return journeys.journeyNodeStats.updateOne({ _id }, { $inc: inc });
        },
      );
    }),
  );
}

async function insertOnce<T extends { _id: string }>(
  insert: (docs: T[]) => Promise<unknown>,
  docs: T[],
): Promise<void> {
  // One by one, so a duplicate (the first record wins) never hides a later document.
  for (const doc of docs) {
    try {
      await insert([doc]);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

async function recordOutcomes(journeys: JourneyCollections, progress: RunProgress): Promise<void> {
  const { workspaceId, journeyId, version, profileId, runId } = progress;
  await insertOnce(
    (docs) => journeys.assignments.insertMany(docs),
    (progress.assignments ?? []).map((assignment) => ({
      _id: `${journeyId}:${assignment.nodeId}:${profileId}`,
      workspaceId,
      journeyId,
      nodeId: assignment.nodeId,
      profileId,
      variant: assignment.variant,
      version,
      assignedAt: new Date(assignment.at),
    })),
  );
  await insertOnce(
    (docs) => journeys.conversions.insertMany(docs),
    (progress.conversions ?? []).map((conversion) => ({
      _id: `${runId}:${conversion.nodeId}:${conversion.eventId}`,
      workspaceId,
      journeyId,
      version,
      nodeId: conversion.nodeId,
      profileId,
      runId,
      eventId: conversion.eventId,
      event: conversion.event,
      ...(conversion.revenue === undefined ? {} : { revenue: conversion.revenue }),
      at: new Date(conversion.at),
    })),
  );
}

/**
 * Stores a run's progress: its new steps and position, the node counts of those steps, its A/B
 * assignments and conversions, and, once it finished, the end of the person's active entry.
 * Called as a local activity, so every write is safe to repeat: steps at or below the stored
 * `lastSeq` are skipped (and so not counted again), records are inserted once by `_id`.
 */
export function createRecordRunProgress(journeys: JourneyCollections) {
  return async function recordRunProgress(progress: RunProgress): Promise<void> {
    await ensureRun(journeys, progress);
    const stored = await appendSteps(journeys, progress);
    // TODO(journeys): a crash between the step append and the counts loses those counts (never
    // doubles them); closing it needs the counts applied from a marker on the run document.
    await countSteps(journeys, progress, stored);
    await recordOutcomes(journeys, progress);
    if (progress.status !== 'finished') return;
    await journeys.journeyEntries.updateOne(
      { _id: journeyEntryId(progress.workspaceId, progress.journeyId, progress.profileId) },
      { $pull: { active: progress.runId }, $set: { lastExitedAt: new Date(progress.since) } },
    );
  };
}
