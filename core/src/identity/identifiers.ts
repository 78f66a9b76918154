import type { TrackingMessage } from '../tracking.js';
import type { IdentifierType, IdentitySettings, Normalizer } from './settings.js';

export interface Identifier {
  type: string;
  value: string;
}

export interface IgnoredIdentifier extends Identifier {
  reason: 'junk_value' | 'invalid_value';
}

export interface MessageIdentifiers {
  /** Distinct, normalised identifiers of the person, in the order they were found. */
  identifiers: Identifier[];
  ignored: IgnoredIdentifier[];
}

const MAX_VALUE_LENGTH = 255;

function normalizeWith(normalizer: Normalizer, raw: string): string | null {
  const value = raw.trim();
  switch (normalizer) {
    case 'none':
      return raw;
    case 'trim':
      return value;
    case 'lowercase':
      return value.toLowerCase();
    case 'email': {
      const email = value.toLowerCase();
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
    }
    case 'phone': {
      const international = value.startsWith('+') || value.startsWith('00');
      const digits = value
        .replace(/^00/, '')
        .replace(/[\s().\-/]/g, '')
        .replace(/^\+/, '');
      if (!/^\d{6,15}$/.test(digits)) return null;
      return international ? `+${digits}` : digits;
    }
  }
}

/**
 * Cleans one identifier value: `null` when it cannot identify anybody (junk such as `unknown`
 * or `0`, or not a valid email or phone for those types), with the reason.
 */
export function normalizeIdentifier(
  type: IdentifierType,
  raw: unknown,
  settings: Pick<IdentitySettings, 'junkValues'>,
): { value: string } | { reason: IgnoredIdentifier['reason'] } {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { reason: 'invalid_value' };
  const text = String(raw);
  if (isJunk(text, settings)) return { reason: 'junk_value' };
  const value = normalizeWith(type.normalize, text);
  if (value === null || value.length > MAX_VALUE_LENGTH) return { reason: 'invalid_value' };
  if (isJunk(value, settings)) return { reason: 'junk_value' };
  return { value };
}

function isJunk(value: string, settings: Pick<IdentitySettings, 'junkValues'>): boolean {
  const folded = value.trim().toLowerCase();
  return settings.junkValues.some((junk) => junk.trim().toLowerCase() === folded);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Raw `[type, value]` pairs a message carries, before cleaning. */
function rawIdentifiers(message: TrackingMessage, types: IdentifierType[]): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  if (message.userId) pairs.push(['user_id', message.userId]);
  if (message.anonymousId) pairs.push(['anonymous_id', message.anonymousId]);
  const traitSources = [record(message.context?.traits)];
  // A group call's traits describe the group, not the person.
  if (message.type === 'identify') traitSources.unshift(message.traits);
  for (const traits of traitSources) {
    if (!traits) continue;
    for (const type of types) {
      for (const key of type.traits) if (key in traits) pairs.push([type.type, traits[key]]);
    }
  }
  const externalIds = message.context?.externalIds;
  if (Array.isArray(externalIds)) {
    for (const entry of externalIds.slice(0, 20)) {
      const external = record(entry);
      if (external && typeof external.type === 'string') pairs.push([external.type, external.id]);
    }
  }
  return pairs;
}

/**
 * The identifiers of the person a message is about, from `userId`, `anonymousId`, identifier
 * traits and Segment's `context.externalIds`. Types the workspace does not define are skipped.
 */
export function messageIdentifiers(
  message: TrackingMessage,
  settings: IdentitySettings,
): MessageIdentifiers {
  const types = new Map(settings.identifierTypes.map((t) => [t.type, t]));
  const identifiers: Identifier[] = [];
  const ignored: IgnoredIdentifier[] = [];
  const seen = new Set<string>();
  for (const [typeName, raw] of rawIdentifiers(message, settings.identifierTypes)) {
    const type = types.get(typeName);
    if (!type) continue;
    const cleaned = normalizeIdentifier(type, raw, settings);
    if ('reason' in cleaned) {
      ignored.push({ type: typeName, value: String(raw).slice(0, MAX_VALUE_LENGTH), ...cleaned });
      continue;
    }
    const key = `${typeName}\0${cleaned.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    identifiers.push({ type: typeName, value: cleaned.value });
  }
  return { identifiers, ignored };
}
