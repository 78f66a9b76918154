import {
  codes,
  condition,
  delay,
  edge,
  entry,
  exit,
  hook,
  issueOf,
  journey,
} from './test-journeys.js';
import { validateJourneyGraph } from './validate-graph.js';

const valid = journey(
  [entry, delay(), hook(), exit],
  [edge('entry', 'wait'), edge('wait', 'hook'), edge('hook', 'exit')],
);

/** Every node type, every branch taken: the shape of a real welcome journey. */
const everyType = journey(
  [
    entry,
    {
      id: 'await',
      type: 'wait_for_event',
      event: 'Order Completed',
      timeout: { amount: 3, unit: 'days' },
    },
    condition('cond'),
    {
      id: 'split',
      type: 'multi_split',
      branches: [
        { id: 'high', condition: { type: 'trait', trait: 'ltv', op: 'gt', value: 100 } },
        { id: 'low', condition: { type: 'trait', trait: 'ltv', op: 'gt', value: 10 } },
      ],
    },
    {
      id: 'ab',
      type: 'ab_split',
      holdoutPercent: 10,
      variants: [
        { id: 'a', weight: 50 },
        { id: 'b', weight: 50 },
      ],
    },
    { id: 'msg', type: 'message', channel: 'email', template: 'welcome' },
    { id: 'profile', type: 'update_profile', set: { stage: 'nurtured' } },
    hook(),
    { id: 'goal', type: 'goal', event: 'Subscribed' },
    { id: 'jump', type: 'jump', journeyId: 'winback' },
    delay(),
    exit,
  ],
  [
    edge('entry', 'await'),
    edge('await', 'cond', 'event'),
    edge('await', 'exit', 'timeout'),
    edge('cond', 'split', 'yes'),
    edge('cond', 'ab', 'no'),
    edge('split', 'msg', 'high'),
    edge('split', 'profile', 'low'),
    edge('split', 'exit', 'else'),
    edge('ab', 'hook', 'a'),
    edge('ab', 'jump', 'b'),
    edge('msg', 'goal'),
    edge('goal', 'exit'),
    edge('profile', 'wait'),
    edge('wait', 'exit'),
    edge('hook', 'exit'),
  ],
);
describe('validateJourneyGraph', () => {
  it('accepts entry → delay → webhook → exit', () => {
    expect(validateJourneyGraph(valid)).toEqual([]);
  });

  it('accepts a journey with every node type and every branch taken', () => {
    expect(validateJourneyGraph(everyType)).toEqual([]);
  });

  it('reports an edge to a missing node with the edge id and path', () => {
    const definition = { ...valid, edges: [...valid.edges.slice(0, 2), edge('hook', 'nowhere')] };
    const issues = validateJourneyGraph(definition);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'journey.dangling_edge',
        edgeId: 'hook-nowhere',
        path: ['edges', 2, 'target'],
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.missing_next', nodeId: 'hook', path: ['nodes', 2] }),
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
    expect(codes(journey([exit], []))).toContain('journey.no_entry');
    const twoEntries = journey(
      [...valid.nodes, { ...entry, id: 'entry2' }],
      [...valid.edges, edge('entry2', 'exit')],
    );
    expect(issueOf(twoEntries, 'journey.multiple_entries')).toMatchObject({
      nodeId: 'entry2',
      path: ['nodes', 4],
    });
  });

  it('reports repeated node and edge ids and edges back into the entry', () => {
    const definition = journey(
      [entry, hook(), { id: 'hook', type: 'webhook', url: 'https://example.com/other' }, exit],
      [edge('entry', 'hook'), edge('hook', 'exit'), edge('hook', 'exit'), edge('exit', 'entry')],
    );
    const issues = validateJourneyGraph(definition);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'journey.duplicate_node_id',
        path: ['nodes', 2, 'id'],
        nodeId: 'hook',
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.duplicate_edge_id', path: ['edges', 2, 'id'] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.edge_into_entry', path: ['edges', 3, 'target'] }),
    );
  });

  it('refuses a loop without a wait but accepts one through a delay or a wait for an event', () => {
    const hookLoop = journey([entry, hook(), exit], [edge('entry', 'hook'), edge('hook', 'hook')]);
    expect(issueOf(hookLoop, 'journey.loop_without_wait')).toMatchObject({ nodeId: 'hook' });

    const delayLoop = journey(
      [entry, condition('cond'), delay(), exit],
      [
        edge('entry', 'cond'),
        edge('cond', 'wait', 'yes'),
        edge('wait', 'cond'),
        edge('cond', 'exit', 'no'),
      ],
    );
    expect(codes(delayLoop)).toEqual([]);

    const waitLoop = journey(
      [
        entry,
        {
          id: 'await',
          type: 'wait_for_event',
          event: 'Clicked',
          timeout: { amount: 1, unit: 'days' },
        },
        hook(),
        exit,
      ],
      [
        edge('entry', 'await'),
        edge('await', 'hook', 'event'),
        edge('hook', 'await'),
        edge('await', 'exit', 'timeout'),
      ],
    );
    expect(codes(waitLoop)).toEqual([]);
  });

  it('finds a loop without a wait that shares nodes with one that waits', () => {
    // cond → wait → hook → again → cond waits; cond → hook → again → cond does not.
    const definition = journey(
      [entry, condition('cond'), delay(), hook(), condition('again'), exit],
      [
        edge('entry', 'cond'),
        edge('cond', 'wait', 'yes'),
        edge('cond', 'hook', 'no'),
        edge('wait', 'hook'),
        edge('hook', 'again'),
        edge('again', 'cond', 'yes'),
        edge('again', 'exit', 'no'),
      ],
    );
    const loops = validateJourneyGraph(definition).filter(
      (issue) => issue.code === 'journey.loop_without_wait',
    );
    expect(loops).toEqual([expect.objectContaining({ nodeId: 'cond', path: ['nodes', 1] })]);
    expect(loops[0]!.message).toContain('cond, hook, again');
  });

  it('refuses a next step after an exit or a jump and a second one after a single-way node', () => {
    const definition = journey(
      [...valid.nodes, { id: 'jump', type: 'jump', journeyId: 'other' }],
      [...valid.edges, edge('exit', 'hook'), edge('wait', 'jump'), edge('jump', 'exit')],
    );
    const issues = validateJourneyGraph(definition);
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.exit_has_next', nodeId: 'exit' }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.exit_has_next', nodeId: 'jump' }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.too_many_next', nodeId: 'wait' }),
    );
  });

  it('reports every node from which no exit or jump can be reached', () => {
    const definition = journey(
      [entry, condition('cond'), delay(), hook(), exit],
      [
        edge('entry', 'cond'),
        edge('cond', 'exit', 'yes'),
        edge('cond', 'wait', 'no'),
        edge('wait', 'hook'),
        edge('hook', 'wait'),
      ],
    );
    const endless = validateJourneyGraph(definition).filter(
      (issue) => issue.code === 'journey.path_without_exit',
    );
    expect(endless.map((issue) => issue.nodeId)).toEqual(['wait', 'hook']);
  });

  it('returns every problem at once, each with its node or edge', () => {
    const definition = journey(
      [
        entry,
        {
          id: 'ab',
          type: 'ab_split',
          variants: [
            { id: 'a', weight: 10 },
            { id: 'b', weight: 10 },
          ],
        },
        hook(),
      ],
      [edge('entry', 'ab'), edge('ab', 'hook', 'a'), edge('ab', 'hook')],
    );
    const issues = validateJourneyGraph(definition);
    expect(new Set(issues.map((issue) => issue.code))).toEqual(
      new Set([
        'journey.weights_not_100',
        'journey.branch_required',
        'journey.missing_branch',
        'journey.missing_next',
        'journey.path_without_exit',
      ]),
    );
    for (const issue of issues) expect(issue.nodeId ?? issue.edgeId).toBeDefined();
  });
});
