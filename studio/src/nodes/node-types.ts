import type { NodeTypes } from '@xyflow/react';
import type { JourneyNodeType } from '@junction/core';
import { StepNode } from './step-node.js';

/** Module scope so React Flow sees the same object every render and never remounts nodes. */
export const nodeTypes: Record<JourneyNodeType, typeof StepNode> = {
  entry: StepNode,
  delay: StepNode,
  wait_for_event: StepNode,
  condition: StepNode,
  multi_split: StepNode,
  ab_split: StepNode,
  message: StepNode,
  update_profile: StepNode,
  webhook: StepNode,
  goal: StepNode,
  jump: StepNode,
  exit: StepNode,
} satisfies NodeTypes;
