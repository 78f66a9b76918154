import type { z } from 'zod';

import { MAX_MESSAGE_BYTES, TrackingMessage } from '../tracking.js';
import { cleanValue } from './clean.js';
import type { ColumnMapping, ImportIssue, ImportMapping } from './mapping.js';
import { canonicalJson, messageIdOfJson } from './message-id.js';

export type RowResult =
  { ok: true; message: TrackingMessage } | { ok: false; issues: ImportIssue[] };

type Path = (string | number)[];

/** A message under construction, with the column each field came from for error reports. */
interface Draft {
  fields: Record<string, unknown>;
  traits: Record<string, unknown>;
  properties: Record<string, unknown>;
  externalIds: { type: string; id: unknown }[];
  sources: Map<string, string>;
}

const PLACEHOLDER_USER_ID = 'import-placeholder';
const encoder = new TextEncoder();

function pathKey(path: Path): string {
  return path.join('\u0000');
}

function spreadObject(value: unknown): Record<string, unknown> | undefined {
  // A CSV cell may hold a JSON object; an NDJSON field already is one.
  const parsed =
    typeof value === 'string' && value.trimStart().startsWith('{') ? tryJson(value) : value;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Puts one cleaned value where its column says; returns an issue code when it cannot. */
function place(
  draft: Draft,
  column: ColumnMapping,
  value: unknown,
  kind: string,
): string | undefined {
  const key = column.name ?? column.column;
  // Traits of an events row travel in `context.traits` (see buildMessage).
  const traitsPath = kind === 'events' ? ['context', 'traits'] : ['traits'];
  switch (column.to) {
    case 'trait':
    case 'property': {
      const isTrait = column.to === 'trait';
      (isTrait ? draft.traits : draft.properties)[key] = value;
      draft.sources.set(pathKey([...(isTrait ? traitsPath : ['properties']), key]), column.column);
      return undefined;
    }
    case 'traits':
    case 'properties': {
      const object = spreadObject(value);
      if (!object) return 'invalid_object';
      const isTrait = column.to === 'traits';
      for (const [name, item] of Object.entries(object)) {
        (isTrait ? draft.traits : draft.properties)[name] = item;
        draft.sources.set(
          pathKey([...(isTrait ? traitsPath : ['properties']), name]),
          column.column,
        );
      }
      return undefined;
    }
    case 'identifier':
      draft.sources.set(
        pathKey(['context', 'externalIds', draft.externalIds.length]),
        column.column,
      );
      draft.externalIds.push({ type: key, id: typeof value === 'number' ? String(value) : value });
      return undefined;
    case 'ignore':
      return undefined;
    default:
      draft.fields[column.to] =
        column.to === 'messageId' && typeof value === 'number' ? String(value) : value;
      draft.sources.set(column.to, column.column);
      return undefined;
  }
}

function fillDraft(row: Record<string, unknown>, mapping: ImportMapping, rowNumber: number) {
  const draft: Draft = {
    fields: {},
    traits: {},
    properties: {},
    externalIds: [],
    sources: new Map(),
  };
  const issues: ImportIssue[] = [];
  const options = { phoneCountryCode: mapping.phoneCountryCode };
  for (const column of mapping.columns) {
    if (column.to === 'ignore') continue;
    // A timestamp is always written as ISO 8601, whatever the column's own rules.
    const rules =
      column.to === 'timestamp' && !column.clean.includes('date')
        ? [...column.clean, 'date' as const]
        : column.clean;
    const cleaned = cleanValue(row[column.column], rules, options);
    if (!('value' in cleaned)) {
      issues.push({ row: rowNumber, field: column.column, ...cleaned });
      continue;
    }
    if (cleaned.value === undefined) {
      if (column.required) {
        issues.push({
          row: rowNumber,
          code: 'required',
          field: column.column,
          message: 'the value is empty',
        });
      }
      continue;
    }
    const code = place(draft, column, cleaned.value, mapping.kind);
    if (code)
      issues.push({
        row: rowNumber,
        code,
        field: column.column,
        message: 'expected a JSON object',
      });
  }
  return { draft, issues };
}

function buildMessage(draft: Draft, mapping: ImportMapping): Record<string, unknown> {
  // The messageId is added after hashing, so that it never hashes itself.
  const fields = { ...draft.fields };
  delete fields.messageId;
  const context: Record<string, unknown> = {};
  if (draft.externalIds.length > 0) context.externalIds = draft.externalIds;
  const hasTraits = Object.keys(draft.traits).length > 0;
  const message: Record<string, unknown> = { ...fields };
  if (mapping.kind === 'profiles') {
    message.type = 'identify';
    if (hasTraits) message.traits = draft.traits;
  } else {
    message.type = 'track';
    message.event ??= mapping.event;
    if (Object.keys(draft.properties).length > 0) message.properties = draft.properties;
    // Traits known at the time of an event travel in its context, as Segment's libraries do.
    if (hasTraits) context.traits = draft.traits;
  }
  if (Object.keys(context).length > 0) message.context = context;
  return message;
}

function fieldOf(path: Path, sources: Map<string, string>): string {
  for (let length = path.length; length > 0; length--) {
    const source = sources.get(pathKey(path.slice(0, length)));
    if (source) return source;
  }
  return path.join('.') || 'row';
}

function issuesOf(
  error: z.ZodError,
  rowNumber: number,
  sources: Map<string, string>,
): ImportIssue[] {
  return error.issues.map((issue) => {
    const params = 'params' in issue ? (issue.params as { code?: unknown } | undefined) : undefined;
    const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    return {
      row: rowNumber,
      code: typeof params?.code === 'string' ? params.code : issue.code,
      field: fieldOf(path, sources),
      message: issue.message,
    };
  });
}

/**
 * Turns one source row (a CSV record, an NDJSON object or a database row) into a tracking
 * message: an `identify` for profiles, a `track` for events. `rowNumber` is 1-based and goes
 * into error reports and, under the `row` dedupe, into the derived `messageId`.
 */
export function rowToMessage(
  row: Record<string, unknown>,
  mapping: ImportMapping,
  rowNumber: number,
): RowResult {
  const { draft, issues } = fillDraft(row, mapping, rowNumber);
  if (issues.length > 0) return { ok: false, issues };
  const content = buildMessage(draft, mapping);
  const json = canonicalJson(content);
  if (json.length * 3 > MAX_MESSAGE_BYTES && encoder.encode(json).length > MAX_MESSAGE_BYTES) {
    const message = `the row makes a message over ${MAX_MESSAGE_BYTES} bytes`;
    return {
      ok: false,
      issues: [{ row: rowNumber, code: 'message_too_large', field: 'row', message }],
    };
  }
  const messageId = draft.fields.messageId ?? messageIdOfJson(mapping, rowNumber, json);
  // Rows known only by traits or external ids are fine here: whether those identify anybody
  // depends on the workspace's identifier settings, which the identity resolver applies.
  const anonymousRow = !content.userId && !content.anonymousId;
  const candidate = { ...content, messageId, ...(anonymousRow && { userId: PLACEHOLDER_USER_ID }) };
  const parsed = TrackingMessage.safeParse(candidate);
  if (!parsed.success)
    return { ok: false, issues: issuesOf(parsed.error, rowNumber, draft.sources) };
  if (anonymousRow) delete parsed.data.userId;
  return { ok: true, message: parsed.data };
}
