import type { InputIssue } from '../issues.js';
import type { JourneyDefinition, JourneyNode } from './definition.js';
import {
  branchesOf,
  cyclicComponents,
  indexGraph,
  reachableFrom,
  TERMINAL_TYPES,
  WAITING_TYPES,
  type IndexedGraph,
} from './journey-graph.js';

/**
 * Checks the rules a schema cannot express: one entry, edges that point at real nodes and leave
 * by a valid branch, the right number of next steps per node, every node reachable, every path
 * able to end, no loop without a wait, and node settings that must agree (split weights, branch
 * ids, delay kind). Returns every problem found (not just the first) so the studio can mark them
 * all at once.
 */
export function validateJourneyGraph(definition: JourneyDefinition): InputIssue[] {
  const graph = indexGraph(definition);
  return [
    ...duplicateNodeIssues(definition),
    ...entryIssues(definition),
    ...definition.nodes.flatMap((node, index) => nodeSettingIssues(node, index)),
    ...edgeIssues(definition, graph),
    ...[...graph.nodes.values()].flatMap(({ node, index }) => nextStepIssues(node, index, graph)),
    ...unreachableIssues(definition, graph),
    ...endlessPathIssues(graph),
    ...loopIssues(graph),
  ];
}

function duplicateNodeIssues(definition: JourneyDefinition): InputIssue[] {
  const seen = new Set<string>();
  return definition.nodes.flatMap((node, index) => {
    if (!seen.has(node.id)) {
      seen.add(node.id);
      return [];
    }
    return [
      {
        code: 'journey.duplicate_node_id',
        path: ['nodes', index, 'id'],
        message: `node id "${node.id}" is used more than once`,
        nodeId: node.id,
      },
    ];
  });
}

function entryIssues(definition: JourneyDefinition): InputIssue[] {
  const entries = definition.nodes.flatMap((node, index) =>
    node.type === 'entry' ? [{ node, index }] : [],
  );
  if (entries.length === 0) {
    return [
      { code: 'journey.no_entry', path: ['nodes'], message: 'a journey needs one entry node' },
    ];
  }
  return entries.slice(1).map(({ node, index }) => ({
    code: 'journey.multiple_entries',
    path: ['nodes', index],
    message: 'a journey has exactly one entry node',
    nodeId: node.id,
  }));
}

/** Settings of one node that must agree with each other. */
function nodeSettingIssues(node: JourneyNode, index: number): InputIssue[] {
  const issue = (code: string, path: (string | number)[], message: string): InputIssue => ({
    code,
    path: ['nodes', index, ...path],
    message,
    nodeId: node.id,
  });
  switch (node.type) {
    case 'delay': {
      if ((node.duration === undefined) !== (node.until === undefined)) return [];
      return [issue('journey.delay_spec', [], 'a delay waits for a duration or until a time')];
    }
    case 'multi_split':
      return node.branches.flatMap((branch, position) => {
        const path = ['branches', position, 'id'];
        if (branch.id === 'else') {
          return [
            issue('journey.duplicate_branch_id', path, '"else" is the branch when none holds'),
          ];
        }
        if (node.branches.findIndex(({ id }) => id === branch.id) === position) return [];
        return [issue('journey.duplicate_branch_id', path, `branch id "${branch.id}" repeats`)];
      });
    case 'ab_split': {
      const issues = node.variants.flatMap((variant, position) =>
        node.variants.findIndex(({ id }) => id === variant.id) === position
          ? []
          : [
              issue(
                'journey.duplicate_branch_id',
                ['variants', position, 'id'],
                `variant id "${variant.id}" repeats`,
              ),
            ],
      );
      const total = node.variants.reduce((sum, variant) => sum + variant.weight, 0);
      if (total !== 100) {
        issues.push(
          issue(
            'journey.weights_not_100',
            ['variants'],
            `variant weights sum to ${total}, not 100`,
          ),
        );
      }
      return issues;
    }
    default:
      return [];
  }
}

function edgeIssues(definition: JourneyDefinition, graph: IndexedGraph): InputIssue[] {
  const issues: InputIssue[] = [];
  const edgeIds = new Set<string>();
  definition.edges.forEach((edge, index) => {
    if (edgeIds.has(edge.id)) {
      issues.push({
        code: 'journey.duplicate_edge_id',
        path: ['edges', index, 'id'],
        message: `edge id "${edge.id}" is used more than once`,
        edgeId: edge.id,
      });
    }
    edgeIds.add(edge.id);
    for (const end of ['source', 'target'] as const) {
      if (graph.nodes.has(edge[end])) continue;
      issues.push({
        code: 'journey.dangling_edge',
        path: ['edges', index, end],
        message: `edge points at missing node "${edge[end]}"`,
        edgeId: edge.id,
      });
    }
    if (graph.nodes.get(edge.target)?.node.type === 'entry') {
      issues.push({
        code: 'journey.edge_into_entry',
        path: ['edges', index, 'target'],
        message: 'nothing can lead back into the entry node',
        edgeId: edge.id,
      });
    }
  });
  return issues;
}

/** The edges out of one node: how many, and by which branches. */
function nextStepIssues(node: JourneyNode, index: number, graph: IndexedGraph): InputIssue[] {
  const edges = graph.outgoing.get(node.id) ?? [];
  const branches = branchesOf(node);
  const edgeIssue = (code: string, edgeIndex: number, id: string, message: string) => ({
    code,
    path: ['edges', edgeIndex, 'branch'],
    message,
    edgeId: id,
  });
  if (branches === null) {
    const issues: InputIssue[] = edges.flatMap(({ edge, index: edgeIndex }) =>
      edge.branch === undefined
        ? []
        : [
            edgeIssue(
              'journey.unknown_branch',
              edgeIndex,
              edge.id,
              `a ${node.type} has no branches`,
            ),
          ],
    );
    const issue = outDegreeIssue(node, edges.length);
    if (issue) issues.push({ ...issue, path: ['nodes', index], nodeId: node.id });
    return issues;
  }
  const issues: InputIssue[] = [];
  const taken = new Set<string>();
  for (const { edge, index: edgeIndex } of edges) {
    if (edge.branch === undefined) {
      const message = `say which branch of the ${node.type} this edge is: ${branches.join(', ')}`;
      issues.push(edgeIssue('journey.branch_required', edgeIndex, edge.id, message));
    } else if (!branches.includes(edge.branch)) {
      const message = `a ${node.type} has no branch "${edge.branch}"`;
      issues.push(edgeIssue('journey.unknown_branch', edgeIndex, edge.id, message));
    } else if (taken.has(edge.branch)) {
      const message = `branch "${edge.branch}" already has an edge`;
      issues.push(edgeIssue('journey.duplicate_branch', edgeIndex, edge.id, message));
    } else {
      taken.add(edge.branch);
    }
  }
  for (const branch of new Set(branches)) {
    if (taken.has(branch)) continue;
    issues.push({
      code: 'journey.missing_branch',
      path: ['nodes', index],
      message: `branch "${branch}" has no next step`,
      nodeId: node.id,
    });
  }
  return issues;
}

function outDegreeIssue(
  node: JourneyNode,
  count: number,
): Pick<InputIssue, 'code' | 'message'> | null {
  if (TERMINAL_TYPES.has(node.type)) {
    if (count === 0) return null;
    return {
      code: 'journey.exit_has_next',
      message: `a ${node.type} node ends the run here and has no next step`,
    };
  }
  if (count === 1) return null;
  return {
    code: count === 0 ? 'journey.missing_next' : 'journey.too_many_next',
    message: `a ${node.type} node needs exactly 1 next step, found ${count}`,
  };
}

function unreachableIssues(definition: JourneyDefinition, graph: IndexedGraph): InputIssue[] {
  const entry = definition.nodes.find((node) => node.type === 'entry');
  // Without one clear entry, every node would read as unreachable; the entry issue says why.
  if (!entry || graph.nodes.get(entry.id)?.node !== entry) return [];
  const reachable = reachableFrom([entry.id], (id) =>
    (graph.outgoing.get(id) ?? []).map(({ edge }) => edge.target),
  );
  return [...graph.nodes.values()].flatMap(({ node, index }) =>
    reachable.has(node.id)
      ? []
      : [
          {
            code: 'journey.unreachable_node',
            path: ['nodes', index],
            message: 'no path from the entry reaches this node',
            nodeId: node.id,
          },
        ],
  );
}

/** Nodes from which a person could never leave the journey: no exit or jump lies ahead. */
function endlessPathIssues(graph: IndexedGraph): InputIssue[] {
  const sources = new Map<string, string[]>();
  for (const edges of graph.outgoing.values()) {
    for (const { edge } of edges) {
      sources.set(edge.target, [...(sources.get(edge.target) ?? []), edge.source]);
    }
  }
  const ends = [...graph.nodes.values()]
    .filter(({ node }) => TERMINAL_TYPES.has(node.type))
    .map(({ node }) => node.id);
  const canEnd = reachableFrom(ends, (id) => sources.get(id) ?? []);
  return [...graph.nodes.values()].flatMap(({ node, index }) =>
    canEnd.has(node.id)
      ? []
      : [
          {
            code: 'journey.path_without_exit',
            path: ['nodes', index],
            message: 'no path from this node reaches an exit or a jump',
            nodeId: node.id,
          },
        ],
  );
}

/** A cycle is fine only through a delay or a wait; otherwise a person would loop forever. */
function loopIssues(graph: IndexedGraph): InputIssue[] {
  const moving = [...graph.nodes.values()]
    .filter(({ node }) => !WAITING_TYPES.has(node.type))
    .map(({ node }) => node.id);
  const movingSet = new Set(moving);
  const next = (id: string) =>
    (graph.outgoing.get(id) ?? [])
      .map(({ edge }) => edge.target)
      .filter((target) => movingSet.has(target));
  return cyclicComponents(moving, next).map((component) => {
    const first = component
      .map((id) => graph.nodes.get(id)!)
      .reduce((a, b) => (b.index < a.index ? b : a));
    const loop =
      component.length === 1 ? `${first.node.id} → ${first.node.id}` : component.join(', ');
    return {
      code: 'journey.loop_without_wait',
      path: ['nodes', first.index],
      message: `loop through ${loop} has no delay or wait and would never end`,
      nodeId: first.node.id,
    };
  });
}
