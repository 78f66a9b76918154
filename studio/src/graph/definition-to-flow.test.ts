import { describe, expect, it } from '@jest/globals';
import type { JourneyDefinition } from '@junction/core';
import { COLUMN_GAP, LAYER_GAP } from './auto-layout.js';
import { definitionToFlow } from './definition-to-flow.js';

const linear: JourneyDefinition = {
  nodes: [
    { id: 'start', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
    { id: 'wait', type: 'delay', duration: { amount: 5, unit: 'minutes' } },
    {
      id: 'notify',
      type: 'webhook',
      label: 'Tell CRM',
      url: 'https://hooks.example.com/crm/contacts?x=1',
      method: 'POST',
    },
    { id: 'done', type: 'exit' },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'notify' },
    { id: 'e3', source: 'notify', target: 'done' },
  ],
};

function positionOf(flow: ReturnType<typeof definitionToFlow>, id: string) {
  const node = flow.nodes.find((candidate) => candidate.id === id);
  if (node === undefined) throw new Error(`no node ${id}`);
  return node.position;
}

describe('definitionToFlow', () => {
  it('gives each node display data for its type', () => {
    const { nodes } = definitionToFlow(linear);

    expect(nodes.map((node) => [node.id, node.type, node.data])).toEqual([
      ['start', 'entry', { title: 'Entry', event: 'Signed Up' }],
      ['wait', 'delay', { title: 'Delay', wait: 'Wait 5 minutes' }],
      ['notify', 'webhook', { title: 'Tell CRM', method: 'POST', host: 'hooks.example.com' }],
      ['done', 'exit', { title: 'Exit' }],
    ]);
  });

  it('uses the singular unit for a wait of one', () => {
    const { nodes } = definitionToFlow({
      nodes: [{ id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } }],
      edges: [],
    });

    expect(nodes[0]?.data).toEqual({ title: 'Delay', wait: 'Wait 1 day' });
  });

  it('turns every edge into an arrowed edge between the same nodes', () => {
    const { edges } = definitionToFlow(linear);

    expect(edges).toEqual([
      { id: 'e1', source: 'start', target: 'wait', markerEnd: { type: 'arrowclosed' } },
      { id: 'e2', source: 'wait', target: 'notify', markerEnd: { type: 'arrowclosed' } },
      { id: 'e3', source: 'notify', target: 'done', markerEnd: { type: 'arrowclosed' } },
    ]);
  });

  it('keeps saved positions when every node has one', () => {
    const positioned: JourneyDefinition = {
      nodes: linear.nodes.map((node, index) => ({ ...node, position: { x: index, y: index * 2 } })),
      edges: linear.edges,
    };

    const flow = definitionToFlow(positioned);

    expect(flow.nodes.map((node) => node.position)).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 2 },
      { x: 2, y: 4 },
      { x: 3, y: 6 },
    ]);
  });

  it('places nodes without positions in layers below the entry', () => {
    const flow = definitionToFlow(linear);

    expect(positionOf(flow, 'start')).toEqual({ x: 0, y: 0 });
    expect(positionOf(flow, 'wait')).toEqual({ x: 0, y: LAYER_GAP });
    expect(positionOf(flow, 'notify')).toEqual({ x: 0, y: 2 * LAYER_GAP });
    expect(positionOf(flow, 'done')).toEqual({ x: 0, y: 3 * LAYER_GAP });
  });

  it('spreads nodes that share a layer side by side around the centre', () => {
    const flow = definitionToFlow({
      nodes: [
        { id: 'start', type: 'entry', trigger: { kind: 'event', event: 'Paid' } },
        { id: 'a', type: 'exit' },
        { id: 'b', type: 'exit' },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'a' },
        { id: 'e2', source: 'start', target: 'b' },
      ],
    });

    expect(positionOf(flow, 'a')).toEqual({ x: -COLUMN_GAP / 2, y: LAYER_GAP });
    expect(positionOf(flow, 'b')).toEqual({ x: COLUMN_GAP / 2, y: LAYER_GAP });
  });

  it('lays out the whole graph when only some nodes have positions', () => {
    const partial: JourneyDefinition = {
      nodes: linear.nodes.map((node) =>
        node.id === 'wait' ? { ...node, position: { x: 900, y: 900 } } : node,
      ),
      edges: linear.edges,
    };

    expect(positionOf(definitionToFlow(partial), 'wait')).toEqual({ x: 0, y: LAYER_GAP });
  });

  it('uses the shortest path depth when a loop leads back up the graph', () => {
    const flow = definitionToFlow({
      nodes: linear.nodes,
      edges: [...linear.edges, { id: 'back', source: 'notify', target: 'wait' }],
    });

    expect(positionOf(flow, 'wait')).toEqual({ x: 0, y: LAYER_GAP });
    expect(positionOf(flow, 'notify')).toEqual({ x: 0, y: 2 * LAYER_GAP });
  });

  it('puts nodes the entry cannot reach in a layer below the rest', () => {
    const flow = definitionToFlow({
      nodes: [...linear.nodes, { id: 'orphan', type: 'exit' }],
      edges: linear.edges,
    });

    expect(positionOf(flow, 'orphan')).toEqual({ x: 0, y: 4 * LAYER_GAP });
  });

  it('starts from nodes without incoming edges when there is no entry', () => {
    const flow = definitionToFlow({
      nodes: [
        { id: 'done', type: 'exit' },
        { id: 'wait', type: 'delay', duration: { amount: 2, unit: 'hours' } },
      ],
      edges: [{ id: 'e1', source: 'wait', target: 'done' }],
    });

    expect(positionOf(flow, 'wait')).toEqual({ x: 0, y: 0 });
    expect(positionOf(flow, 'done')).toEqual({ x: 0, y: LAYER_GAP });
  });

  it('shows the raw URL when a webhook URL cannot be parsed', () => {
    const { nodes } = definitionToFlow({
      nodes: [{ id: 'hook', type: 'webhook', url: 'not a url', method: 'PUT' }],
      edges: [],
    });

    expect(nodes[0]?.data).toEqual({ title: 'Webhook', method: 'PUT', host: 'not a url' });
  });
});
