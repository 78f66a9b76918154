import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';

import type { MessageType } from '@junction/core';

import { startStack, type TestStack } from './harness.js';

/** What a proxy does to one request: pass it, or answer 503 before or after Junction stored it. */
type Fault = 'pass' | 'unavailable' | 'stored-then-unavailable';

interface Attempt {
  messageIds: string[];
  gzip: boolean;
  fault: Fault;
  /** Junction's own answer, when the request reached it. */
  junction?: { status: number; body: { stored?: number; duplicates?: number; errors?: unknown[] } };
}

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A proxy in front of Junction that applies `faults` to the requests in the order they arrive
 * and records what the client sent and what Junction answered.
 */
async function startProxy(target: string, faults: Fault[] = []) {
  const attempts: Attempt[] = [];
  const relay = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const gzip = req.headers['content-encoding'] === 'gzip';
    const sent = JSON.parse((gzip ? gunzipSync(body) : body).toString()) as {
      batch: { messageId: string }[];
    };
    const attempt: Attempt = {
      messageIds: sent.batch.map((message) => message.messageId),
      gzip,
      fault: faults[attempts.length] ?? 'pass',
    };
    attempts.push(attempt);
    if (attempt.fault !== 'unavailable') {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'content-encoding']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const response = await fetch(`${target}${req.url}`, { method: 'POST', headers, body });
      attempt.junction = { status: response.status, body: (await response.json()) as never };
    }
    const answer =
      attempt.fault === 'pass'
        ? attempt.junction!
        : { status: 503, body: { error: { code: 'unavailable', message: 'try again' } } };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  };
  const server = await listen((req, res) => {
    relay(req, res).catch((error: unknown) => {
      res.writeHead(502).end(String(error));
    });
  });
  return { ...server, attempts };
}

/** One SDK behind a common face: send a call and learn when its delivery finished. */
interface Client {
  send(type: MessageType, message: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** A delivery callback that settles a promise. */
function settle(resolve: () => void, reject: (error: Error) => void) {
  return (error?: unknown) => {
    if (!error) resolve();
    else reject(error instanceof Error ? error : new Error('delivery failed', { cause: error }));
  };
}

function segmentClient(host: string, writeKey: string): Client {
  // Six calls fill one batch; retries start at about a second.
  const analytics = new SegmentAnalytics({
    writeKey,
    host,
    maxEventsInBatch: 6,
    flushInterval: 100,
    maxRetries: 3,
  });
  return {
    send: (type, message) =>
      new Promise((resolve, reject) => {
        analytics[type](message as never, settle(resolve, reject));
      }),
    close: () => analytics.closeAndFlush({ timeout: 20_000 }),
  };
}

function rudderClient(dataPlaneUrl: string, writeKey: string): Client {
  const analytics = new RudderAnalytics(writeKey, {
    dataPlaneUrl,
    flushInterval: 100,
    retryCount: 3,
    logLevel: 'none',
  });
  return {
    send: (type, message) =>
      new Promise((resolve, reject) => {
        // Its typings leave out the error that the callback receives.
        analytics[type](message as never, settle(resolve, reject));
      }),
    close: () => analytics.flush(),
  };
}

/** One call of every type about one person, as an application would make them. */
function everyCall(prefix: string): [MessageType, Record<string, unknown>][] {
  const userId = `${prefix}-user`;
  return [
    ['identify', { userId, traits: { email: `${prefix}@example.com`, plan: 'pro' } }],
    [
      'track',
      {
        userId,
        event: 'Order Completed',
        properties: { total: 42.5, 'price.usd': 40 },
        timestamp: new Date(Date.now() - 60_000),
      },
    ],
    ['page', { userId, name: 'Pricing', category: 'Docs', properties: { path: '/pricing' } }],
    ['screen', { userId, name: 'Home', properties: { tab: 'feed' } }],
    ['group', { userId, groupId: `${prefix}-acme`, traits: { name: 'Acme' } }],
    ['alias', { userId, previousId: `${prefix}-anon` }],
  ];
}

describe('the real Segment and RudderStack Node SDKs pointed at Junction', () => {
  let stack: TestStack;
  let junction: Listening;

  beforeAll(async () => {
    stack = await startStack();
    junction = await listen(stack.app);
  });
  afterAll(async () => {
    await junction.close();
    await stack.close();
  });

  /** Drives every call through `client` and returns the messageIds the client sent. */
  async function deliverEveryCall(
    client: Client,
    prefix: string,
    attempts: Attempt[],
  ): Promise<string[]> {
    await Promise.all(everyCall(prefix).map(([type, message]) => client.send(type, message)));
    await client.close();
    return [...new Set(attempts.flatMap((attempt) => attempt.messageIds))];
  }

  /** Each sent message is stored exactly once, with the person's traits on one profile. */
  async function expectStoredOnce(prefix: string, messageIds: string[]): Promise<void> {
    const { workspaceId } = stack.workspace;
    expect(messageIds).toHaveLength(6);
    const events = await stack.store.events
      .find({ _id: { $in: messageIds.map((id) => `${workspaceId}:${id}`) } })
      .toArray();
    expect(events.map((event) => event.type).sort()).toEqual(
      ['alias', 'group', 'identify', 'page', 'screen', 'track'].sort(),
    );
    expect(new Set(events.map((event) => event.profileId)).size).toBe(1);
    const profileId = events[0]!.profileId;
    expect(await stack.store.events.countDocuments({ workspaceId, profileId })).toBe(6);
    const profile = await stack.store.profiles.findOne({ _id: profileId });
    expect(profile!.traits).toMatchObject({ email: `${prefix}@example.com`, plan: 'pro' });
    expect(profile!.groupIds).toEqual([`${prefix}-acme`]);

    const track = events.find((event) => event.type === 'track')!;
    expect(track.properties).toEqual({ total: 42.5, 'price%2Eusd': 40 });
    // The client sent the event's own time, a minute before it was sent.
    const offset = track.receivedAt.getTime() - track.timestamp.getTime();
    expect(Math.abs(offset - 60_000)).toBeLessThan(10_000);
    const page = events.find((event) => event.type === 'page')!;
    expect(page).toMatchObject({ name: 'Pricing', category: 'Docs' });
  }

  it('delivers identify, track, page, screen, group and alias from analytics-node once each', async () => {
    const proxy = await startProxy(junction.url);
    try {
      const client = segmentClient(proxy.url, stack.workspace.writeKey);
      const sent = await deliverEveryCall(client, 'seg', proxy.attempts);
      expect(proxy.attempts.map((a) => a.junction?.body)).toEqual([
        { success: true, stored: 6, duplicates: 0, errors: [] },
      ]);
      await expectStoredOnce('seg', sent);
    } finally {
      await proxy.close();
    }
  });

  it('delivers every call from rudder-sdk-node once each, gzip-compressed', async () => {
    const proxy = await startProxy(junction.url);
    try {
      const client = rudderClient(proxy.url, stack.workspace.writeKey);
      const sent = await deliverEveryCall(client, 'rud', proxy.attempts);
      expect(proxy.attempts.every((a) => a.gzip && a.junction?.status === 200)).toBe(true);
      expect(proxy.attempts.reduce((n, a) => n + (a.junction?.body.stored ?? 0), 0)).toBe(6);
      await expectStoredOnce('rud', sent);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ['analytics-node', segmentClient, 'seg-retry'],
    ['rudder-sdk-node', rudderClient, 'rud-retry'],
  ])(
    'stores each event once when %s retries after 503s, one of them after the events were stored',
    async (_name, makeClient, prefix) => {
      const proxy = await startProxy(junction.url, ['stored-then-unavailable', 'unavailable']);
      try {
        const client = makeClient(proxy.url, stack.workspace.writeKey);
        const sent = await deliverEveryCall(client, prefix, proxy.attempts);
        const [stored, refused, retried] = proxy.attempts;
        // The same messages went out three times: stored, refused by the proxy, then duplicates.
        expect(retried!.messageIds).toEqual(stored!.messageIds);
        expect(refused!.junction).toBeUndefined();
        expect(stored!.junction!.body).toMatchObject({ stored: stored!.messageIds.length });
        expect(retried!.junction!.body).toMatchObject({
          stored: 0,
          duplicates: stored!.messageIds.length,
        });
        await expectStoredOnce(prefix, sent);
      } finally {
        await proxy.close();
      }
    },
  );
});
