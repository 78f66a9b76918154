import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EntryFlowNode } from '../graph/flow-types.js';
import { NodeCard } from './node-card.js';

export const EntryNode = memo(function EntryNode({ data }: NodeProps<EntryFlowNode>) {
  return (
    <NodeCard type="entry" kind="Entry" title={data.title} hasInput={false} hasOutput>
      When <code>{data.event}</code> is tracked
    </NodeCard>
  );
});
