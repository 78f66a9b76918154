import type { DefinitionChange } from '../store/audience.js';

type Path = DefinitionChange['path'];

/**
 * What changed between two versions of a definition: objects compared key by key, arrays
 * index by index (a longer or shorter array reports the items added or removed at its tail),
 * anything else by value. Keys are visited in sorted order so equal inputs give equal output.
 */
export function diffDefinitions(before: unknown, after: unknown): DefinitionChange[] {
  const changes: DefinitionChange[] = [];
  diffInto(before, after, [], changes);
  return changes;
}

function diffInto(before: unknown, after: unknown, path: Path, changes: DefinitionChange[]): void {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...presentKeys(before), ...presentKeys(after)])].sort();
    for (const key of keys) diffInto(before[key], after[key], [...path, key], changes);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index++) {
      diffInto(before[index], after[index], [...path, index], changes);
    }
    return;
  }
  if (sameValue(before, after)) return;
  changes.push({
    path,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isDate(value);
}

function isDate(value: unknown): value is Date {
  return value instanceof Date;
}

// A key holding `undefined` is absent in JSON, so it must not show up as a change.
function presentKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

function sameValue(before: unknown, after: unknown): boolean {
  if (isDate(before) && isDate(after)) return before.getTime() === after.getTime();
  return before === after;
}
