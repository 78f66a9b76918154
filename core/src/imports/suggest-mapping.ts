import { isEmpty, parseDate } from './clean.js';
import {
  ImportMapping,
  type CleanRule,
  type ColumnMapping,
  type ImportKind,
  type ImportMappingInput,
} from './mapping.js';

type Suggestion = Omit<ColumnMapping, 'column' | 'required'>;

/** Column names compared without case, spaces or punctuation: `User ID` is `userid`. */
function folded(column: string): string {
  return column.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `First Name` and `firstName` become the trait key `first_name`. */
export function snakeCase(column: string): string {
  const snake = column
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return snake || column;
}

const NAMES: Record<string, string[]> = {
  userId: ['userid', 'uid', 'customerid', 'externalid'],
  anonymousId: ['anonymousid', 'anonid', 'visitorid'],
  messageId: ['messageid', 'eventid'],
  timestamp: ['timestamp', 'time', 'ts', 'occurredat', 'eventtime', 'datetime', 'sentat'],
  event: ['event', 'eventname', 'eventtype', 'action'],
  email: ['email', 'emailaddress', 'mail'],
  phone: ['phone', 'mobile', 'phonenumber', 'tel', 'telephone', 'cellphone', 'cell'],
  member_number: ['membernumber', 'memberno', 'memberid'],
  crm_id: ['crmid'],
  openid: ['openid', 'wechatopenid'],
  device_id: ['deviceid', 'idfa', 'gaid'],
};

function known(name: string, key: string): boolean {
  return NAMES[key]!.includes(name);
}

/** Rules a column's sample values suggest: all dates, all numbers or all true/false words. */
function rulesFromSamples(values: unknown[]): CleanRule[] {
  const present = values.filter((value) => !isEmpty(value));
  if (present.length === 0 || present.some((value) => typeof value === 'object')) return ['trim'];
  const texts = present.map((value) => String(value).trim());
  if (texts.every((t) => /^(true|false|yes|no)$/i.test(t))) return ['trim', 'boolean'];
  if (texts.every((t) => /^-?\d+(\.\d+)?$/.test(t)) && texts.every((t) => !/^0\d/.test(t))) {
    return ['trim', 'number'];
  }
  if (texts.every((t) => /^\d{4}[-/]\d{2}[-/]\d{2}/.test(t) && parseDate(t)))
    return ['trim', 'date'];
  return ['trim'];
}

function identifierOrTrait(kind: ImportKind, type: string, clean: CleanRule[]): Suggestion {
  // A profile keeps the value as a trait (identity settings read identifiers from traits);
  // an event names the person through `context.externalIds`.
  return kind === 'profiles'
    ? { to: 'trait', name: type, clean }
    : { to: 'identifier', name: type, clean };
}

function suggestColumn(kind: ImportKind, column: string, samples: unknown[]): Suggestion {
  const name = folded(column);
  if (known(name, 'userId') || (kind === 'profiles' && name === 'id')) {
    return { to: 'userId', clean: ['trim'] };
  }
  if (known(name, 'anonymousId')) return { to: 'anonymousId', clean: ['trim'] };
  if (known(name, 'messageId') || (kind === 'events' && name === 'id')) {
    return { to: 'messageId', clean: ['trim'] };
  }
  if (kind === 'events' && known(name, 'timestamp')) return { to: 'timestamp', clean: ['date'] };
  if (kind === 'events' && known(name, 'event')) return { to: 'event', clean: ['trim'] };
  if (kind === 'events' && name === 'properties') return { to: 'properties', clean: [] };
  if (name === 'traits') return { to: 'traits', clean: [] };
  if (known(name, 'email')) return identifierOrTrait(kind, 'email', ['email']);
  if (known(name, 'phone')) return identifierOrTrait(kind, 'phone', ['phone']);
  for (const type of ['member_number', 'crm_id', 'openid']) {
    if (known(name, type)) return identifierOrTrait(kind, type, ['trim']);
  }
  if (known(name, 'device_id')) return { to: 'identifier', name: 'device_id', clean: ['trim'] };
  const key = snakeCase(column);
  const clean: CleanRule[] = /(birthday|birthdate|dob)$/.test(name)
    ? ['trim', 'day']
    : rulesFromSamples(samples);
  const to = kind === 'profiles' ? 'trait' : 'property';
  return key === column ? { to, clean } : { to, name: key, clean };
}

/**
 * A mapping guessed from column names and, when given, a few sample rows: ids, email and
 * phone columns become identifiers with their cleaning rules, date-like and numeric samples
 * get `date` and `number`, and every other column becomes a trait (profiles) or an event
 * property (events). Events without an event column are named `imported`.
 */
export function suggestMapping(
  kind: ImportKind,
  columns: string[],
  samples: Record<string, unknown>[] = [],
): ImportMapping {
  const input: ImportMappingInput = {
    kind,
    columns: columns.map((column) => ({
      column,
      ...suggestColumn(
        kind,
        column,
        samples.map((row) => row[column]),
      ),
    })),
  };
  const used = new Set<string>();
  for (const column of input.columns) {
    // Only the first column of a single-value target keeps it; later ones become plain fields.
    if (['userId', 'anonymousId', 'messageId', 'timestamp', 'event'].includes(column.to)) {
      if (used.has(column.to))
        Object.assign(column, { to: kind === 'profiles' ? 'trait' : 'property' });
      used.add(column.to);
    }
  }
  if (kind === 'events' && !used.has('event')) input.event = 'imported';
  return ImportMapping.parse(input);
}
