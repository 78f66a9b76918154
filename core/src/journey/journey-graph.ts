import type { JourneyDefinition, JourneyEdge, JourneyNode, JourneyNodeType } from './definition.js';

/** Node types with one way out, whose edges carry no branch. */
export const SINGLE_WAY_TYPES: ReadonlySet<JourneyNodeType> = new Set([
  'entry',
  'delay',
  'message',
  'update_profile',
  'webhook',
  'goal',
]);

/** Node types that end a run, so nothing follows them. */
export const TERMINAL_TYPES: ReadonlySet<JourneyNodeType> = new Set(['exit', 'jump']);

/** Node types that make a person wait, so a loop through one cannot spin. */
export const WAITING_TYPES: ReadonlySet<JourneyNodeType> = new Set(['delay', 'wait_for_event']);

/**
 * The branches a node leaves by, in order: `null` for nodes with one way out or none. A multi-way
 * split's `else` comes last.
 */
export function branchesOf(node: JourneyNode): string[] | null {
  switch (node.type) {
    case 'wait_for_event':
      return ['event', 'timeout'];
    case 'condition':
      return ['yes', 'no'];
    case 'multi_split':
      return [...node.branches.map((branch) => branch.id), 'else'];
    case 'ab_split':
      return node.variants.map((variant) => variant.id);
    default:
      return null;
  }
}

/** A definition indexed for the checks: first node per id, edges that join two real nodes. */
export interface IndexedGraph {
  nodes: Map<string, { node: JourneyNode; index: number }>;
  /** Per source node id, its edges whose both ends exist, with their index in `edges`. */
  outgoing: Map<string, { edge: JourneyEdge; index: number }[]>;
}

export function indexGraph(definition: JourneyDefinition): IndexedGraph {
  const nodes = new Map<string, { node: JourneyNode; index: number }>();
  definition.nodes.forEach((node, index) => {
    if (!nodes.has(node.id)) nodes.set(node.id, { node, index });
  });
  const outgoing = new Map<string, { edge: JourneyEdge; index: number }[]>();
  definition.edges.forEach((edge, index) => {
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) return;
    const list = outgoing.get(edge.source) ?? [];
    list.push({ edge, index });
    outgoing.set(edge.source, list);
  });
  return { nodes, outgoing };
}

/** Every node id reachable from `start` following `next`, `start` included. */
export function reachableFrom(
  start: string[],
  next: (id: string) => Iterable<string>,
): Set<string> {
  const seen = new Set(start);
  const stack = [...start];
  while (stack.length > 0) {
    for (const id of next(stack.pop()!)) {
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(id);
    }
  }
  return seen;
}

/**
 * The strongly connected components that hold a cycle (more than one node, or a node with an
 * edge to itself), by Tarjan's algorithm; each lists node ids in the order first visited.
 */
export function cyclicComponents(ids: string[], next: (id: string) => string[]): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (id: string): void => {
    order.set(id, order.size);
    low.set(id, order.get(id)!);
    stack.push(id);
    onStack.add(id);
    for (const to of next(id)) {
      if (!order.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id)!, order.get(to)!));
      }
    }
    if (low.get(id) !== order.get(id)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.unshift(member);
    } while (member !== id);
    if (component.length > 1 || next(id).includes(id)) components.push(component);
  };

  for (const id of ids) if (!order.has(id)) visit(id);
  return components;
}
