// Creates a workspace with a write key and an API key, and prints them once (they are stored
// hashed). Usage: tsx server/src/cli/create-workspace.ts --name "Acme" [--json]
import { parseArgs } from 'node:util';

import { MongoClient } from 'mongodb';

import { collections } from '@junction/core/store';

import { loadConfig } from '../config.js';
import { createWorkspace } from '../workspaces/credentials.js';

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'My workspace' },
    json: { type: 'boolean', default: false },
  },
});

const config = loadConfig();
const mongo = await MongoClient.connect(config.MONGODB_URL, { serverSelectionTimeoutMS: 10_000 });
try {
  const created = await createWorkspace(collections(mongo.db(config.MONGODB_DB)), values.name);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(created)}\n`);
  } else {
    process.stdout.write(
      `workspace  ${created.workspaceId}\nwrite key  ${created.writeKey}   (tracking API, HTTP Basic username)\n` +
        `API key    ${created.apiKey}   (management API and studio, Bearer token)\n` +
        'Keys are stored hashed and cannot be shown again.\n',
    );
  }
} finally {
  await mongo.close();
}
