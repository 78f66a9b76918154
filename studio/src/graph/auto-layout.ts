export interface LayoutNode {
  id: string;
  type: string;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface XYPosition {
  x: number;
  y: number;
}

export const LAYER_GAP = 140;
export const COLUMN_GAP = 260;

/** Entry nodes start the layering; graphs without one (broken drafts) start at their sources. */
function findRoots(nodes: LayoutNode[], edges: LayoutEdge[]): string[] {
  const entries = nodes.filter((node) => node.type === 'entry').map((node) => node.id);
  if (entries.length > 0) return entries;
  const targets = new Set(edges.map((edge) => edge.target));
  const sources = nodes.filter((node) => !targets.has(node.id)).map((node) => node.id);
  if (sources.length > 0) return sources;
  return nodes.slice(0, 1).map((node) => node.id);
}

/** Assigns each node its BFS depth from the roots; nodes the roots never reach go one layer below. */
function assignLayers(nodes: LayoutNode[], edges: LayoutEdge[]): string[][] {
  const ids = new Set(nodes.map((node) => node.id));
  const outgoing = new Map<string, string[]>();
  for (const edge of edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target)) continue;
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.target]);
  }

  const depth = new Map<string, number>();
  const queue = findRoots(nodes, edges);
  for (const root of queue) depth.set(root, 0);
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head] as string;
    const next = (depth.get(id) ?? 0) + 1;
    for (const target of outgoing.get(id) ?? []) {
      if (depth.has(target)) continue;
      depth.set(target, next);
      queue.push(target);
    }
  }

  const layers: string[][] = [];
  for (const id of queue) (layers[depth.get(id) ?? 0] ??= []).push(id);
  const unreached = nodes.filter((node) => !depth.has(node.id)).map((node) => node.id);
  if (unreached.length > 0) layers.push(unreached);
  return layers;
}

/**
 * Layered top-to-bottom layout: BFS depth from the entry sets y, discovery order within a
 * layer sets x, and each layer is centred on x = 0.
 */
export function layoutLayers(nodes: LayoutNode[], edges: LayoutEdge[]): Map<string, XYPosition> {
  const positions = new Map<string, XYPosition>();
  assignLayers(nodes, edges).forEach((layer, depth) => {
    const offset = (layer.length - 1) / 2;
    layer.forEach((id, index) => {
      positions.set(id, { x: (index - offset) * COLUMN_GAP, y: depth * LAYER_GAP });
    });
  });
  return positions;
}
