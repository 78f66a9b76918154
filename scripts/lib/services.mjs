import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Asks the OS for a free TCP port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts a long-running process with its output in `logFile`, waits until `ready()` answers
 * true, and returns a handle whose `stop()` sends SIGTERM, then SIGKILL after `graceMs`.
 */
export async function startService({
  name,
  cmd,
  args,
  env,
  cwd,
  logFile,
  ready,
  timeoutMs = 120_000,
}) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches only the parent, which stops services in order.
    detached: true,
  });
  process.once('exit', () => child.kill('SIGKILL'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (exited) {
      throw new Error(
        `${name} exited (${exited.signal ?? exited.code}) before it was ready. Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${name} was not ready after ${timeoutMs / 1000}s. Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    await sleep(200);
  }

  return {
    name,
    child,
    logFile,
    async stop(graceMs = 10_000) {
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}

export async function startFerretdb({ bin, port, dataDir, logFile }) {
  const handle = await startService({
    name: 'FerretDB',
    cmd: bin,
    args: ['-listen', `127.0.0.1:${port}`, '-data', dataDir, '-log-level', 'warn'],
    logFile,
    ready: () => portOpen(port),
  });
  return { ...handle, url: `mongodb://127.0.0.1:${port}/` };
}

/** Journey search attributes, registered at start so runs can be found by journey and person. */
const SEARCH_ATTRIBUTES = [
  'JunctionWorkspaceId=Keyword',
  'JunctionJourneyId=Keyword',
  'JunctionJourneyVersion=Int',
  'JunctionProfileId=Keyword',
  'JunctionNodeId=Keyword',
];

export async function startTemporal({ bin, port, httpPort, uiPort, dbFile, logFile }) {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--http-port',
    String(httpPort),
    '--db-filename',
    dbFile,
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableServerVersionCheck=false',
    ...SEARCH_ATTRIBUTES.flatMap((attribute) => ['--search-attribute', attribute]),
  ];
  args.push(
    ...(uiPort ? ['--ui-port', String(uiPort), '--ui-disable-news-fetch'] : ['--headless']),
  );
  mkdirSync(path.dirname(dbFile), { recursive: true });
  const handle = await startService({
    name: 'Temporal',
    cmd: bin,
    args,
    logFile,
    ready: async () => {
      const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/namespaces/default`);
      return response.ok;
    },
  });
  return { ...handle, address: `127.0.0.1:${port}` };
}
