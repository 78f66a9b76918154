import type { JourneyDefinition } from '@junction/core';
import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { definitionToFlow } from '../graph/definition-to-flow.js';
import { nodeTypes } from '../nodes/node-types.js';

const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.25 };

/** Read-only drawing of one journey version. Remount (via `key`) to re-fit a different graph. */
export function JourneyCanvas({ definition }: { definition: JourneyDefinition }) {
  const { nodes, edges } = useMemo(() => definitionToFlow(definition), [definition]);

  return (
    <div
      className="journey-canvas"
      data-testid="journey-canvas"
      role="region"
      aria-label="Journey graph"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}
