import { cleanValue } from './clean.js';
import { ImportMapping } from './mapping.js';
import { suggestMapping } from './suggest-mapping.js';

function issueCodes(input: unknown): string[] {
  const result = ImportMapping.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) =>
    'params' in issue ? String((issue.params as { code: string }).code) : issue.code,
  );
}

describe('ImportMapping', () => {
  it('refuses an events mapping with neither an event column nor a constant event', () => {
    expect(issueCodes({ kind: 'events', columns: [{ column: 'u', to: 'userId' }] })).toEqual([
      'event_required',
    ]);
  });

  it('refuses two columns for one single-value target and event fields on profiles', () => {
    const codes = issueCodes({
      kind: 'profiles',
      columns: [
        { column: 'a', to: 'userId' },
        { column: 'b', to: 'userId' },
        { column: 'c', to: 'property' },
        { column: 'd', to: 'identifier' },
      ],
    });
    expect(codes).toEqual(['duplicate_target', 'target_not_allowed', 'identifier_type_required']);
  });
});

describe('cleanValue', () => {
  it.each([
    [' A@B.CO ', ['email'], 'a@b.co'],
    ['+1 (415) 555-0100', ['phone'], '+14155550100'],
    ['0044 20 7946 0000', ['phone'], '+442079460000'],
    ['2024-03-01T12:00:00+02:00', ['date'], '2024-03-01T10:00:00.000Z'],
    ['2024/03/01', ['day'], '2024-03-01'],
    ['1700000000000', ['date'], '2023-11-14T22:13:20.000Z'],
    ['Yes', ['boolean'], true],
    ['-3.5e2', ['number'], -350],
    ['  ', ['trim', 'email'], undefined],
  ] as const)('cleans %j with %j to %j', (input, rules, expected) => {
    expect(cleanValue(input, [...rules])).toEqual({ value: expected });
  });

  it('refuses values a rule cannot read, with the rule’s code', () => {
    expect(cleanValue('12', ['phone'])).toMatchObject({ code: 'invalid_phone' });
    expect(cleanValue('31/12/2024', ['date'])).toMatchObject({ code: 'invalid_date' });
    expect(cleanValue('maybe', ['boolean'])).toMatchObject({ code: 'invalid_boolean' });
  });
});

describe('suggestMapping', () => {
  it('suggests identifiers, cleaning rules and snake_case traits for a profiles file', () => {
    const suggested = suggestMapping(
      'profiles',
      ['User ID', 'E-mail', 'Mobile', 'First Name', 'Birthday', 'Score', 'Joined'],
      [{ Score: '12', Joined: '2024-01-02', Birthday: '1990-05-01' }],
    );
    expect(suggested.columns).toEqual([
      { column: 'User ID', to: 'userId', clean: ['trim'], required: false },
      { column: 'E-mail', to: 'trait', name: 'email', clean: ['email'], required: false },
      { column: 'Mobile', to: 'trait', name: 'phone', clean: ['phone'], required: false },
      { column: 'First Name', to: 'trait', name: 'first_name', clean: ['trim'], required: false },
      {
        column: 'Birthday',
        to: 'trait',
        name: 'birthday',
        clean: ['trim', 'day'],
        required: false,
      },
      { column: 'Score', to: 'trait', name: 'score', clean: ['trim', 'number'], required: false },
      { column: 'Joined', to: 'trait', name: 'joined', clean: ['trim', 'date'], required: false },
    ]);
  });

  it('suggests the event, its time and identifiers for an events file', () => {
    const suggested = suggestMapping('events', ['event', 'userId', 'email', 'timestamp', 'total']);
    expect(suggested.columns.map((c) => [c.column, c.to, c.name])).toEqual([
      ['event', 'event', undefined],
      ['userId', 'userId', undefined],
      ['email', 'identifier', 'email'],
      ['timestamp', 'timestamp', undefined],
      ['total', 'property', undefined],
    ]);
    expect(suggestMapping('events', ['userId']).event).toBe('imported');
  });
});
