import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await Promise.all((globalThis.__junctionServices ?? []).map((service) => service.stop()));
  if (process.env.JUNCTION_TEST_DIR && !process.env.JUNCTION_KEEP_TEST_DATA) {
    rmSync(process.env.JUNCTION_TEST_DIR, { recursive: true, force: true });
  }
}
