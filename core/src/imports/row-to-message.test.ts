import { createHash } from 'node:crypto';

import { ImportMapping, type ImportMappingInput } from './mapping.js';
import { rowToMessage } from './row-to-message.js';
import { sha256Hex } from './sha256.js';

const mapping = (input: ImportMappingInput) => ImportMapping.parse(input);

const profiles = mapping({
  kind: 'profiles',
  columns: [
    { column: 'id', to: 'userId' },
    { column: 'Email', to: 'trait', name: 'email', clean: ['email'] },
    { column: 'Phone', to: 'trait', name: 'phone', clean: ['phone'] },
    { column: 'Member', to: 'identifier', name: 'member_number' },
    { column: 'Signed up', to: 'trait', name: 'signed_up', clean: ['date'] },
    { column: 'Orders', to: 'trait', name: 'orders', clean: ['integer'] },
    { column: 'City', to: 'trait', name: 'city', clean: ['trim', 'uppercase'] },
    { column: 'notes', to: 'ignore' },
  ],
  phoneCountryCode: '44',
});

describe('rowToMessage', () => {
  it('turns a profiles row into an identify with cleaned traits and identifiers', () => {
    const result = rowToMessage(
      {
        id: ' u-1 ',
        Email: ' Ada@Example.COM ',
        Phone: '07700 900123',
        Member: 'M-7',
        'Signed up': '2024-02-29 10:30',
        Orders: '1,204',
        City: ' london',
        notes: 'dropped',
      },
      profiles,
      1,
    );
    expect(result).toEqual({
      ok: true,
      message: {
        type: 'identify',
        messageId: expect.stringMatching(/^imp-[0-9a-f]{40}$/),
        userId: 'u-1',
        traits: {
          email: 'ada@example.com',
          phone: '+447700900123',
          signed_up: '2024-02-29T10:30:00.000Z',
          orders: 1204,
          city: 'LONDON',
        },
        context: { externalIds: [{ type: 'member_number', id: 'M-7' }] },
      },
    });
  });

  it('reports each bad cell with its row, code and column', () => {
    const result = rowToMessage(
      { id: 'u-2', Email: 'not-an-email', 'Signed up': '2024-02-30', Orders: '1.5' },
      profiles,
      7,
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        { row: 7, code: 'invalid_email', field: 'Email', message: expect.any(String) },
        { row: 7, code: 'invalid_date', field: 'Signed up', message: expect.any(String) },
        { row: 7, code: 'invalid_integer', field: 'Orders', message: expect.any(String) },
      ],
    });
  });

  it('skips empty cells and rejects an empty required one', () => {
    const strict = mapping({
      kind: 'profiles',
      columns: [
        { column: 'id', to: 'userId', required: true },
        { column: 'plan', to: 'trait' },
      ],
    });
    const kept = rowToMessage({ id: 'u-3', plan: '  ' }, strict, 2);
    expect(kept.ok && kept.message).toMatchObject({ userId: 'u-3' });
    expect(kept.ok && kept.message.type === 'identify' && kept.message.traits).toBeFalsy();
    expect(rowToMessage({ id: '', plan: 'pro' }, strict, 3)).toEqual({
      ok: false,
      issues: [{ row: 3, code: 'required', field: 'id', message: 'the value is empty' }],
    });
  });

  it('accepts a profile known only by an identifier trait and leaves userId out', () => {
    const byEmail = mapping({
      kind: 'profiles',
      columns: [{ column: 'email', to: 'trait', clean: ['email'] }],
    });
    const result = rowToMessage({ email: 'grace@example.com' }, byEmail, 1);
    expect(result.ok && result.message).toEqual({
      type: 'identify',
      messageId: expect.any(String),
      traits: { email: 'grace@example.com' },
    });
  });

  it('builds a track from an events row, with a constant event name and spread properties', () => {
    const events = mapping({
      kind: 'events',
      event: 'Order Completed',
      columns: [
        { column: 'user', to: 'userId' },
        { column: 'at', to: 'timestamp' },
        { column: 'total', to: 'property', clean: ['number'] },
        { column: 'extra', to: 'properties' },
        { column: 'plan', to: 'trait' },
        { column: 'order', to: 'messageId' },
      ],
    });
    const result = rowToMessage(
      {
        user: 'u-1',
        at: 1700000000,
        total: '42.50',
        extra: { coupon: 'X' },
        plan: 'pro',
        order: 9,
      },
      events,
      4,
    );
    expect(result.ok && result.message).toEqual({
      type: 'track',
      messageId: '9',
      userId: 'u-1',
      event: 'Order Completed',
      timestamp: '2023-11-14T22:13:20.000Z',
      properties: { total: 42.5, coupon: 'X' },
      context: { traits: { plan: 'pro' } },
    });
  });

  it('names the column of a field the message schema refuses', () => {
    const events = mapping({
      kind: 'events',
      columns: [
        { column: 'name', to: 'event' },
        { column: 'user', to: 'userId' },
        { column: 'payload', to: 'properties' },
      ],
    });
    const result = rowToMessage(
      { name: 'x'.repeat(201), user: 'u-1', payload: '{"ok":true}' },
      events,
      5,
    );
    expect(result).toEqual({
      ok: false,
      issues: [{ row: 5, code: 'too_big', field: 'name', message: expect.any(String) }],
    });
    const badObject = rowToMessage({ name: 'Paid', user: 'u-1', payload: '[1]' }, events, 6);
    expect(badObject).toMatchObject({
      ok: false,
      issues: [{ row: 6, code: 'invalid_object', field: 'payload' }],
    });
  });

  it('derives the same messageId for the same row and a new one when the row or mapping changes', () => {
    const id = (row: Record<string, unknown>, rowNumber: number, dedupe: 'row' | 'content') => {
      const result = rowToMessage(row, { ...profiles, dedupe }, rowNumber);
      return result.ok ? result.message.messageId : undefined;
    };
    const row = { id: 'u-1', City: 'Paris' };
    expect(id(row, 1, 'row')).toBe(id({ ...row }, 1, 'row'));
    expect(id(row, 1, 'row')).not.toBe(id(row, 2, 'row'));
    expect(id(row, 1, 'content')).toBe(id(row, 2, 'content'));
    expect(id(row, 1, 'row')).not.toBe(id({ ...row, City: 'Rome' }, 1, 'row'));
  });
});

describe('sha256Hex', () => {
  it('matches node:crypto on short, multi-block and non-ASCII input', () => {
    for (const input of ['', 'abc', 'x'.repeat(55), 'y'.repeat(64), 'é日本'.repeat(100)]) {
      expect(sha256Hex(input)).toBe(createHash('sha256').update(input).digest('hex'));
    }
  });
});
