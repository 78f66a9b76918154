import { journeyCollections } from '@junction/core/store';

import { testWorkspace, type TestWorkspace } from '../server/src/audience-api/test-workspace.js';
import { createJourney, publishJourney } from '../server/src/journeys/test-journeys.js';
import {
  eventually,
  startStack,
  startWorker,
  type TestStack,
  type WorkerProcess,
} from './harness.js';
import {
  chaosJourney,
  createWebhookSetup,
  mapWithLimit,
  SEND_NODES,
  startDeliverySink,
  tallySink,
} from './journey-chaos-fixtures.js';

const PEOPLE = 500;
const SENDS = PEOPLE * SEND_NODES.length;
const DELAY_SECONDS = 3;
// Sends stuck on a killed worker come back only after their 1-minute start-to-close timeout.
const RECOVERY_MS = 8 * 60_000;

const people = Array.from({ length: PEOPLE }, (_, index) => ({
  userId: `chaos-${String(index).padStart(3, '0')}`,
  traits: { first_name: `Person${index}` },
}));

describe('journey runs while the worker process is killed', () => {
  let stack: TestStack;
  let api: TestWorkspace;
  let sink: Awaited<ReturnType<typeof startDeliverySink>>;
  let worker: WorkerProcess | undefined;
  let entryFailure: Error | undefined;

  beforeAll(async () => {
    stack = await startStack();
    api = await testWorkspace(stack);
    sink = await startDeliverySink();
  });
  afterAll(async () => {
    await worker?.stop();
    await sink?.close();
    await stack?.close();
  });

  /** Kills the worker once `sends` distinct keys reached the sink, and starts a new one. */
  async function crashAfter(sends: number): Promise<void> {
    await eventually(
      () => {
        // A refused entry ends the wait: those sends would never come.
        if (entryFailure) throw entryFailure;
        return Promise.resolve(sink.distinctKeys() >= sends);
      },
      RECOVERY_MS,
      `${sends} sends at the sink`,
    );
    await worker!.crash();
    console.log(`worker killed at ${sink.distinctKeys()} distinct sends`);
    worker = await startWorker(stack.dbName);
  }

  async function unfinishedRuns(journeyId: string, runIds: string[]): Promise<string[]> {
    const finished = await journeyCollections(stack.db)
      .journeyRuns.find(
        { journeyId, status: 'finished', exitReason: 'exit_node' },
        { projection: { _id: 1 } },
      )
      .toArray();
    const done = new Set(finished.map((run) => run._id));
    return runIds.filter((runId) => !done.has(runId));
  }

  /** Enters everyone through the API, ten at a time; a refusal also stops `crashAfter`. */
  function enterEveryone(journeyId: string) {
    const entering = mapWithLimit(people, 10, async ({ userId }) => {
      const body = { identifier: { type: 'user_id', value: userId }, entryKey: `chaos-${userId}` };
      const answer = await api.post(`/v1/journeys/${journeyId}/entries`, body);
      if (answer.status !== 201) throw new Error(`entry of ${userId} refused: ${answer.text}`);
      return answer.body as { runId: string; profileId: string };
    });
    entering.catch((error: unknown) => {
      entryFailure = error instanceof Error ? error : new Error(String(error));
    });
    return entering;
  }

  async function expectEveryRunFinished(journeyId: string, runIds: string[]): Promise<void> {
    expect(new Set(runIds).size).toBe(PEOPLE);
    // A timeout here is reported below with the run ids that never finished.
    await eventually(
      async () => (await unfinishedRuns(journeyId, runIds)).length === 0,
      RECOVERY_MS,
      'every run to finish',
    ).catch(() => undefined);
    expect(await unfinishedRuns(journeyId, runIds)).toEqual([]);
    const statuses = await mapWithLimit(runIds, 20, async (runId) => {
      const description = await stack.temporal.workflow.getHandle(runId).describe();
      return { runId, status: description.status.name };
    });
    expect(statuses.filter((run) => run.status !== 'COMPLETED')).toEqual([]);
  }

  /** Lost and doubled sends are listed by `profile:node` and key, so a failure names them. */
  function expectEachSendDeliveredOnce(profileIds: string[]): void {
    const tally = tallySink(sink.received);
    const retried = [...tally.byKey].filter(([, delivery]) => delivery.requests > 1);
    console.log(
      `sink: ${tally.raw} requests, ${tally.byKey.size} distinct keys, ` +
        `${retried.length} keys sent more than once (deduped on the key)`,
    );
    expect(tally.malformed).toEqual([]);
    const expectedPairs = profileIds.flatMap((id) => SEND_NODES.map((node) => `${id}:${node}`));
    expect(expectedPairs.filter((pair) => !tally.byPair.has(pair))).toEqual([]);
    const doubled = [...tally.byPair]
      .filter(([, keys]) => keys.size > 1)
      .map(([pair, keys]) => ({ pair, keys: [...keys] }));
    expect(doubled).toEqual([]);
    const confused = [...tally.byKey]
      .filter(([, delivery]) => delivery.pairs.size !== 1 || delivery.bodies.size !== 1)
      .map(([key]) => key);
    expect(confused).toEqual([]);
    expect(tally.byKey.size).toBe(SENDS);
    expect(tally.byPair.size).toBe(SENDS);
    const bodies = [...tally.byKey.values()].flatMap((delivery) => [...delivery.bodies]);
    const expectedBodies = people.flatMap((person) =>
      SEND_NODES.map((node) => `Hello ${person.traits.first_name} at ${node}`),
    );
    expect(new Set(bodies)).toEqual(new Set(expectedBodies));
  }

  it(
    'finishes 500 runs through two SIGKILLs with every send delivered once',
    async () => {
      await api.identify(people);
      const { channel, template } = await createWebhookSetup(api, sink.url);
      const journeyId = await createJourney(api, chaosJourney(channel, template, DELAY_SECONDS));
      await publishJourney(api, journeyId, { notes: 'chaos' });
      worker = await startWorker(stack.dbName);

      const entering = enterEveryone(journeyId);
      await crashAfter(Math.round(SENDS / 3));
      const entries = await entering;
      await crashAfter(Math.round((2 * SENDS) / 3));

      await expectEveryRunFinished(
        journeyId,
        entries.map((entry) => entry.runId),
      );
      expectEachSendDeliveredOnce(entries.map((entry) => entry.profileId));
      const messages = await stack.store.messages.find({ journeyId }).toArray();
      expect(messages.filter((message) => message.status !== 'sent')).toEqual([]);
      expect(messages).toHaveLength(SENDS);
    },
    20 * 60_000,
  );
});
