import type { Filter } from 'mongodb';

import {
  journeyStatsId,
  journeyVersionDocId,
  type Collections,
  type JourneyCollections,
  type JourneyNodeStatsDoc,
  type JourneyRunDoc,
  type JourneyVersionDoc,
} from '@junction/core/store';

import { HttpError } from '../http/errors.js';
import type { JourneyStore } from './journey-store.js';

/** How many people passed through one node; `waiting` are there now. */
export interface NodeStats {
  nodeId: string;
  entered: number;
  waiting: number;
  passed: number;
  exited: number;
  converted: number;
  suppressed: number;
}

export interface JourneyStats {
  journeyId: string;
  /** The version asked for; null when the totals cover every version. */
  version: number | null;
  nodes: NodeStats[];
  versions: { version: number; nodes: NodeStats[] }[];
}

export interface RunQuery {
  nodeId?: string | undefined;
  status?: JourneyRunDoc['status'] | undefined;
  limit: number;
  /** The last run id of the previous page. */
  after?: string | undefined;
}

export interface RunPage {
  runs: JourneyRunDoc[];
  next: string | null;
}

const COUNTS = ['entered', 'passed', 'exited', 'converted', 'suppressed'] as const;

function emptyStats(nodeId: string): NodeStats {
  return { nodeId, entered: 0, waiting: 0, passed: 0, exited: 0, converted: 0, suppressed: 0 };
}

function addCounts(into: NodeStats, doc: Pick<JourneyNodeStatsDoc, (typeof COUNTS)[number]>): void {
  for (const count of COUNTS) into[count] += doc[count] ?? 0;
  into.waiting = Math.max(0, into.entered - into.passed - into.exited);
}

/**
 * Where people are in a journey and how they got there: per-node counts from
 * `journey_node_stats` (read by `_id` for the nodes of each version), the people at a node, and
 * one person's runs with their traces. Everything is scoped to the workspace.
 */
export class JourneyReports {
  constructor(
    private readonly db: Collections & JourneyCollections,
    private readonly store: JourneyStore,
  ) {}

  async stats(workspaceId: string, journeyId: string, version?: number): Promise<JourneyStats> {
    const journey = await this.store.get(workspaceId, journeyId);
    const versions =
      version !== undefined
        ? [await this.store.version(workspaceId, journeyId, version)]
        : await this.allVersions(workspaceId, journeyId, journey.latestVersion ?? 0);
    const ids = versions.flatMap((v) =>
      v.definition.nodes.map((node) => journeyStatsId(journeyId, v.version, node.id)),
    );
    const docs = await this.db.journeyNodeStats.find({ _id: { $in: ids }, workspaceId }).toArray();
    const byId = new Map(docs.map((doc) => [doc._id, doc]));
    const perVersion = versions.map((v) => ({
      version: v.version,
      nodes: v.definition.nodes.map((node) => {
        const stats = emptyStats(node.id);
        const doc = byId.get(journeyStatsId(journeyId, v.version, node.id));
        if (doc) addCounts(stats, doc);
        return stats;
      }),
    }));
    return {
      journeyId,
      version: version ?? null,
      nodes: sumByNode(perVersion),
      versions: perVersion,
    };
  }

  async runs(workspaceId: string, journeyId: string, query: RunQuery): Promise<RunPage> {
    await this.store.get(workspaceId, journeyId);
    const filter: Filter<JourneyRunDoc> = { workspaceId, journeyId };
    if (query.nodeId !== undefined) filter.nodeId = query.nodeId;
    if (query.status !== undefined) filter.status = query.status;
    if (query.after !== undefined) filter._id = { $gt: query.after };
    const docs = await this.db.journeyRuns
      .find(filter, { projection: { steps: 0 } })
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .toArray();
    const page = docs.slice(0, query.limit);
    const more = docs.length > query.limit;
    return { runs: page, next: more ? (page[page.length - 1]?._id ?? null) : null };
  }

  async run(workspaceId: string, journeyId: string, runId: string): Promise<JourneyRunDoc> {
    const doc = await this.db.journeyRuns.findOne({ _id: runId, workspaceId, journeyId });
    if (!doc) throw new HttpError(404, 'run_not_found', 'no such run of this journey');
    return doc;
  }

  /** The runs of these profiles (a person and the profiles merged into them), newest first. */
  async profileRuns(
    workspaceId: string,
    profileIds: string[],
    limit: number,
  ): Promise<{ runs: JourneyRunDoc[]; journeyNames: Map<string, string> }> {
    const runs = await this.db.journeyRuns
      .find({ workspaceId, profileId: { $in: profileIds } })
      .sort({ startedAt: -1 })
      .limit(limit)
      .toArray();
    const journeyIds = [...new Set(runs.map((run) => run.journeyId))];
    const journeys = await this.db.journeys
      .find({ _id: { $in: journeyIds }, workspaceId }, { projection: { name: 1 } })
      .toArray();
    return { runs, journeyNames: new Map(journeys.map((doc) => [doc._id, doc.name])) };
  }

  private async allVersions(
    workspaceId: string,
    journeyId: string,
    latest: number,
  ): Promise<JourneyVersionDoc[]> {
    const ids = Array.from({ length: latest }, (_, index) =>
      journeyVersionDocId(journeyId, index + 1),
    );
    const docs = await this.db.journeyVersions
      .find({ _id: { $in: ids }, workspaceId }, { projection: { version: 1, definition: 1 } })
      .toArray();
    return docs.sort((a, b) => b.version - a.version);
  }
}

/** Totals per node id over versions: the newest version's node order, then removed nodes. */
function sumByNode(versions: { nodes: NodeStats[] }[]): NodeStats[] {
  const totals = new Map<string, NodeStats>();
  for (const { nodes } of versions) {
    for (const stats of nodes) {
      const total = totals.get(stats.nodeId) ?? emptyStats(stats.nodeId);
      addCounts(total, stats);
      totals.set(stats.nodeId, total);
    }
  }
  return [...totals.values()];
}
