import request from 'supertest';

import { basicAuth, startStack, type TestStack } from '../../../test/harness.js';

describe('tracking API timestamps', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startStack();
    auth = basicAuth(stack.workspace.writeKey);
  });
  afterAll(() => stack.close());

  function eventOf(messageId: string) {
    return stack.store.events.findOne({ _id: `${stack.workspace.workspaceId}:${messageId}` });
  }

  it("corrects each message's timestamp for the client's clock skew, from its or the batch's sentAt", async () => {
    const now = Date.now();
    const ahead = (ms: number) => new Date(now + 3_600_000 + ms).toISOString();
    // The client's clock is an hour fast; each event happened some time before it was sent.
    const single = await request(stack.app)
      .post('/v1/track')
      .set('Authorization', auth)
      .send({
        userId: 'u-skew',
        event: 'Skewed',
        messageId: 'skew-1',
        timestamp: ahead(-300_000),
        sentAt: ahead(0),
      });
    expect(single.status).toBe(200);
    const batch = await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', auth)
      .send({
        sentAt: ahead(0),
        batch: [
          {
            type: 'track',
            userId: 'u-skew',
            event: 'E',
            messageId: 'skew-2',
            timestamp: ahead(-60_000),
          },
          // RudderStack's libraries: the client's time in originalTimestamp, sentAt per message.
          {
            type: 'track',
            userId: 'u-skew',
            event: 'E',
            messageId: 'skew-3',
            originalTimestamp: ahead(-120_000),
            sentAt: ahead(0),
          },
        ],
      });
    expect(batch.body).toMatchObject({ stored: 2, errors: [] });
    // On the server's clock each event keeps its distance before the send.
    const offsets: Record<string, number> = {};
    for (const messageId of ['skew-1', 'skew-2', 'skew-3']) {
      const event = await eventOf(messageId);
      offsets[messageId] = event!.timestamp.getTime() - event!.receivedAt.getTime();
    }
    expect(offsets).toEqual({ 'skew-1': -300_000, 'skew-2': -60_000, 'skew-3': -120_000 });
  });

  it('stores a timestamp without sentAt as sent, and uses the receive time when there is none', async () => {
    const timestamp = '2024-03-01T10:00:00.000+02:00';
    await request(stack.app)
      .post('/v1/batch')
      .set('Authorization', auth)
      .send({
        batch: [
          { type: 'track', userId: 'u-skew', event: 'E', messageId: 'noskew-1', timestamp },
          { type: 'track', userId: 'u-skew', event: 'E', messageId: 'noskew-2' },
        ],
      })
      .expect(200);
    expect((await eventOf('noskew-1'))!.timestamp.toISOString()).toBe('2024-03-01T08:00:00.000Z');
    const untimed = await eventOf('noskew-2');
    expect(untimed!.timestamp).toEqual(untimed!.receivedAt);
  });
});
