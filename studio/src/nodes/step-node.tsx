import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { JourneyFlowNode } from '../graph/flow-types.js';
import { NodeCard } from './node-card.js';

/** Every node type renders the same card; the type picks its colour through the CSS class. */
export const StepNode = memo(function StepNode({ type, data }: NodeProps<JourneyFlowNode>) {
  return (
    <NodeCard
      type={type}
      kind={data.kind}
      title={data.title}
      hasInput={data.hasInput}
      hasOutput={data.hasOutput}
    >
      {data.detail === '' ? undefined : data.detail}
    </NodeCard>
  );
});
