import type { Variant } from './definition.js';

/** What the people held out of an A/B split are assigned. */
export const HOLDOUT = 'holdout';

export interface AssignmentInput {
  profileId: string;
  journeyId: string;
  nodeId: string;
  variants: readonly Pick<Variant, 'id' | 'weight'>[];
  holdoutPercent: number;
}

/** FNV-1a over UTF-16 code units, finished with murmur3's mixer so near keys spread out. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A point in [0, 1) drawn from the key alone. */
function unitPoint(key: string): number {
  return hash32(key) / 0x1_0000_0000;
}

/**
 * The variant id a person gets at a split, or `HOLDOUT`. Pure: the same person, journey and node
 * always get the same answer, on any machine and in any replay. The holdout draw and the variant
 * draw use separate keys, so changing the holdout size does not reshuffle the variants.
 */
export function assignVariant(input: AssignmentInput): string {
  const key = `${input.journeyId}:${input.nodeId}:${input.profileId}`;
  if (unitPoint(`${key}:holdout`) * 100 < input.holdoutPercent) return HOLDOUT;
  const total = input.variants.reduce((sum, variant) => sum + variant.weight, 0);
  const point = unitPoint(`${key}:variant`) * total;
  let reached = 0;
  for (const variant of input.variants) {
    reached += variant.weight;
    if (point < reached) return variant.id;
  }
  const last = input.variants.at(-1);
  if (!last) throw new Error(`split ${input.nodeId} has no variants`);
  return last.id;
}
