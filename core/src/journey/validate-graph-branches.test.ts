import {
  codes,
  condition,
  edge,
  entry,
  exit,
  hook,
  issueOf,
  journey,
  type NodeInput,
} from './test-journeys.js';
import { validateJourneyGraph } from './validate-graph.js';

describe('validateJourneyGraph on branches and node settings', () => {
  it('requires a branch on every edge out of a branching node, and only there', () => {
    const definition = journey(
      [entry, condition('cond'), hook(), exit],
      [
        edge('entry', 'cond', 'yes'),
        edge('cond', 'hook'),
        edge('cond', 'exit', 'maybe'),
        edge('hook', 'exit'),
      ],
    );
    const issues = validateJourneyGraph(definition);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'journey.unknown_branch',
        edgeId: 'entry-yes-cond',
        path: ['edges', 0, 'branch'],
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'journey.branch_required',
        edgeId: 'cond-hook',
        path: ['edges', 1, 'branch'],
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ code: 'journey.unknown_branch', edgeId: 'cond-maybe-exit' }),
    );
    const missing = issues.filter((issue) => issue.code === 'journey.missing_branch');
    expect(missing.map((issue) => issue.message)).toEqual([
      'branch "yes" has no next step',
      'branch "no" has no next step',
    ]);
  });

  it('names each missing branch of a wait, a multi-way split and an A/B split', () => {
    const definition = journey(
      [
        entry,
        {
          id: 'await',
          type: 'wait_for_event',
          event: 'Clicked',
          timeout: { amount: 1, unit: 'days' },
        },
        {
          id: 'split',
          type: 'multi_split',
          branches: [
            { id: 'rich', condition: { type: 'trait', trait: 'ltv', op: 'gt', value: 1 } },
          ],
        },
        {
          id: 'ab',
          type: 'ab_split',
          variants: [
            { id: 'a', weight: 50 },
            { id: 'b', weight: 50 },
          ],
        },
        exit,
      ],
      [
        edge('entry', 'await'),
        edge('await', 'split', 'event'),
        edge('split', 'ab', 'rich'),
        edge('ab', 'exit', 'a'),
        { ...edge('ab', 'exit', 'a'), id: 'again' },
      ],
    );
    const issues = validateJourneyGraph(definition);
    const missing = issues
      .filter((issue) => issue.code === 'journey.missing_branch')
      .map((issue) => `${issue.nodeId}:${issue.message}`);
    expect(missing).toEqual([
      'await:branch "timeout" has no next step',
      'split:branch "else" has no next step',
      'ab:branch "b" has no next step',
    ]);
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: 'journey.duplicate_branch',
        edgeId: 'again',
        path: ['edges', 4, 'branch'],
      }),
    );
  });

  it('refuses repeated branch and variant ids and a branch named else', () => {
    const rule = { type: 'trait', trait: 'ltv', op: 'gt', value: 1 } as const;
    const definition = journey(
      [
        entry,
        {
          id: 'split',
          type: 'multi_split',
          branches: [
            { id: 'x', condition: rule },
            { id: 'x', condition: rule },
            { id: 'else', condition: rule },
          ],
        },
        {
          id: 'ab',
          type: 'ab_split',
          variants: [
            { id: 'a', weight: 50 },
            { id: 'a', weight: 50 },
          ],
        },
        exit,
      ],
      [
        edge('entry', 'split'),
        edge('split', 'ab', 'x'),
        edge('split', 'exit', 'else'),
        edge('ab', 'exit', 'a'),
      ],
    );
    const repeated = validateJourneyGraph(definition)
      .filter((issue) => issue.code === 'journey.duplicate_branch_id')
      .map((issue) => issue.path);
    expect(repeated).toEqual([
      ['nodes', 1, 'branches', 1, 'id'],
      ['nodes', 1, 'branches', 2, 'id'],
      ['nodes', 2, 'variants', 1, 'id'],
    ]);
  });

  it('accepts A/B weights only when they sum to 100', () => {
    const split = (weights: number[]) =>
      journey(
        [
          entry,
          {
            id: 'ab',
            type: 'ab_split',
            variants: weights.map((weight, index) => ({ id: `v${index}`, weight })),
          },
          exit,
        ],
        [edge('entry', 'ab'), ...weights.map((_, index) => edge('ab', 'exit', `v${index}`))],
      );
    expect(issueOf(split([60, 30]), 'journey.weights_not_100')).toMatchObject({
      nodeId: 'ab',
      path: ['nodes', 1, 'variants'],
      message: 'variant weights sum to 90, not 100',
    });
    expect(codes(split([34, 33, 33]))).toEqual([]);
  });

  it('requires a delay to have exactly one of a duration and an until', () => {
    const withDelay = (node: NodeInput) =>
      journey([entry, node, exit], [edge('entry', 'wait'), edge('wait', 'exit')]);
    const both = withDelay({
      id: 'wait',
      type: 'delay',
      duration: { amount: 1, unit: 'days' },
      until: { kind: 'local_time', time: '09:00' },
    });
    expect(issueOf(both, 'journey.delay_spec')).toMatchObject({
      nodeId: 'wait',
      path: ['nodes', 1],
    });
    expect(codes(withDelay({ id: 'wait', type: 'delay' }))).toEqual(['journey.delay_spec']);
    expect(
      codes(
        withDelay({
          id: 'wait',
          type: 'delay',
          until: { kind: 'date', at: '2026-12-24T09:00:00+01:00' },
        }),
      ),
    ).toEqual([]);
  });
});
