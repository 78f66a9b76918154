import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

import { ROOT, startStack, type TestStack } from '../../../test/harness.js';

const run = promisify(execFile);

describe('import CLI', () => {
  let stack: TestStack;
  let server: Server;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    stack = await startStack();
    server = stack.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(os.tmpdir(), 'junction-import-cli-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    run(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'server/src/cli/import.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', JUNCTION_URL: url },
        timeout: 60_000,
      },
    );

  it('streams a file, shows progress and prints the summary with the first errors', async () => {
    const file = path.join(dir, 'people.csv');
    const rows = ['email,name'];
    for (let n = 1; n <= 300; n++) rows.push(`person-${n}@example.com,Person ${n}`);
    rows.push('broken-address,Nobody');
    writeFileSync(file, `${rows.join('\n')}\n`);

    const first = await cli(file, '--kind', 'profiles', '--api-key', stack.workspace.apiKey);
    expect(first.stderr).toMatch(/100\.0 %.*lines\/s/);
    expect(first.stdout).toMatch(/^import imp_\S+ completed in/);
    expect(first.stdout).toContain('stored      300');
    expect(first.stdout).toContain('rejected    1');
    expect(first.stdout).toMatch(/row 301 {2}email {2}invalid_email/);

    const again = await cli(file, '--kind', 'profiles', '--api-key', stack.workspace.apiKey);
    expect(again.stdout).toContain('stored      0');
    expect(again.stdout).toContain('duplicates  300');
  });

  it('sends a gzipped NDJSON file as is, with a mapping file', async () => {
    const file = path.join(dir, 'events.ndjson.gz');
    writeFileSync(
      file,
      gzipSync('{"who":"cli-1","what":"Signed Up"}\n{"who":"cli-2","what":"Signed Up"}\n'),
    );
    const mapping = path.join(dir, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: [
          { column: 'who', to: 'userId' },
          { column: 'what', to: 'event' },
        ],
      }),
    );
    const { stdout } = await cli(
      file,
      '--kind',
      'events',
      '--mapping',
      mapping,
      '--api-key',
      stack.workspace.apiKey,
      '--json',
    );
    const result = JSON.parse(stdout);
    expect(result.import).toMatchObject({ status: 'completed', format: 'ndjson' });
    expect(result.import.counts).toMatchObject({ rows: 2, stored: 2 });
  });

  it('exits with 2 and says what is missing when the kind is not given', async () => {
    const file = path.join(dir, 'x.csv');
    writeFileSync(file, 'userId\nx\n');
    const failure = await cli(file, '--api-key', 'jk_x').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('--kind') });
  });
});
