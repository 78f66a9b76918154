import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

import { startService } from './services.mjs';

/** Debian keeps each major version's server binaries apart; the newest installed one wins. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

/** The directory holding `initdb`, `postgres` and `pg_isready`, or null when none is installed. */
export function findPostgresBinDir() {
  const hasServer = (dir) =>
    ['initdb', 'postgres', 'pg_isready'].every((name) => existsSync(path.join(dir, name)));
  if (existsSync(DEBIAN_POSTGRES_ROOT)) {
    const majors = readdirSync(DEBIAN_POSTGRES_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const dir = path.join(DEBIAN_POSTGRES_ROOT, major, 'bin');
      if (hasServer(dir)) return dir;
    }
  }
  const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = config.status === 0 ? config.stdout.trim() : '';
  return dir && hasServer(dir) ? dir : null;
}

/** PostgreSQL refuses to run as root, so as root its programs run as Debian's `postgres` user. */
function serverUser() {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      "PostgreSQL cannot run as root and there is no `postgres` user: install Debian's `postgresql` package, which creates it.",
    );
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** The command line that runs `bin` as the server user (or as ourselves when not root). */
function asServerUser(user, bin, args) {
  if (!user) return { cmd: bin, args };
  return {
    cmd: 'setpriv',
    args: ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', bin, ...args],
  };
}

function runChecked(command, options) {
  const result = spawnSync(command.cmd, command.args, { encoding: 'utf8', ...options });
  if (result.error) throw new Error(`${command.cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command.cmd} ${command.args.join(' ')} failed:\n${result.stderr}`);
  }
}

/**
 * Creates the cluster once: `dataDir/cluster` from initdb, `dataDir/password` for the `junction`
 * superuser, and `dataDir/initialized` written last, so a half-made cluster is made again.
 */
function initCluster({ binDir, dataDir, user }) {
  const cluster = path.join(dataDir, 'cluster');
  const passwordFile = path.join(dataDir, 'password');
  const marker = path.join(dataDir, 'initialized');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  if (existsSync(marker)) return readFileSync(passwordFile, 'utf8').trim();

  if (user) {
    const check = asServerUser(user, 'test', ['-w', dataDir]);
    const reach = spawnSync(check.cmd, check.args);
    if (reach.status !== 0) {
      throw new Error(
        `PostgreSQL runs as the postgres user, who cannot reach ${dataDir}: choose a data directory whose parent directories others may enter.`,
      );
    }
  }
  rmSync(cluster, { recursive: true, force: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(passwordFile, user.uid, user.gid);
  const initdb = asServerUser(user, path.join(binDir, 'initdb'), [
    '--pgdata',
    cluster,
    '--username',
    'junction',
    '--pwfile',
    passwordFile,
    '--auth',
    'scram-sha-256',
    '--encoding',
    'UTF8',
    '--locale',
    'C',
    '--no-sync',
  ]);
  runChecked(initdb, { cwd: dataDir });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return password;
}

function accepting(binDir, port) {
  return new Promise((resolve) => {
    const probe = spawn(
      path.join(binDir, 'pg_isready'),
      ['--host', '127.0.0.1', '--port', String(port), '--timeout', '2', '--quiet'],
      { stdio: 'ignore' },
    );
    probe.on('error', () => resolve(false));
    probe.on('exit', (code) => resolve(code === 0));
  });
}

/**
 * Starts a PostgreSQL server on 127.0.0.1:`port` with its cluster in `dataDir` (made on first
 * use), password authentication and no Unix socket, and waits until it accepts connections.
 * `settings` become `-c name=value` server options (tests turn durability off).
 */
export async function startPostgres({
  dataDir,
  port,
  logFile = path.join(dataDir, 'postgres.log'),
  binDir = findPostgresBinDir(),
  settings = {},
}) {
  if (!binDir) {
    throw new Error(
      "PostgreSQL is not installed: install Debian's `postgresql` package (npm test does so when it may).",
    );
  }
  const user = serverUser();
  const password = initCluster({ binDir, dataDir, user });
  const options = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    // No socket file: connections come over TCP with a password only.
    unix_socket_directories: '',
    ...settings,
  };
  const server = asServerUser(user, path.join(binDir, 'postgres'), [
    '-D',
    path.join(dataDir, 'cluster'),
    ...Object.entries(options).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ]);
  const handle = await startService({
    name: 'PostgreSQL',
    ...server,
    cwd: dataDir,
    logFile,
    ready: () => accepting(binDir, port),
  });
  return {
    ...handle,
    url: `postgres://junction:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    /** SIGINT is PostgreSQL's fast shutdown: it ends open sessions instead of waiting for them. */
    async stop(graceMs) {
      handle.child.kill('SIGINT');
      await handle.stop(graceMs);
    },
  };
}
