const STORAGE_KEY = 'junction.apiKey';
const KEY_PREFIX = 'jk_';

export function isApiKey(value: string): boolean {
  return value.startsWith(KEY_PREFIX) && value.length > KEY_PREFIX.length && !/\s/.test(value);
}

export function loadApiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveApiKey(apiKey: string): void {
  sessionStorage.setItem(STORAGE_KEY, apiKey);
}

export function clearApiKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

export type FragmentKeyResult =
  { kind: 'none' } | { kind: 'accepted'; apiKey: string } | { kind: 'rejected' };

/**
 * Moves an `#apiKey=…` fragment into sessionStorage and strips it from the address bar so the
 * key does not linger in history or get copied along with the URL.
 */
export function takeApiKeyFromFragment(): FragmentKeyResult {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const apiKey = params.get('apiKey');
  if (apiKey === null) return { kind: 'none' };
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
  const trimmed = apiKey.trim();
  if (!isApiKey(trimmed)) return { kind: 'rejected' };
  saveApiKey(trimmed);
  return { kind: 'accepted', apiKey: trimmed };
}
