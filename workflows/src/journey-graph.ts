import type {
  EntryNode,
  GoalNode,
  JourneyDefinition,
  JourneyNode,
  JourneySettings,
} from '@junction/core';

/** A published version indexed for walking: nodes by id and edges by (source, branch). */
export interface JourneyGraph {
  version: number;
  entry: EntryNode;
  nodes: ReadonlyMap<string, JourneyNode>;
  /** Goal nodes in definition order: the first whose event matches takes the person. */
  goals: readonly GoalNode[];
  settings: JourneySettings;
  /** The node the edge out of `nodeId` by `branch` (none for single-way nodes) leads to. */
  next(nodeId: string, branch?: string): JourneyNode | undefined;
}

// Graph ids are letters, digits, "_" and "-", so "/" cannot occur inside one.
const edgeKey = (source: string, branch: string | undefined) =>
  branch === undefined ? source : `${source}/${branch}`;

/** Published versions passed validation, so a broken graph here is a bug, not user input. */
export function indexGraph(definition: JourneyDefinition, version: number): JourneyGraph {
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  const targets = new Map(
    definition.edges.map((edge) => [edgeKey(edge.source, edge.branch), edge.target]),
  );
  const entry = definition.nodes.find((node): node is EntryNode => node.type === 'entry');
  if (!entry) throw new Error('journey definition has no entry node');
  return {
    version,
    entry,
    nodes,
    goals: definition.nodes.filter((node): node is GoalNode => node.type === 'goal'),
    settings: definition.settings,
    next(nodeId, branch) {
      const target = targets.get(edgeKey(nodeId, branch));
      return target === undefined ? undefined : nodes.get(target);
    },
  };
}
