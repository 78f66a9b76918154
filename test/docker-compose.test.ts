import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from './harness.js';

/** Environment variables the server and worker read (server/src/config.ts, workers/src/main.ts). */
const KNOWN_ENV = [
  'MONGODB_URL',
  'MONGODB_DB',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'PORT',
  'HOST',
  'LOG_LEVEL',
];

describe('docker-compose.yml', () => {
  const composeFile = path.join(ROOT, 'docker-compose.yml');

  it('is a valid Compose file with every service of the production-like stack', () => {
    const checker = process.env.JUNCTION_COMPOSE_CHECK;
    if (!checker)
      throw new Error('JUNCTION_COMPOSE_CHECK is not set: run tests through `npm test`');
    const services = execFileSync(checker, [composeFile], { encoding: 'utf8' }).trim().split('\n');
    expect(services).toEqual([
      'api',
      'mongodb',
      'temporal',
      'temporal-db',
      'temporal-ui',
      'worker',
    ]);
  });

  it('configures Junction only through variables the code reads, with MongoDB as a replica set', () => {
    const text = readFileSync(composeFile, 'utf8');
    const block = /x-junction-env: &junction-env\n((?: {2}.+\n)+)/.exec(text)?.[1] ?? '';
    const names = [...block.matchAll(/^ {2}([A-Z_]+):/gm)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(KNOWN_ENV).toContain(name);
    expect(block).toMatch(/MONGODB_URL: mongodb:\/\/mongodb:27017\/\?replicaSet=rs0/);
    for (const variable of ['MONGODB_URL', 'TEMPORAL_ADDRESS', 'MONGODB_DB']) {
      expect(readFileSync(path.join(ROOT, 'server/src/config.ts'), 'utf8')).toContain(variable);
      expect(readFileSync(path.join(ROOT, 'workers/src/main.ts'), 'utf8')).toContain(variable);
    }
  });
});
