#!/usr/bin/env node
// `npm test`: installs what the tests need, type-checks, lints, then runs every jest test.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from './lib/paths.mjs';
import { run, runAsync, step } from './lib/run.mjs';
import {
  ensureChromium,
  ensureComposeCheck,
  ensureFerretdb,
  ensureNodeModules,
  ensurePostgres,
  ensureTemporal,
  ensureTemporalTestServer,
} from './lib/tools.mjs';

const args = process.argv.slice(2);
try {
  ensureNodeModules();
  ensureFerretdb();
  ensureTemporal();
  process.env.JUNCTION_TEMPORAL_TEST_SERVER = ensureTemporalTestServer();
  process.env.JUNCTION_COMPOSE_CHECK = ensureComposeCheck();
  process.env.CHROMIUM_PATH = ensureChromium();
  process.env.JUNCTION_POSTGRES_BIN_DIR = ensurePostgres();
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
  const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'junction-jest-')), 'report.json');
  const jest = runAsync('npx', ['jest', '--json', '--outputFile', report, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: [
        process.env.NODE_OPTIONS ?? '',
        '--experimental-vm-modules',
        '--disable-warning=ExperimentalWarning',
      ]
        .join(' ')
        .trim(),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
  });
  const failed = await jest.then(
    () => null,
    (error) => error,
  );
  printSummary(report);
  if (failed) throw failed;
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

/** One plain closing line that any CI can read: 'N passed, N failed'. */
function printSummary(report) {
  if (!existsSync(report)) return;
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(
    readFileSync(report, 'utf8'),
  );
  const skipped = numPendingTests ? `, ${numPendingTests} skipped` : '';
  console.log(`\n${numPassedTests} passed, ${numFailedTests} failed${skipped}`);
}
