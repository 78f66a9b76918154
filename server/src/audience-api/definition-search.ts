import type { SegmentDefinition, TagDefinition } from '@junction/core';

/** Whether a definition's key, name or description contains the search text, any case. */
export function matchesSearch(
  definition: TagDefinition | SegmentDefinition,
  text: string | undefined,
): boolean {
  if (!text) return true;
  const needle = text.toLowerCase();
  return [definition.key, definition.name, definition.description].some((field) =>
    field.toLowerCase().includes(needle),
  );
}
