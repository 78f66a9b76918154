import { ApplicationFailure } from '@temporalio/common';

import { SEND_FAILURE } from './send-message.js';
import { activityWorkspace, deliveries, useJourneyActivities } from './test-deps.js';

describe('sendMessage', () => {
  const t = useJourneyActivities();

  afterEach(() => {
    t.respond = () => 200;
  });

  async function webhookSetup(body = 'Hello {{ profile.first_name }}') {
    const ws = await activityWorkspace(t);
    await ws.webhookChannel('hook');
    await ws.template('note', body);
    return ws;
  }

  const messagesOf = (workspaceId: string) =>
    t.stack.store.messages.find({ workspaceId }).toArray();

  it('sends a key once: a repeated send reaches the receiver once and logs one message', async () => {
    const ws = await webhookSetup();
    const ada = await ws.person('ada', { first_name: 'Ada' });
    const send = ws.send(ada, { key: 'ada-welcome' });

    const first = await t.activities.sendMessage(send);
    const again = await t.activities.sendMessage(send);

    expect(first).toEqual({ status: 'sent', messageId: 'ada-welcome', deduplicated: false });
    expect(again).toEqual({ status: 'sent', messageId: 'ada-welcome', deduplicated: true });
    const received = deliveries(t, 'ada-welcome');
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toMatchObject({
      key: 'ada-welcome',
      profile: { id: ada },
      body: 'Hello Ada',
      journey: { id: 'journey-a', version: 1, nodeId: 'send' },
      template: 'note',
    });
    expect(await messagesOf(ws.workspaceId)).toEqual([
      expect.objectContaining({ _id: 'ada-welcome', status: 'sent', attempts: 1, to: ada }),
    ]);
  });

  it('retries a send the receiver answered 503 under the same key, logging one message', async () => {
    const ws = await webhookSetup();
    const bo = await ws.person('bo', { first_name: 'Bo' });
    const send = ws.send(bo, { key: 'bo-welcome' });
    t.respond = () => 503;

    const failure = await t.activities.sendMessage(send).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ChannelUnavailable', nonRetryable: false });
    expect(await messagesOf(ws.workspaceId)).toEqual([
      expect.objectContaining({ status: 'sending', attempts: 1, response: expect.any(Object) }),
    ]);

    t.respond = () => 200;
    const retried = await t.activities.sendMessage(send);

    expect(retried).toEqual({ status: 'sent', messageId: 'bo-welcome', deduplicated: false });
    const received = deliveries(t, 'bo-welcome');
    expect(received).toHaveLength(2);
    expect(received.map((request) => request.body)).toEqual([received[0]?.body, received[0]?.body]);
    expect(await messagesOf(ws.workspaceId)).toEqual([
      expect.objectContaining({ _id: 'bo-welcome', status: 'sent', attempts: 2 }),
    ]);
  });

  it('fails a send the receiver refuses with a 4xx for good, and never sends it again', async () => {
    const ws = await webhookSetup();
    const cy = await ws.person('cy', { first_name: 'Cy' });
    const send = ws.send(cy, { key: 'cy-welcome' });
    t.respond = () => 422;

    const refused = await t.activities.sendMessage(send);
    t.respond = () => 200;
    const again = await t.activities.sendMessage(send);

    expect(refused).toEqual({ status: 'failed', reason: SEND_FAILURE.providerRejected });
    expect(again).toEqual(refused);
    expect(deliveries(t, 'cy-welcome')).toHaveLength(1);
    expect(await messagesOf(ws.workspaceId)).toEqual([
      expect.objectContaining({
        status: 'failed',
        reason: SEND_FAILURE.providerRejected,
        response: { status: 422, body: '{"ok":true}' },
      }),
    ]);
  });

  it('renders a trait the person does not have as empty text', async () => {
    const ws = await webhookSetup('Hi {{ profile.nickname }}! {{ profile.city | default: "?" }}');
    const di = await ws.person('di', { first_name: 'Di' });

    const outcome = await t.activities.sendMessage(ws.send(di, { key: 'di-note' }));

    expect(outcome.status).toBe('sent');
    expect(deliveries(t, 'di-note')[0]?.body).toMatchObject({ body: 'Hi ! ?' });
  });

  it('fails a template Liquid cannot run for good, before any cap is spent or anything is sent', async () => {
    // Parses (the API accepts it) but runs past the renderer's memory limit.
    const ws = await webhookSetup('{% for i in (1..100000000) %}{{ i }}{% endfor %}');
    await ws.contactPolicy({ caps: [{ channel: '*', limit: 1, period: 'day' }] });
    const ed = await ws.person('ed');
    const send = ws.send(ed, { key: 'ed-note' });

    const outcome = await t.activities.sendMessage(send);
    const again = await t.activities.sendMessage(send);

    expect(outcome).toEqual({ status: 'failed', reason: SEND_FAILURE.templateError });
    expect(again).toEqual(outcome);
    expect(deliveries(t, 'ed-note')).toEqual([]);
    expect(await messagesOf(ws.workspaceId)).toEqual([
      expect.objectContaining({
        status: 'failed',
        reason: SEND_FAILURE.templateError,
        error: expect.stringContaining('memory'),
      }),
    ]);
    expect(
      await t.deps.journeys.contactLedger.countDocuments({ workspaceId: ws.workspaceId }),
    ).toBe(0);
  });

  it("never lets a template include a file from the worker's disk", async () => {
    const ws = await webhookSetup('{% include "package.json" %}');
    const fay = await ws.person('fay');

    const outcome = await t.activities.sendMessage(ws.send(fay, { key: 'fay-note' }));

    expect(outcome).toEqual({ status: 'failed', reason: SEND_FAILURE.templateError });
    expect(deliveries(t, 'fay-note')).toEqual([]);
  });

  it('fails a send through a channel that no longer exists, naming it', async () => {
    const ws = await webhookSetup();
    const gil = await ws.person('gil');

    const outcome = await t.activities.sendMessage(
      ws.send(gil, { key: 'gil-note', channel: 'gone_hook' }),
    );

    expect(outcome).toEqual({ status: 'failed', reason: SEND_FAILURE.channelMissing });
    expect(await messagesOf(ws.workspaceId)).toEqual([
      expect.objectContaining({ status: 'failed', error: 'no channel "gone_hook"' }),
    ]);
  });
});
