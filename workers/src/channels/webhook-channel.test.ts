import { freePort } from '../../../scripts/lib/services.mjs';
import { startWebhookReceiver, type ReceivedRequest } from '../../../test/harness.js';
import { PermanentSendError, RetryableSendError, type ChannelSendRequest } from './adapter.js';
import { createWebhookChannel, SIGNATURE_HEADER, webhookSignature } from './webhook-channel.js';

describe('the webhook channel', () => {
  let status = 200;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const channel = createWebhookChannel({ timeoutMs: 5_000 });

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => status);
  });
  afterAll(() => receiver.close());
  afterEach(() => {
    status = 200;
  });

  function request(key: string, config: Record<string, unknown> = {}): ChannelSendRequest {
    return {
      key,
      workspaceId: 'ws-1',
      profileId: 'person-1',
      to: 'person-1',
      subject: 'Hello',
      body: 'Hi Ada',
      config: { url: receiver.url, ...config },
      context: { journeyId: 'journey-1', version: 3, nodeId: 'send', template: 'welcome' },
    };
  }

  const received = (key: string): ReceivedRequest[] =>
    receiver.received.filter((seen) => seen.headers['idempotency-key'] === key);

  it('posts the rendered message as JSON with the send key as Idempotency-Key', async () => {
    const result = await channel.send(request('key-1', { headers: { 'X-Team': 'growth' } }));

    expect(result).toEqual({ providerMessageId: 'key-1', status: 200, response: '{"ok":true}' });
    const [seen] = received('key-1');
    expect(seen).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-team': 'growth' },
      body: {
        key: 'key-1',
        profile: { id: 'person-1' },
        to: 'person-1',
        subject: 'Hello',
        body: 'Hi Ada',
        journey: { id: 'journey-1', version: 3, nodeId: 'send' },
        template: 'welcome',
      },
    });
    expect(seen?.headers).not.toHaveProperty(SIGNATURE_HEADER);
  });

  it('keeps configured headers, in any letter case, from overriding its own', async () => {
    const headers = { 'Idempotency-Key': 'forged', 'Content-Type': 'text/plain' };

    await channel.send(request('key-2', { headers }));

    // `received` matches the header exactly: a merged `forged, key-2` would find nothing.
    const seen = received('key-2');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('signs the exact body it sends when the channel has a secret', async () => {
    await channel.send(request('key-3', { secret: 's3cret' }));

    const [seen] = received('key-3');
    const signature = String(seen?.headers[SIGNATURE_HEADER]);
    const seconds = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(signature)?.[1]);
    const body = JSON.stringify(seen?.body);
    expect(signature).toBe(webhookSignature('s3cret', body, new Date(seconds * 1000)));
  });

  it('throws a retryable error for 5xx, 408 and 429, with what the receiver answered', async () => {
    for (const answer of [503, 408, 429]) {
      status = answer;
      const failure = await channel
        .send(request(`retry-${answer}`))
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RetryableSendError);
      expect(failure).toMatchObject({ status: answer, response: '{"ok":true}' });
    }
  });

  it('throws a permanent error for any other refusal', async () => {
    status = 404;

    const failure = await channel.send(request('refused')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PermanentSendError);
    expect(failure).toMatchObject({ status: 404, message: 'webhook answered 404' });
  });

  it('throws a retryable error when nothing listens at the URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/hook`;

    const failure = await channel.send(request('nobody', { url: closed })).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryableSendError);
    expect((failure as Error).message).toMatch(/^webhook unreachable/);
  });

  it('fails for good, without a request, when the channel has no http(s) URL', async () => {
    const failure = await channel
      .send(request('no-url', { url: 'ftp://files.example.com' }))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PermanentSendError);
    expect(received('no-url')).toEqual([]);
  });

  it("reads the person's address as their profile id", () => {
    expect(channel.recipient({ profileId: 'person-9', traits: { email: 'a@b.c' } })).toBe(
      'person-9',
    );
  });
});
