import type { Edge, Node } from '@xyflow/react';

import type { JourneyNodeType } from '@junction/core';

/** Node data is display-ready so the node component renders it without knowing the definition. */
export type StepNodeData = {
  title: string;
  kind: string;
  detail: string;
  hasInput: boolean;
  hasOutput: boolean;
};

export type JourneyFlowNode = Node<StepNodeData, JourneyNodeType>;
export type JourneyFlowEdge = Edge;

export interface JourneyFlow {
  nodes: JourneyFlowNode[];
  edges: JourneyFlowEdge[];
}
