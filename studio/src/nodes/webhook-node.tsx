import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { WebhookFlowNode } from '../graph/flow-types.js';
import { NodeCard } from './node-card.js';

export const WebhookNode = memo(function WebhookNode({ data }: NodeProps<WebhookFlowNode>) {
  return (
    <NodeCard type="webhook" kind="Webhook" title={data.title} hasInput hasOutput>
      <span className="journey-node__method">{data.method}</span> {data.host}
    </NodeCard>
  );
});
