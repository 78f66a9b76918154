import type { JourneyDefinition } from './definition.js';
import { validateJourneyGraph } from './validate-graph.js';

const valid: JourneyDefinition = {
  nodes: [
    { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
    { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } },
    { id: 'hook', type: 'webhook', url: 'https://example.com/hook', method: 'POST' },
    { id: 'exit', type: 'exit' },
  ],
  edges: [
    { id: 'e1', source: 'entry', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'hook' },
    { id: 'e3', source: 'hook', target: 'exit' },
  ],
};

function codes(definition: JourneyDefinition): string[] {
  return validateJourneyGraph(definition).map((issue) => issue.code);
}

describe('validateJourneyGraph', () => {
  it('accepts entry → delay → webhook → exit', () => {
    expect(validateJourneyGraph(valid)).toEqual([]);
  });

  it('reports an edge to a missing node with the edge id and path', () => {
    const definition = {
      ...valid,
      edges: [...valid.edges.slice(0, 2), { id: 'e3', source: 'hook', target: 'nowhere' }],
    };
    const issues = validateJourneyGraph(definition);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'journey.dangling_edge',
        edgeId: 'e3',
        path: ['edges', 2, 'target'],
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.missing_next', nodeId: 'hook' }),
    );
  });

  it('reports nodes no path reaches', () => {
    const definition = {
      ...valid,
      nodes: [...valid.nodes, { id: 'orphan', type: 'exit' as const }],
    };
    expect(validateJourneyGraph(definition)).toContainEqual(
      expect.objectContaining({
        code: 'journey.unreachable_node',
        nodeId: 'orphan',
        path: ['nodes', 4],
      }),
    );
  });

  it('requires exactly one entry', () => {
    expect(codes({ nodes: [{ id: 'x', type: 'exit' }], edges: [] })).toContain('journey.no_entry');
    const twoEntries = {
      ...valid,
      nodes: [
        ...valid.nodes,
        { id: 'entry2', type: 'entry' as const, trigger: { kind: 'event' as const, event: 'X' } },
      ],
    };
    expect(codes(twoEntries)).toContain('journey.multiple_entries');
  });

  it('refuses a loop without a wait but accepts one through a delay', () => {
    const hookLoop: JourneyDefinition = {
      nodes: [
        { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
        { id: 'hook', type: 'webhook', url: 'https://example.com/hook', method: 'POST' },
      ],
      edges: [
        { id: 'e1', source: 'entry', target: 'hook' },
        { id: 'e2', source: 'hook', target: 'hook' },
      ],
    };
    expect(codes(hookLoop)).toContain('journey.loop_without_wait');

    const delayLoop: JourneyDefinition = {
      nodes: [
        ...hookLoop.nodes,
        { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'hours' } },
      ],
      edges: [
        { id: 'e1', source: 'entry', target: 'hook' },
        { id: 'e2', source: 'hook', target: 'wait' },
        { id: 'e3', source: 'wait', target: 'hook' },
      ],
    };
    expect(codes(delayLoop)).not.toContain('journey.loop_without_wait');
  });

  it('refuses an exit with a next step and a step with two', () => {
    const definition = {
      ...valid,
      edges: [
        ...valid.edges,
        { id: 'e4', source: 'exit', target: 'hook' },
        { id: 'e5', source: 'wait', target: 'exit' },
      ],
    };
    expect(codes(definition)).toEqual(
      expect.arrayContaining(['journey.exit_has_next', 'journey.too_many_next']),
    );
  });
});
