#!/usr/bin/env node
// `npm run bench -- NAME [args]`: installs what benches need, then runs bench/NAME.ts.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from './lib/paths.mjs';
import { ensureFerretdb, ensureNodeModules, ensureTemporal } from './lib/tools.mjs';

const BENCH_DIR = path.join(ROOT, 'bench');

function availableBenches() {
  if (!existsSync(BENCH_DIR)) return [];
  return readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

const [name, ...args] = process.argv.slice(2);
const benches = availableBenches();
if (!name || !benches.includes(name)) {
  const list = benches.length > 0 ? benches.join(', ') : '(none)';
  console.error(
    `${name ? `unknown bench "${name}"` : 'name a bench'}: npm run bench -- NAME [args]\n` +
      `available: ${list}`,
  );
  process.exit(2);
}

try {
  ensureNodeModules();
  // A given MONGODB_URL or TEMPORAL_ADDRESS means the bench starts nothing of its own.
  if (!process.env.MONGODB_URL) ensureFerretdb();
  if (!process.env.TEMPORAL_ADDRESS) ensureTemporal();
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(BENCH_DIR, `${name}.ts`), ...args],
  {
    cwd: ROOT,
    stdio: 'inherit',
  },
);
// The bench stops the servers it started; pass a termination on so it gets the chance.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
