import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const PROFILE_COLUMNS = ['user_id', 'email', 'first_name', 'plan', 'score', 'signed_up'];
const PLANS = ['free', 'pro', 'team', 'enterprise'];

/** The values of profile row `n` (1-based), the same on every call. */
export function profileRow(n: number): string[] {
  const day = String(1 + (n % 28)).padStart(2, '0');
  return [
    `user-${n}`,
    `Person.${n}@Example.com`,
    `Name ${n}`,
    PLANS[n % PLANS.length]!,
    String(n % 1000),
    `2024-03-${day} 10:${String(n % 60).padStart(2, '0')}`,
  ];
}

/** Writes a CSV of `rows` profiles, a chunk at a time, waiting whenever the disk lags. */
export async function writeProfilesCsv(
  file: string,
  rows: number,
  onProgress: (done: number) => void = () => {},
): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let chunk = `${PROFILE_COLUMNS.join(',')}\n`;
  for (let n = 1; n <= rows; n++) {
    chunk += `${profileRow(n).join(',')}\n`;
    if (chunk.length >= 64 * 1024 || n === rows) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
      onProgress(n);
    }
  }
  if (rows === 0) out.write(chunk);
  out.end();
  await once(out, 'finish');
  return bytes;
}
