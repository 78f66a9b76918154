#!/usr/bin/env node
// `npm test`: installs what the tests need, type-checks, lints, then runs every jest test.
import path from 'node:path';

import { ROOT } from './lib/paths.mjs';
import { run, runAsync, step } from './lib/run.mjs';
import {
  ensureChromium,
  ensureComposeCheck,
  ensureFerretdb,
  ensureNodeModules,
  ensureTemporal,
} from './lib/tools.mjs';

const args = process.argv.slice(2);
try {
  ensureNodeModules();
  ensureFerretdb();
  ensureTemporal();
  process.env.JUNCTION_COMPOSE_CHECK = ensureComposeCheck();
  process.env.CHROMIUM_PATH = ensureChromium();
  step('building the studio');
  run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: path.join(ROOT, 'studio') });
  if (args.length === 0) {
    step('type-checking');
    run('npx', ['tsc', '-p', 'tsconfig.json']);
    run('npx', ['tsc', '-p', 'studio/tsconfig.json']);
    step('linting');
    run('npx', ['eslint', '--max-warnings', '0', '.']);
  }
  step('running tests');
  await runAsync('npx', ['jest', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
  });
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}
