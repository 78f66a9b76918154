import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { DelayFlowNode } from '../graph/flow-types.js';
import { NodeCard } from './node-card.js';

export const DelayNode = memo(function DelayNode({ data }: NodeProps<DelayFlowNode>) {
  return (
    <NodeCard type="delay" kind="Delay" title={data.title} hasInput hasOutput>
      {data.wait}
    </NodeCard>
  );
});
