// Real journey activity dependencies for the activity tests: FerretDB, the audience runtime,
// the channel adapters and an HTTP receiver, with a clock each test sets.
import { collections, journeyCollections } from '@junction/core/store';
import type { FrequencyCap } from '@junction/core/store';
import { createAudience } from '@junction/server/audience';
import { createJourneys } from '@junction/server/journeys';
import type { JourneyActivities, MessageSend } from '@junction/workflows/activities';

import {
  startStack,
  startWebhookReceiver,
  type ReceivedRequest,
  type TestStack,
} from '../../../test/harness.js';
import { testWorkspace } from '../../../server/src/audience-api/test-workspace.js';
import { defaultChannelAdapters } from '../channels/index.js';
import { createLogger } from '../logger.js';
import { createJourneyActivities } from './journey-activities.js';
import type { JourneyActivityDeps } from './journey-deps.js';

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
type Respond = (request: ReceivedRequest) => number;

/** What the tests of one `describe` share; read it inside tests, once `beforeAll` has set it. */
export interface ActivityTestContext {
  stack: TestStack;
  deps: JourneyActivityDeps;
  activities: JourneyActivities;
  /** The instant `deps.now` answers; tests move it. */
  clock: { now: Date };
  receiver: WebhookReceiver;
  /** The receiver's answer; 200 unless a test swaps it (and puts it back). */
  respond: Respond;
}

/** The requests the receiver got for one idempotency key. */
export function deliveries(context: ActivityTestContext, key: string): ReceivedRequest[] {
  return context.receiver.received.filter((request) => request.headers['idempotency-key'] === key);
}

/** Starts the stack, the receiver and the activities before the tests and closes them after. */
export function useJourneyActivities(): ActivityTestContext {
  const respond: Respond = () => 200;
  // Filled by `beforeAll`; tests read it only once that has run.
  const context = {
    clock: { now: new Date('2026-03-10T12:00:00Z') },
    respond,
  } as Partial<ActivityTestContext> as ActivityTestContext;
  beforeAll(async () => {
    context.stack = await startStack();
    context.receiver = await startWebhookReceiver((request) => context.respond(request));
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    const { db, temporal } = context.stack;
    context.deps = {
      db: collections(db),
      journeys: journeyCollections(db),
      audience: createAudience({ db, temporal, log }),
      entries: createJourneys({ db, temporal, log }).entries,
      channels: defaultChannelAdapters({ timeoutMs: 5_000 }),
      log,
      now: () => context.clock.now,
    };
    context.activities = createJourneyActivities(context.deps);
  });
  afterAll(async () => {
    await context.receiver.close();
    await context.stack.close();
  });
  return context;
}

/** A fresh workspace (its own contact policy and ledger) with helpers to fill it through the API. */
export async function activityWorkspace(context: ActivityTestContext) {
  const api = await testWorkspace(context.stack);
  const workspaceId = api.keys.workspaceId;

  async function accepted(response: Promise<{ status: number; text: string }>, what: string) {
    const answered = await response;
    if (answered.status >= 300) throw new Error(`${what} refused: ${answered.text}`);
  }

  return {
    api,
    workspaceId,
    /** Identifies a person and returns their profile id. */
    async person(userId: string, traits: Record<string, unknown> = {}): Promise<string> {
      await api.identify([{ userId, traits }]);
      const identity = await context.stack.store.identities.findOne({
        _id: `${workspaceId}:user_id:${userId}`,
      });
      if (!identity) throw new Error(`no profile for ${userId}`);
      return identity.profileId;
    },
    /** A webhook channel posting to the test receiver (or `url`). */
    webhookChannel(key: string, url = context.receiver.url) {
      const channel = { key, type: 'webhook', name: `Hook ${key}`, config: { url } };
      return accepted(api.post('/v1/channels', channel), 'channel');
    },
    template(key: string, body: string) {
      const template = { key, channelType: 'webhook', name: `Template ${key}`, body };
      return accepted(api.post('/v1/templates', template), 'template');
    },
    contactPolicy(policy: {
      caps?: FrequencyCap[];
      quietHours?: { start: string; end: string; action: 'defer' | 'skip' } | null;
    }) {
      const body = { caps: policy.caps ?? [], quietHours: policy.quietHours ?? null };
      return accepted(api.put('/v1/contact-policy', body), 'contact policy');
    },
    /** A marketing send of `template` through `channel`; `key` names the node visit. */
    send(profileId: string, overrides: Partial<MessageSend> & { key: string }): MessageSend {
      return {
        runId: `run-${profileId}`,
        workspaceId,
        journeyId: 'journey-a',
        version: 1,
        profileId,
        entryId: 'entry-1',
        nodeId: 'send',
        channel: 'hook',
        template: 'note',
        transactional: false,
        perMinute: null,
        ...overrides,
      };
    },
  };
}

export type ActivityWorkspace = Awaited<ReturnType<typeof activityWorkspace>>;
