import type { JourneyDefinition, JourneyNode, JourneyNodeType } from '@junction/core';
import { layoutLayers, type XYPosition } from './auto-layout.js';
import { describeBranch, describeNode } from './describe-node.js';
import type { JourneyFlow, JourneyFlowEdge, JourneyFlowNode } from './flow-types.js';

export const NODE_KIND: Record<JourneyNodeType, string> = {
  entry: 'Entry',
  delay: 'Delay',
  wait_for_event: 'Wait for event',
  condition: 'Condition',
  multi_split: 'Multi-way split',
  ab_split: 'A/B split',
  message: 'Message',
  update_profile: 'Update profile',
  webhook: 'Webhook',
  goal: 'Goal',
  jump: 'Jump',
  exit: 'Exit',
};

function toFlowNode(node: JourneyNode, position: XYPosition): JourneyFlowNode {
  const kind = NODE_KIND[node.type];
  return {
    id: node.id,
    type: node.type,
    position,
    data: {
      title: node.label?.trim() || kind,
      kind,
      detail: describeNode(node),
      hasInput: node.type !== 'entry',
      hasOutput: node.type !== 'exit' && node.type !== 'jump',
    },
  };
}

/**
 * Converts a journey definition into React Flow nodes and edges. Saved positions are used only
 * when every node has one; otherwise the whole graph is laid out, so a half-positioned graph
 * never ends up with overlapping nodes.
 */
export function definitionToFlow(
  definition: Pick<JourneyDefinition, 'nodes' | 'edges'>,
): JourneyFlow {
  const allPositioned = definition.nodes.every((node) => node.position !== undefined);
  const layout = allPositioned ? null : layoutLayers(definition.nodes, definition.edges);
  const byId = new Map(definition.nodes.map((node) => [node.id, node]));

  const nodes = definition.nodes.map((node) =>
    toFlowNode(node, layout?.get(node.id) ?? node.position ?? { x: 0, y: 0 }),
  );
  const edges: JourneyFlowEdge[] = definition.edges.map((edge) => {
    const label = describeBranch(byId.get(edge.source), edge);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      markerEnd: { type: 'arrowclosed' },
      ...(label === undefined ? {} : { label }),
    };
  });
  return { nodes, edges };
}
