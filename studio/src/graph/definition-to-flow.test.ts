import { describe, expect, it } from '@jest/globals';
import type { JourneyDefinition as Definition } from '@junction/core';
import { COLUMN_GAP, LAYER_GAP } from './auto-layout.js';
import { definitionToFlow } from './definition-to-flow.js';

type JourneyDefinition = Pick<Definition, 'nodes' | 'edges'>;

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

    const card = (
      title: string,
      kind: string,
      detail: string,
      hasInput = true,
      hasOutput = true,
    ) => ({ title, kind, detail, hasInput, hasOutput });
    expect(nodes.map((node) => [node.id, node.type, node.data])).toEqual([
      ['start', 'entry', card('Entry', 'Entry', 'When Signed Up is tracked', false)],
      ['wait', 'delay', card('Delay', 'Delay', 'Wait 5 minutes')],
      ['notify', 'webhook', card('Tell CRM', 'Webhook', 'POST hooks.example.com')],
      ['done', 'exit', card('Exit', 'Exit', '', true, false)],
    ]);
  });

  it('uses the singular unit for a wait of one', () => {
    const { nodes } = definitionToFlow({
      nodes: [{ id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } }],
      edges: [],
    });

    expect(nodes[0]?.data.detail).toBe('Wait 1 day');
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

    expect(nodes[0]?.data.detail).toBe('PUT not a url');
  });

  it('labels the edges out of splits with their branch, variant and weight', () => {
    const flow = definitionToFlow({
      nodes: [
        { id: 'start', type: 'entry', trigger: { kind: 'api' } },
        {
          id: 'ab',
          type: 'ab_split',
          variants: [
            { id: 'a', label: 'Email first', weight: 60 },
            { id: 'b', weight: 40 },
          ],
          holdoutPercent: 10,
        },
        {
          id: 'vip',
          type: 'condition',
          condition: { type: 'tag', tag: 'vip', op: 'eq', value: true },
        },
        { id: 'done', type: 'exit' },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'ab' },
        { id: 'e2', source: 'ab', target: 'vip', branch: 'a' },
        { id: 'e3', source: 'ab', target: 'done', branch: 'b' },
        { id: 'e4', source: 'vip', target: 'done', branch: 'yes' },
      ],
    });

    expect(flow.edges.map((edge) => [edge.id, edge.label])).toEqual([
      ['e1', undefined],
      ['e2', 'Email first · 60%'],
      ['e3', 'b · 40%'],
      ['e4', 'yes'],
    ]);
    expect(flow.nodes.find((node) => node.id === 'ab')?.data.detail).toBe(
      '60% / 40%, 10% held out',
    );
  });
});
