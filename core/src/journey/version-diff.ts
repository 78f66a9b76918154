import type { JourneyDefinition, JourneyEdge, JourneyNode, JourneySettings } from './definition.js';

/** A node present in both versions whose settings differ; `fields` names the top-level keys. */
export interface ChangedNode {
  id: string;
  type: JourneyNode['type'];
  fields: string[];
  before: JourneyNode;
  after: JourneyNode;
}

/** What changed from one journey version to another, by node and edge id. */
export interface JourneyVersionDiff {
  nodes: { added: JourneyNode[]; removed: JourneyNode[]; changed: ChangedNode[]; moved: string[] };
  edges: { added: JourneyEdge[]; removed: JourneyEdge[]; changed: JourneyEdge[] };
  settings: { fields: (keyof JourneySettings)[] };
}

/** JSON with sorted keys, so two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Object.fromEntries(entries);
  });
}

function differingKeys(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => {
      const a = (before as Record<string, unknown>)[key];
      const b = (after as Record<string, unknown>)[key];
      return canonical(a) !== canonical(b);
    })
    .sort();
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/**
 * The changes from `before` to `after`. A node whose only difference is where it is drawn is
 * `moved`, not `changed`: moving a box does not change what happens to people.
 */
export function diffJourneyVersions(
  before: JourneyDefinition,
  after: JourneyDefinition,
): JourneyVersionDiff {
  const oldNodes = byId(before.nodes);
  const newNodes = byId(after.nodes);
  const changed: ChangedNode[] = [];
  const moved: string[] = [];
  for (const node of after.nodes) {
    const previous = oldNodes.get(node.id);
    if (!previous) continue;
    const fields = differingKeys(previous, node);
    const meaningful = fields.filter((field) => field !== 'position');
    if (meaningful.length > 0) {
      changed.push({
        id: node.id,
        type: node.type,
        fields: meaningful,
        before: previous,
        after: node,
      });
    } else if (fields.length > 0) {
      moved.push(node.id);
    }
  }
  const oldEdges = byId(before.edges);
  const newEdges = byId(after.edges);
  return {
    nodes: {
      added: after.nodes.filter((node) => !oldNodes.has(node.id)),
      removed: before.nodes.filter((node) => !newNodes.has(node.id)),
      changed,
      moved,
    },
    edges: {
      added: after.edges.filter((edge) => !oldEdges.has(edge.id)),
      removed: before.edges.filter((edge) => !newEdges.has(edge.id)),
      changed: after.edges.filter((edge) => {
        const previous = oldEdges.get(edge.id);
        return previous !== undefined && canonical(previous) !== canonical(edge);
      }),
    },
    settings: {
      fields: differingKeys(before.settings, after.settings) as (keyof JourneySettings)[],
    },
  };
}
