const MASK = '***';

/** The connection URL with its password replaced, for answers and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = MASK;
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, `//$1:${MASK}@`);
  }
}

/** `text` with every occurrence of the URL's password (raw or URL-encoded) masked. */
export function redactPassword(text: string, url: string): string {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    password = /\/\/[^:/@]*:([^@/]*)@/.exec(url)?.[1] ?? '';
  }
  if (!password) return text;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A malformed escape: the raw form is all there is to mask.
  }
  return [password, decoded].reduce((out, secret) => out.split(secret).join(MASK), text);
}
