import { ConnectorDefinition, isSelectQuery, pageQuery } from './postgres-source.js';
import { redactPassword, redactUrl } from './redact-url.js';
import { connectorMessageId, connectorRowToMessage } from './row-message.js';

const definition = {
  name: 'Orders',
  source: {
    type: 'postgres',
    url: 'postgres://shop:s3cret@db.internal:5432/shop',
    query: 'SELECT id, email, total FROM orders;',
    cursorColumn: 'id',
  },
  mapping: {
    kind: 'events',
    event: 'Order Completed',
    columns: [
      { column: 'email', to: 'userId', clean: ['email'] },
      { column: 'total', to: 'property', clean: ['number'] },
    ],
  },
  schedule: { type: 'interval', every: { amount: 5, unit: 'minutes' } },
};

function issueCodes(input: unknown): { code: unknown; path: PropertyKey[] }[] {
  const result = ConnectorDefinition.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    code: 'params' in issue ? (issue.params as { code?: unknown }).code : issue.code,
    path: issue.path,
  }));
}

describe('ConnectorDefinition', () => {
  it('accepts a SELECT with a cursor column, a mapping and an interval, filling the page size', () => {
    const parsed = ConnectorDefinition.parse(definition);
    expect(parsed.source.pageSize).toBe(1_000);
    expect(parsed.source.query).toBe('SELECT id, email, total FROM orders');
  });

  it('refuses a statement that is not a SELECT, with a stable code at the query', () => {
    const input = { ...definition, source: { ...definition.source, query: 'DELETE FROM orders' } };
    expect(issueCodes(input)).toEqual([{ code: 'not_a_select', path: ['source', 'query'] }]);
  });

  it('refuses a cursor column that is not a plain column name', () => {
    const source = { ...definition.source, cursorColumn: 'id; DROP TABLE orders' };
    expect(issueCodes({ ...definition, source })).toEqual([
      { code: 'invalid_cursor_column', path: ['source', 'cursorColumn'] },
    ]);
  });

  it('refuses a URL that is not a PostgreSQL one and an interval under a minute', () => {
    const input = {
      ...definition,
      source: { ...definition.source, url: 'mysql://db/shop' },
      schedule: { type: 'interval', every: { amount: 30, unit: 'seconds' } },
    };
    expect(issueCodes(input)).toEqual([
      { code: 'invalid_connection_url', path: ['source', 'url'] },
      { code: 'interval_too_short', path: ['schedule', 'every'] },
    ]);
  });

  it('accepts a cron schedule and refuses one without five fields', () => {
    const cron = (expression: string) => ({
      ...definition,
      schedule: { type: 'cron', expression },
    });
    expect(issueCodes(cron('*/15 * * * *'))).toEqual([]);
    expect(issueCodes(cron('every day'))).toEqual([
      { code: 'invalid_cron', path: ['schedule', 'expression'] },
    ]);
  });
});

describe('isSelectQuery', () => {
  it('looks past comments and accepts WITH, VALUES and TABLE', () => {
    expect(isSelectQuery('-- new orders\n/* v2 */ select 1')).toBe(true);
    expect(isSelectQuery('WITH recent AS (SELECT 1) SELECT * FROM recent')).toBe(true);
    expect(isSelectQuery('TABLE orders')).toBe(true);
    expect(isSelectQuery('UPDATE orders SET total = 0')).toBe(false);
    expect(isSelectQuery('selectivity')).toBe(false);
  });
});

describe('pageQuery', () => {
  it('wraps the query as a subquery and compares the quoted cursor with a parameter', () => {
    const sql = pageQuery({ query: 'SELECT * FROM orders -- all', cursorColumn: 'id' }, 'after');
    expect(sql).toContain('FROM (SELECT * FROM orders -- all\n) AS src WHERE src."id" > $1');
    expect(sql).toContain('ORDER BY src."id" LIMIT $2');
  });
});

describe('redactUrl', () => {
  it('masks the password in the URL and wherever it appears in a message', () => {
    const url = 'postgres://shop:p%40ss@db:5432/shop';
    expect(redactUrl(url)).toBe('postgres://shop:***@db:5432/shop');
    expect(redactPassword('login p@ss failed (p%40ss)', url)).toBe('login *** failed (***)');
  });
});

describe('connectorRowToMessage', () => {
  const mapping = ConnectorDefinition.parse(definition).mapping;

  it('derives the same messageId for the same row and cursor, and another for another row', () => {
    const row = { email: 'Ada@Example.com', total: '42.50' };
    const source = { connectorId: 'con_1', cursorText: '7' };
    const first = connectorRowToMessage(row, mapping, 1, source);
    const again = connectorRowToMessage(row, mapping, 9, source);
    expect(first).toEqual({
      ok: true,
      message: expect.objectContaining({
        type: 'track',
        userId: 'ada@example.com',
        properties: { total: 42.5 },
        messageId: connectorMessageId('con_1', '7', row),
      }),
    });
    expect(again).toEqual(first);
    const other = connectorRowToMessage({ ...row, total: '1' }, mapping, 1, source);
    expect(other.ok && first.ok && other.message.messageId).not.toBe(
      first.ok && first.message.messageId,
    );
  });
});
