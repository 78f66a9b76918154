import type { JourneyDefinition, JourneyNode } from '@junction/core';

/** A published definition indexed for walking: node by id and the next node of each. */
export interface JourneyGraph {
  entry: JourneyNode;
  nodes: Map<string, JourneyNode>;
  next: Map<string, string>;
}

/** Published versions passed validation, so a broken graph here is a bug, not user input. */
export function indexGraph(definition: JourneyDefinition): JourneyGraph {
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  const next = new Map(definition.edges.map((edge) => [edge.source, edge.target]));
  const entry = definition.nodes.find((node) => node.type === 'entry');
  if (!entry) throw new Error('journey definition has no entry node');
  return { entry, nodes, next };
}
