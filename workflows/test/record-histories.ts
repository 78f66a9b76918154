/**
 * Records the history of every replay scenario that has none yet into `histories/<name>.json`,
 * for `journey-replay.test.ts`. Existing histories are never overwritten: they are what old runs
 * look like, and the workflow code must keep replaying them. Run from the repository root:
 *
 *   JUNCTION_TEMPORAL_TEST_SERVER=.tools/temporal-test-server-1.38.0/bin/temporal-test-server \
 *     node --import tsx workflows/test/record-histories.ts [scenario ...]
 *
 * (`npm test` installs that server and sets the variable; without it the tools cache is tried.)
 * Names limit the run to those scenarios.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { FakeJourneyActivities } from './fake-activities.js';
import { startJourneyHarness, type JourneyHarness } from './journey-harness.js';
import {
  HISTORIES_DIR,
  REPLAY_SCENARIOS,
  historyPath,
  type ReplayScenario,
} from './replay-scenarios.js';

async function record(harness: JourneyHarness, scenario: ReplayScenario): Promise<string> {
  const { versions } = scenario;
  const fake = new FakeJourneyActivities({
    versions:
      typeof versions === 'function' ? versions(await harness.env.currentTimeMs()) : versions,
    splits: scenario.splits,
    timeZone: scenario.timeZone,
    sends: await scenario.sends?.(harness.env),
  });
  const history = await harness.record(fake, {
    // The person names the workflow id; fixed per scenario so a recording is reproducible.
    input: scenario.input ?? { profileId: scenario.name },
    during: scenario.during && ((handle) => scenario.during!(handle, { env: harness.env, fake })),
  });
  const last = fake.last();
  const { exitNodeId, exitReason } = scenario.ends;
  if (last?.nodeId !== exitNodeId || last.exitReason !== exitReason) {
    throw new Error(
      `scenario ${scenario.name} ended at ${last?.nodeId} (${last?.exitReason}), ` +
        `not at ${exitNodeId} (${exitReason}): its history was not written`,
    );
  }
  return history;
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !REPLAY_SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`no such scenario: ${unknown.join(', ')}`);
  const pending = REPLAY_SCENARIOS.filter(
    (scenario) =>
      (names.length === 0 || names.includes(scenario.name)) &&
      !existsSync(historyPath(scenario.name)),
  );
  if (pending.length === 0) {
    console.log('every scenario has a history; delete one on purpose to record it again');
    return;
  }
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const harness = await startJourneyHarness();
  try {
    for (const scenario of pending) {
      writeFileSync(historyPath(scenario.name), await record(harness, scenario));
      console.log(`recorded ${path.relative(process.cwd(), historyPath(scenario.name))}`);
    }
  } finally {
    await harness.close();
  }
}

await main(process.argv.slice(2));
