import { testWorkspace, useTestWorkspace } from '../audience-api/test-workspace.js';

describe('contact policy API', () => {
  const t = useTestWorkspace();

  it('answers no caps and no quiet hours until a policy is set', async () => {
    const response = await t.api.get('/v1/contact-policy');
    expect(response.status).toBe(200);
    expect(response.body.policy).toEqual({ caps: [], quietHours: null, updatedAt: null });
  });

  it('stores caps and quiet hours, replacing the whole policy on each change', async () => {
    await t.api.post('/v1/channels', {
      key: 'texts',
      type: 'sms',
      name: 'Texts',
      config: { url: 'https://sms.example.com/send', from: 'JUNCTION' },
    });
    const policy = {
      caps: [
        { channel: '*', limit: 3, period: 'day' },
        { channel: 'texts', limit: 5, period: 'week' },
      ],
      quietHours: { start: '21:00', end: '08:00', action: 'defer' },
    };
    const saved = await t.api.put('/v1/contact-policy', policy);
    expect(saved.status).toBe(200);
    expect(saved.body.policy).toMatchObject(policy);
    expect((await t.api.get('/v1/contact-policy')).body.policy).toMatchObject(policy);

    const cleared = await t.api.put('/v1/contact-policy', { caps: [], quietHours: null });
    expect(cleared.body.policy).toMatchObject({ caps: [], quietHours: null });
    expect((await t.api.get('/v1/contact-policy')).body.policy.caps).toEqual([]);
  });

  it('answers 400 with the path of each bad field', async () => {
    const response = await t.api.put('/v1/contact-policy', {
      caps: [
        { channel: '*', limit: 0, period: 'day' },
        { channel: '*', limit: 5, period: 'month' },
      ],
      quietHours: { start: '25:00', end: '08:00', action: 'drop' },
    });
    expect(response.status).toBe(400);
    const paths = response.body.error.issues.map((issue: { path: unknown[] }) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['caps', 0, 'limit'],
        ['caps', 1, 'period'],
        ['quietHours', 'start'],
        ['quietHours', 'action'],
      ]),
    );
    const tooMany = await t.api.put('/v1/contact-policy', {
      caps: [{ channel: '*', limit: 1001, period: 'week' }],
    });
    expect(tooMany.body.error.issues[0].path).toEqual(['caps', 0, 'limit']);
  });

  it('refuses two caps for one channel and period, empty quiet hours and unknown channels', async () => {
    const response = await t.api.put('/v1/contact-policy', {
      caps: [
        { channel: '*', limit: 2, period: 'day' },
        { channel: '*', limit: 4, period: 'day' },
      ],
      quietHours: { start: '08:00', end: '08:00', action: 'skip' },
    });
    expect(response.body.error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'contact_policy.duplicate_cap', path: ['caps', 1] }),
        expect.objectContaining({ code: 'contact_policy.empty_quiet_hours' }),
      ]),
    );
    const unknown = await t.api.put('/v1/contact-policy', {
      caps: [{ channel: 'pigeon_post', limit: 1, period: 'day' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0]).toMatchObject({
      code: 'contact_policy.unknown_channel',
      path: ['caps', 0, 'channel'],
    });
  });

  it('keeps workspaces apart', async () => {
    await t.api.put('/v1/contact-policy', { caps: [{ channel: '*', limit: 1, period: 'day' }] });
    const other = await testWorkspace(t.stack);
    expect((await other.get('/v1/contact-policy')).body.policy.caps).toEqual([]);
  });
});
