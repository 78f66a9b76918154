import type { InputIssue } from '../issues.js';
import type { JourneyDefinition, JourneyNode, JourneyNodeType } from './definition.js';

/** How many outgoing edges each node type must have. */
const OUT_DEGREE: Record<JourneyNodeType, number> = {
  entry: 1,
  delay: 1,
  webhook: 1,
  exit: 0,
};

/** Node types that make a person wait, so a loop through them cannot spin. */
const WAITING_TYPES = new Set<JourneyNodeType>(['delay']);

/**
 * Checks the rules a schema cannot express: one entry, edges that point at real nodes, every
 * node reachable, every path ending in an exit, and no loop without a wait. Returns every
 * problem found (not just the first) so the studio can mark them all at once.
 */
export function validateJourneyGraph(definition: JourneyDefinition): InputIssue[] {
  const issues: InputIssue[] = [];
  const nodes = new Map<string, { node: JourneyNode; index: number }>();

  definition.nodes.forEach((node, index) => {
    if (nodes.has(node.id)) {
      issues.push({
        code: 'journey.duplicate_node_id',
        path: ['nodes', index, 'id'],
        message: `node id "${node.id}" is used more than once`,
        nodeId: node.id,
      });
      return;
    }
    nodes.set(node.id, { node, index });
  });

  const entries = definition.nodes.filter((node) => node.type === 'entry');
  if (entries.length === 0) {
    issues.push({
      code: 'journey.no_entry',
      path: ['nodes'],
      message: 'a journey needs one entry node',
    });
  }
  for (const extra of entries.slice(1)) {
    issues.push({
      code: 'journey.multiple_entries',
      path: ['nodes', nodes.get(extra.id)?.index ?? 0],
      message: 'a journey has exactly one entry node',
      nodeId: extra.id,
    });
  }

  const outgoing = new Map<string, string[]>();
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
      if (!nodes.has(edge[end])) {
        issues.push({
          code: 'journey.dangling_edge',
          path: ['edges', index, end],
          message: `edge points at missing node "${edge[end]}"`,
          edgeId: edge.id,
        });
      }
    }
    if (nodes.get(edge.target)?.node.type === 'entry') {
      issues.push({
        code: 'journey.edge_into_entry',
        path: ['edges', index, 'target'],
        message: 'nothing can lead back into the entry node',
        edgeId: edge.id,
      });
    }
    if (nodes.has(edge.source) && nodes.has(edge.target)) {
      outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.target]);
    }
  });

  for (const { node, index } of nodes.values()) {
    const count = outgoing.get(node.id)?.length ?? 0;
    const expected = OUT_DEGREE[node.type];
    if (count === expected) continue;
    const code =
      expected === 0
        ? 'journey.exit_has_next'
        : count === 0
          ? 'journey.missing_next'
          : 'journey.too_many_next';
    issues.push({
      code,
      path: ['nodes', index],
      message:
        expected === 0
          ? 'an exit node ends the journey and has no next step'
          : `a ${node.type} node needs exactly ${expected} next step, found ${count}`,
      nodeId: node.id,
    });
  }

  const entry = entries[0];
  if (entry && nodes.get(entry.id)?.node === entry) {
    const reachable = walk(entry.id, outgoing);
    for (const { node, index } of nodes.values()) {
      if (!reachable.has(node.id)) {
        issues.push({
          code: 'journey.unreachable_node',
          path: ['nodes', index],
          message: 'no path from the entry reaches this node',
          nodeId: node.id,
        });
      }
    }
    issues.push(...findLoopsWithoutWait(entry.id, outgoing, nodes));
  }

  return issues;
}

function walk(start: string, outgoing: Map<string, string[]>): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const next of outgoing.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** A cycle is fine only if one of its nodes waits; otherwise a person would loop forever. */
function findLoopsWithoutWait(
  start: string,
  outgoing: Map<string, string[]>,
  nodes: Map<string, { node: JourneyNode; index: number }>,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];

  const visit = (id: string): void => {
    state.set(id, 'open');
    path.push(id);
    for (const next of outgoing.get(id) ?? []) {
      if (state.get(next) === 'open') {
        const loop = path.slice(path.indexOf(next));
        const waits = loop.some((nodeId) => {
          const type = nodes.get(nodeId)?.node.type;
          return type !== undefined && WAITING_TYPES.has(type);
        });
        if (!waits) {
          issues.push({
            code: 'journey.loop_without_wait',
            path: ['nodes', nodes.get(next)?.index ?? 0],
            message: `loop through ${loop.join(' → ')} has no wait and would never end`,
            nodeId: next,
          });
        }
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    path.pop();
    state.set(id, 'done');
  };

  visit(start);
  return issues;
}
