import type { NodeTypes } from '@xyflow/react';
import { DelayNode } from './delay-node.js';
import { EntryNode } from './entry-node.js';
import { ExitNode } from './exit-node.js';
import { WebhookNode } from './webhook-node.js';

/** Module scope so React Flow sees the same object every render and never remounts nodes. */
export const nodeTypes = {
  entry: EntryNode,
  delay: DelayNode,
  webhook: WebhookNode,
  exit: ExitNode,
} satisfies NodeTypes;
