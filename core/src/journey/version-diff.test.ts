import { JourneyDefinition } from './definition.js';
import { diffJourneyVersions } from './version-diff.js';

const base = {
  nodes: [
    { id: 'in', type: 'entry', trigger: { kind: 'api' }, position: { x: 0, y: 0 } },
    { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } },
    { id: 'out', type: 'exit' },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'out' },
  ],
};

describe('diffJourneyVersions', () => {
  it('finds nothing between equal versions, whatever their key order', () => {
    const before = JourneyDefinition.parse(base);
    const after = JourneyDefinition.parse(JSON.parse(JSON.stringify(base)));
    const diff = diffJourneyVersions(before, after);
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [], moved: [] });
    expect(diff.edges).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.settings.fields).toEqual([]);
  });

  it('names added, removed, changed and moved nodes, edges and settings', () => {
    const before = JourneyDefinition.parse(base);
    const after = JourneyDefinition.parse({
      nodes: [
        { ...base.nodes[0], position: { x: 40, y: 0 } },
        { id: 'wait', type: 'delay', duration: { amount: 2, unit: 'days' } },
        { id: 'hook', type: 'webhook', url: 'https://example.test/hook' },
        { id: 'out', type: 'exit' },
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'wait' },
        { id: 'e3', source: 'wait', target: 'hook' },
        { id: 'e4', source: 'hook', target: 'out' },
      ],
      settings: { reEntry: { policy: 'never' } },
    });
    const diff = diffJourneyVersions(before, after);
    expect(diff.nodes.added.map((node) => node.id)).toEqual(['hook']);
    expect(diff.nodes.removed).toEqual([]);
    expect(diff.nodes.changed).toEqual([
      expect.objectContaining({ id: 'wait', type: 'delay', fields: ['duration'] }),
    ]);
    expect(diff.nodes.moved).toEqual(['in']);
    expect(diff.edges.added.map((edge) => edge.id)).toEqual(['e3', 'e4']);
    expect(diff.edges.removed.map((edge) => edge.id)).toEqual(['e2']);
    expect(diff.settings.fields).toEqual(['reEntry']);
  });
});
