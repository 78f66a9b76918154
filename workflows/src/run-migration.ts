import { ActivityFailure, log } from '@temporalio/workflow';

import { loadJourneyVersion } from './journey-activities.js';
import { indexGraph, type JourneyGraph } from './journey-graph.js';
import type { RunEvents } from './run-events.js';
import type { RunState } from './run-state.js';

/** What a migration signal leads to at a node boundary: the new graph, or why the run stays. */
export interface MigrationPlan {
  graph?: JourneyGraph;
  /** Recorded on the step that leaves the node, so the trace shows the move or its refusal. */
  detail: Record<string, unknown>;
}

/**
 * Loads the version a migrate signal asked for. The run moves only when the node it is leaving
 * exists there with the same way out, so it continues where a person on that version would be.
 */
export async function planMigration(
  state: RunState,
  events: RunEvents,
  branch: string | undefined,
): Promise<MigrationPlan | undefined> {
  const toVersion = events.migrateTo;
  events.migrateTo = null;
  const fromVersion = state.graph.version;
  if (toVersion === null || toVersion === fromVersion) return undefined;
  const { node, ref } = state;
  const stay = (refused: string) => {
    log.warn('journey run migration refused', { runId: ref.runId, toVersion, refused });
    return { detail: { migration: { fromVersion, toVersion, refused } } };
  };
  let graph: JourneyGraph;
  try {
    const { workspaceId, journeyId } = ref;
    const definition = await loadJourneyVersion({ workspaceId, journeyId, version: toVersion });
    graph = indexGraph(definition, toVersion);
  } catch (err) {
    if (err instanceof ActivityFailure) return stay('version_missing');
    throw err;
  }
  if (!graph.nodes.has(node.id)) return stay('node_missing');
  if (!graph.next(node.id, branch)) return stay('branch_missing');
  return { graph, detail: { migration: { fromVersion, toVersion } } };
}

/** Continues the run on the planned version; the signals follow its goals and exit criteria. */
export function applyMigration(state: RunState, events: RunEvents, graph: JourneyGraph): void {
  state.switchVersion(graph);
  events.use(graph);
  log.info('journey run migrated', { runId: state.ref.runId, version: graph.version });
}
