import { invalidInput } from '../http/errors.js';

/** Parses a `PUT /:key` body: the key comes from the path; one in the body must match it. */
export function bodyWithKey(body: unknown, key: string): Record<string, unknown> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (fields.key !== undefined && fields.key !== key) {
    const message = 'the key in the body differs from the key in the path';
    throw invalidInput([{ code: 'key_mismatch', path: ['key'], message }]);
  }
  return { ...fields, key };
}
