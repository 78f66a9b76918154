import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ExitFlowNode } from '../graph/flow-types.js';
import { NodeCard } from './node-card.js';

export const ExitNode = memo(function ExitNode({ data }: NodeProps<ExitFlowNode>) {
  return <NodeCard type="exit" kind="Exit" title={data.title} hasInput hasOutput={false} />;
});
