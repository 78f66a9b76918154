import type { Edge, Node } from '@xyflow/react';

/** Node data is display-ready so custom nodes render it without knowing the definition format. */
export type EntryNodeData = { title: string; event: string };
export type DelayNodeData = { title: string; wait: string };
export type WebhookNodeData = { title: string; method: string; host: string };
export type ExitNodeData = { title: string };

export type EntryFlowNode = Node<EntryNodeData, 'entry'>;
export type DelayFlowNode = Node<DelayNodeData, 'delay'>;
export type WebhookFlowNode = Node<WebhookNodeData, 'webhook'>;
export type ExitFlowNode = Node<ExitNodeData, 'exit'>;

export type JourneyFlowNode = EntryFlowNode | DelayFlowNode | WebhookFlowNode | ExitFlowNode;
export type JourneyFlowEdge = Edge;

export interface JourneyFlow {
  nodes: JourneyFlowNode[];
  edges: JourneyFlowEdge[];
}
