import type { MessageOutcome } from '@junction/workflows/activities';

import { SUPPRESSION } from './contact-policy.js';
import { activityWorkspace, deliveries, useJourneyActivities } from './test-deps.js';

describe('the contact policy of sendMessage', () => {
  const t = useJourneyActivities();

  async function policySetup(...channels: string[]) {
    const ws = await activityWorkspace(t);
    for (const channel of channels) await ws.webhookChannel(channel);
    await ws.template('note', 'Hi {{ profile.first_name | default: "there" }}');
    return ws;
  }

  const messageOf = (key: string) => t.stack.store.messages.findOne({ _id: key });

  it('delivers 2 of the day’s sends across three journeys under a cap of 2, recording the rest', async () => {
    t.clock.now = new Date('2026-03-10T09:00:00Z');
    const ws = await policySetup('hook');
    await ws.contactPolicy({ caps: [{ channel: '*', limit: 2, period: 'day' }] });
    const ada = await ws.person('ada');

    const first = await t.activities.sendMessage(ws.send(ada, { key: 'a-1', journeyId: 'promo' }));
    const second = await t.activities.sendMessage(ws.send(ada, { key: 'b-1', journeyId: 'news' }));
    const third = await t.activities.sendMessage(
      ws.send(ada, { key: 'c-1', journeyId: 'winback' }),
    );
    const fourth = await t.activities.sendMessage(ws.send(ada, { key: 'a-2', journeyId: 'promo' }));

    expect([first.status, second.status]).toEqual(['sent', 'sent']);
    expect(third).toEqual({ status: 'suppressed', reason: SUPPRESSION.frequencyCap });
    expect(fourth).toEqual({ status: 'suppressed', reason: SUPPRESSION.frequencyCap });
    expect(['a-1', 'b-1', 'c-1', 'a-2'].flatMap((key) => deliveries(t, key))).toHaveLength(2);
    expect(await messageOf('c-1')).toMatchObject({
      status: 'suppressed',
      reason: SUPPRESSION.frequencyCap,
      journeyId: 'winback',
      profileId: ada,
    });
    expect(await messageOf('a-1')).toMatchObject({ status: 'sent', ledgerDay: '2026-03-10' });
    const ledger = await t.deps.journeys.contactLedger.find({ profileId: ada }).toArray();
    expect(ledger).toEqual([expect.objectContaining({ total: 2, keys: ['a-1', 'b-1'] })]);
  });

  it('caps one channel and leaves the other channels free', async () => {
    t.clock.now = new Date('2026-03-10T09:00:00Z');
    const ws = await policySetup('texts_hook', 'mail_hook');
    await ws.contactPolicy({ caps: [{ channel: 'texts_hook', limit: 1, period: 'day' }] });
    const bo = await ws.person('bo');
    const on = (channel: string, key: string) =>
      t.activities.sendMessage(ws.send(bo, { key, channel }));

    const firstText = await on('texts_hook', 'text-1');
    const secondText = await on('texts_hook', 'text-2');
    const mails = [await on('mail_hook', 'mail-1'), await on('mail_hook', 'mail-2')];

    expect(firstText.status).toBe('sent');
    expect(secondText).toEqual({ status: 'suppressed', reason: SUPPRESSION.frequencyCap });
    expect(mails.map((outcome) => outcome.status)).toEqual(['sent', 'sent']);
    const [ledger] = await t.deps.journeys.contactLedger.find({ profileId: bo }).toArray();
    expect(ledger).toMatchObject({ total: 3, byChannel: { texts_hook: 1, mail_hook: 2 } });
  });

  it('counts a week cap over the person’s last seven local days', async () => {
    const ws = await policySetup('hook');
    await ws.contactPolicy({ caps: [{ channel: '*', limit: 2, period: 'week' }] });
    const cy = await ws.person('cy');
    const sendOn = (at: string, key: string) => {
      t.clock.now = new Date(at);
      return t.activities.sendMessage(ws.send(cy, { key }));
    };

    const monday = await sendOn('2026-03-09T10:00:00Z', 'mon');
    const wednesday = await sendOn('2026-03-11T10:00:00Z', 'wed');
    const friday = await sendOn('2026-03-13T10:00:00Z', 'fri');
    const nextMonday = await sendOn('2026-03-16T10:00:00Z', 'next-mon');

    expect([monday.status, wednesday.status, nextMonday.status]).toEqual(['sent', 'sent', 'sent']);
    expect(friday).toEqual({ status: 'suppressed', reason: SUPPRESSION.frequencyCap });
  });

  it('defers a send in quiet hours to the window end on the person’s own clock', async () => {
    // 14:00 UTC is 23:00 in Tokyo and 04:00 in Honolulu: both inside 21:00–08:00,
    // each ending at their own 08:00; it is outside the window for a UTC person.
    t.clock.now = new Date('2026-03-10T14:00:00Z');
    const ws = await policySetup('hook');
    await ws.contactPolicy({ quietHours: { start: '21:00', end: '08:00', action: 'defer' } });
    const tokyo = await ws.person('di', { timezone: 'Asia/Tokyo' });
    const honolulu = await ws.person('hal', { timezone: 'Pacific/Honolulu' });
    const utc = await ws.person('ed');

    const deferred = await t.activities.sendMessage(ws.send(tokyo, { key: 'di-1' }));
    const deferredToo = await t.activities.sendMessage(ws.send(honolulu, { key: 'hal-1' }));
    const sentNow = await t.activities.sendMessage(ws.send(utc, { key: 'ed-1' }));

    const until = '2026-03-10T23:00:00.000Z';
    expect(deferred).toEqual({ status: 'deferred', reason: SUPPRESSION.quietHours, until });
    // Honolulu is UTC-10 all year: 08:00 local is 18:00 UTC.
    expect(deferredToo).toEqual({
      status: 'deferred',
      reason: SUPPRESSION.quietHours,
      until: '2026-03-10T18:00:00.000Z',
    });
    expect(sentNow.status).toBe('sent');
    expect(deliveries(t, 'di-1')).toEqual([]);
    expect(await messageOf('di-1')).toMatchObject({
      status: 'suppressed',
      reason: SUPPRESSION.quietHours,
      until: new Date(until),
    });

    t.clock.now = new Date(until);
    const later = await t.activities.sendMessage(ws.send(tokyo, { key: 'di-1' }));

    expect(later).toEqual({ status: 'sent', messageId: 'di-1', deduplicated: false });
    expect(deliveries(t, 'di-1')).toHaveLength(1);
    const log = await messageOf('di-1');
    expect(log).toMatchObject({ status: 'sent' });
    expect(log?.deferrals).toEqual([
      { reason: SUPPRESSION.quietHours, until: new Date(until), at: new Date('2026-03-10T14:00Z') },
    ]);
  });

  it('skips a send in quiet hours for good when the policy says skip', async () => {
    t.clock.now = new Date('2026-03-10T14:00:00Z');
    const ws = await policySetup('hook');
    await ws.contactPolicy({ quietHours: { start: '21:00', end: '08:00', action: 'skip' } });
    const fay = await ws.person('fay', { time_zone: 'Asia/Tokyo' });
    const send = ws.send(fay, { key: 'fay-1' });

    const skipped = await t.activities.sendMessage(send);
    t.clock.now = new Date('2026-03-11T03:00:00Z');
    const afterwards = await t.activities.sendMessage(send);

    expect(skipped).toEqual({ status: 'suppressed', reason: SUPPRESSION.quietHours });
    expect(afterwards).toEqual(skipped);
    expect(deliveries(t, 'fay-1')).toEqual([]);
    expect(await messageOf('fay-1')).toMatchObject({
      status: 'suppressed',
      reason: SUPPRESSION.quietHours,
    });
  });

  it('lets transactional sends past quiet hours and caps', async () => {
    t.clock.now = new Date('2026-03-10T14:00:00Z');
    const ws = await policySetup('hook');
    await ws.contactPolicy({
      caps: [{ channel: '*', limit: 1, period: 'day' }],
      quietHours: { start: '21:00', end: '08:00', action: 'skip' },
    });
    const gil = await ws.person('gil', { timezone: 'Asia/Tokyo' });

    const receipts = [
      await t.activities.sendMessage(ws.send(gil, { key: 'r-1', transactional: true })),
      await t.activities.sendMessage(ws.send(gil, { key: 'r-2', transactional: true })),
    ];

    expect(receipts.map((outcome) => outcome.status)).toEqual(['sent', 'sent']);
    expect(await t.deps.journeys.contactLedger.countDocuments({ profileId: gil })).toBe(0);
  });

  it('defers the sends beyond a journey’s per-minute limit to the next minute', async () => {
    t.clock.now = new Date('2026-03-10T12:00:30Z');
    const ws = await policySetup('hook');
    const people = await Promise.all(['h1', 'h2', 'h3'].map((id) => ws.person(id)));
    const rated = (profileId: string) =>
      ws.send(profileId, { key: `rate-${profileId}`, journeyId: 'rated', perMinute: 2 });

    const outcomes: MessageOutcome[] = [];
    for (const profileId of people) outcomes.push(await t.activities.sendMessage(rated(profileId)));

    expect(outcomes.slice(0, 2).map((outcome) => outcome.status)).toEqual(['sent', 'sent']);
    const nextMinute = '2026-03-10T12:01:00.000Z';
    expect(outcomes[2]).toEqual({
      status: 'deferred',
      reason: SUPPRESSION.rateLimited,
      until: nextMinute,
    });
    const last = rated(people[2] ?? '');
    expect(deliveries(t, last.key)).toEqual([]);

    t.clock.now = new Date(nextMinute);
    const resent = await t.activities.sendMessage(last);

    expect(resent.status).toBe('sent');
    expect(deliveries(t, last.key)).toHaveLength(1);
    const minutes = await t.deps.journeys.sendRates.find({ journeyId: 'rated' }).toArray();
    expect(minutes.map(({ minute, reserved }) => ({ minute, reserved }))).toEqual(
      expect.arrayContaining([
        { minute: Date.parse('2026-03-10T12:00:00Z') / 60_000, reserved: 2 },
        { minute: Date.parse(nextMinute) / 60_000, reserved: 1 },
      ]),
    );
  });
});
