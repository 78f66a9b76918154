import { Handle, Position } from '@xyflow/react';
import type { ReactNode } from 'react';

interface NodeCardProps {
  type: string;
  kind: string;
  title: string;
  hasInput: boolean;
  hasOutput: boolean;
  children?: ReactNode;
}

/** Shared chrome for every journey node: kind caption, title, detail line and handles. */
export function NodeCard({ type, kind, title, hasInput, hasOutput, children }: NodeCardProps) {
  return (
    <div className={`journey-node journey-node--${type}`} data-testid={`node-${type}`}>
      {hasInput && <Handle type="target" position={Position.Top} isConnectable={false} />}
      <div className="journey-node__kind">{kind}</div>
      <div className="journey-node__title">{title}</div>
      {children !== undefined && <div className="journey-node__detail">{children}</div>}
      {hasOutput && <Handle type="source" position={Position.Bottom} isConnectable={false} />}
    </div>
  );
}
