import type { JourneyDefinition } from '@junction/core';
import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { definitionToFlow } from '../graph/definition-to-flow.js';
import { nodeTypes } from '../nodes/node-types.js';

const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.25 };

/**
 * Read-only drawing of one journey version. React Flow owns the node state, where it records the
 * measured sizes the minimap draws from, so a different graph needs a new `key`.
 */
export function JourneyCanvas({ definition }: { definition: JourneyDefinition }) {
  const [{ nodes, edges }] = useState(() => definitionToFlow(definition));

  return (
    <div
      className="journey-canvas"
      data-testid="journey-canvas"
      role="region"
      aria-label="Journey graph"
    >
      <div className="journey-canvas__flow">
        <ReactFlow
          defaultNodes={nodes}
          defaultEdges={edges}
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
    </div>
  );
}
