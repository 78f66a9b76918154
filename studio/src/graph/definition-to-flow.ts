import type { JourneyDefinition, JourneyNode } from '@junction/core';
import { layoutLayers, type XYPosition } from './auto-layout.js';
import { describeWait, urlHost } from './describe-node.js';
import type { JourneyFlow, JourneyFlowEdge, JourneyFlowNode } from './flow-types.js';

const DEFAULT_TITLE: Record<JourneyNode['type'], string> = {
  entry: 'Entry',
  delay: 'Delay',
  webhook: 'Webhook',
  exit: 'Exit',
};

function toFlowNode(node: JourneyNode, position: XYPosition): JourneyFlowNode {
  const base = { id: node.id, position };
  const title = node.label?.trim() || DEFAULT_TITLE[node.type];
  switch (node.type) {
    case 'entry':
      return { ...base, type: 'entry', data: { title, event: node.trigger.event } };
    case 'delay':
      return { ...base, type: 'delay', data: { title, wait: describeWait(node.duration) } };
    case 'webhook':
      return {
        ...base,
        type: 'webhook',
        data: { title, method: node.method, host: urlHost(node.url) },
      };
    case 'exit':
      return { ...base, type: 'exit', data: { title } };
  }
}

/**
 * Converts a journey definition into React Flow nodes and edges. Saved positions are used only
 * when every node has one; otherwise the whole graph is laid out, so a half-positioned graph
 * never ends up with overlapping nodes.
 */
export function definitionToFlow(definition: JourneyDefinition): JourneyFlow {
  const allPositioned = definition.nodes.every((node) => node.position !== undefined);
  const layout = allPositioned ? null : layoutLayers(definition.nodes, definition.edges);

  const nodes = definition.nodes.map((node) =>
    toFlowNode(node, layout?.get(node.id) ?? node.position ?? { x: 0, y: 0 }),
  );
  const edges: JourneyFlowEdge[] = definition.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    markerEnd: { type: 'arrowclosed' },
  }));
  return { nodes, edges };
}
