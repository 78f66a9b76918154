import type { ImportMapping } from '../imports/mapping.js';
import { canonicalJson } from '../imports/message-id.js';
import { rowToMessage, type RowResult } from '../imports/row-to-message.js';
import { sha256Hex } from '../imports/sha256.js';

/** Cursor values longer than this are hashed so that message ids stay within their limit. */
const MAX_CURSOR_IN_ID = 64;

/**
 * A row's `messageId`: the connector, the row's cursor value and a hash of the whole row. The
 * same row always gets the same id, so a page pulled again after a crash stores nothing twice.
 */
export function connectorMessageId(
  connectorId: string,
  cursorText: string,
  row: Record<string, unknown>,
): string {
  const cursor =
    cursorText.length > MAX_CURSOR_IN_ID ? sha256Hex(cursorText).slice(0, 32) : cursorText;
  return `connector:${connectorId}:${cursor}:${sha256Hex(canonicalJson(row)).slice(0, 24)}`;
}

/**
 * One database row as a tracking message, through the same mapping as file imports. A mapped
 * `messageId` column wins; otherwise the id is derived from the row (`connectorMessageId`).
 */
export function connectorRowToMessage(
  row: Record<string, unknown>,
  mapping: ImportMapping,
  rowNumber: number,
  source: { connectorId: string; cursorText: string },
): RowResult {
  const result = rowToMessage(row, mapping, rowNumber);
  if (!result.ok || mapping.columns.some((column) => column.to === 'messageId')) return result;
  const messageId = connectorMessageId(source.connectorId, source.cursorText, row);
  return { ok: true, message: { ...result.message, messageId } };
}
