import { journeyCollections } from '@junction/core/store';

import { testWorkspace, useTestWorkspace } from '../audience-api/test-workspace.js';
import {
  createChannelAndTemplate,
  createJourney,
  messageJourney,
  publishJourney,
} from '../journeys/test-journeys.js';

const hook = {
  key: 'crm_hook',
  type: 'webhook',
  name: 'CRM hook',
  config: { url: 'https://crm.example.com/in', headers: { Authorization: 'Bearer s3cret' } },
};

describe('channels API', () => {
  const t = useTestWorkspace();

  it('creates, lists, reads, changes and deletes a channel', async () => {
    const created = await t.api.post('/v1/channels', hook);
    expect(created.status).toBe(201);
    expect(created.body.channel).toMatchObject({
      key: 'crm_hook',
      type: 'webhook',
      name: 'CRM hook',
    });
    expect((await t.api.get('/v1/channels')).body.channels).toEqual([
      expect.objectContaining({ key: 'crm_hook' }),
    ]);

    const renamed = await t.api.put('/v1/channels/crm_hook', { ...hook, name: 'CRM inbound' });
    expect(renamed.status).toBe(200);
    expect((await t.api.get('/v1/channels/crm_hook')).body.channel.name).toBe('CRM inbound');

    const deleted = await t.api.delete('/v1/channels/crm_hook');
    expect(deleted.body).toEqual({ deleted: true, key: 'crm_hook' });
    const gone = await t.api.get('/v1/channels/crm_hook');
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('channel_not_found');
    expect((await t.api.delete('/v1/channels/crm_hook')).status).toBe(404);
  });

  it('never answers header values, and keeps a stored one that is sent back masked', async () => {
    const created = await t.api.post('/v1/channels', { ...hook, key: 'masked_hook' });
    expect(created.body.channel.config.headers).toEqual({ Authorization: '********' });
    const changed = await t.api.put('/v1/channels/masked_hook', {
      ...hook,
      key: 'masked_hook',
      config: {
        ...created.body.channel.config,
        headers: { Authorization: '********', 'X-Team': 'ops' },
      },
    });
    expect(changed.status).toBe(200);
    const stored = await journeyCollections(t.stack.db).channels.findOne({
      _id: `${t.api.keys.workspaceId}:masked_hook`,
    });
    expect(stored?.config.headers).toEqual({ Authorization: 'Bearer s3cret', 'X-Team': 'ops' });
  });

  it('checks the config against the channel type, with the path of each bad field', async () => {
    const noUrl = await t.api.post('/v1/channels', { ...hook, key: 'bad_hook', config: {} });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.issues).toEqual([expect.objectContaining({ path: ['config', 'url'] })]);
    const ftp = await t.api.post('/v1/channels', {
      ...hook,
      key: 'bad_hook',
      config: { url: 'ftp://files.example.com' },
    });
    expect(ftp.body.error.issues[0].path).toEqual(['config', 'url']);
    const email = await t.api.post('/v1/channels', {
      key: 'news',
      type: 'email',
      name: 'News',
      config: { from: 'not an address' },
    });
    expect(email.body.error.issues[0].path).toEqual(['config', 'from']);
    const unknown = await t.api.post('/v1/channels', { ...hook, key: 'fax', type: 'fax' });
    expect(unknown.body.error.issues[0].path).toEqual(['type']);
    const badKey = await t.api.post('/v1/channels', { ...hook, key: 'Has Spaces' });
    expect(badKey.body.error.issues[0].path).toEqual(['key']);
    const sms = await t.api.post('/v1/channels', {
      key: 'texts',
      type: 'sms',
      name: 'Texts',
      config: { url: 'https://sms.example.com/send', from: 'JUNCTION' },
    });
    expect(sms.status).toBe(201);
  });

  it('answers 409 for a key that exists and 400 for a body key that differs from the path', async () => {
    await t.api.post('/v1/channels', { ...hook, key: 'twice' });
    const again = await t.api.post('/v1/channels', { ...hook, key: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('channel_exists');
    const mismatch = await t.api.put('/v1/channels/twice', { ...hook, key: 'other' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.issues[0]).toMatchObject({ code: 'key_mismatch', path: ['key'] });
    expect((await t.api.put('/v1/channels/nothing_here', hook)).status).toBe(404);
  });

  it('refuses to delete or retype a channel a live journey sends through, naming the journey', async () => {
    await createChannelAndTemplate(t.api, 'live_hook', 'live_note');
    const id = await createJourney(t.api, messageJourney('live_hook', 'live_note'), 'Live sender');
    await publishJourney(t.api, id);

    const refused = await t.api.delete('/v1/channels/live_hook');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('in_use');
    expect(refused.body.error.issues).toEqual([
      expect.objectContaining({
        path: ['journeys', id],
        message: expect.stringContaining('Live sender'),
      }),
    ]);
    const retyped = await t.api.put('/v1/channels/live_hook', {
      type: 'push',
      name: 'Push now',
      config: { url: 'https://push.example.com' },
    });
    expect(retyped.status).toBe(409);

    await t.api.post(`/v1/journeys/${id}/stop`);
    expect((await t.api.delete('/v1/channels/live_hook')).status).toBe(200);
  });

  it('keeps workspaces apart', async () => {
    await t.api.post('/v1/channels', { ...hook, key: 'private_hook' });
    const other = await testWorkspace(t.stack);
    expect((await other.get('/v1/channels/private_hook')).status).toBe(404);
    expect((await other.get('/v1/channels')).body.channels).toEqual([]);
    expect((await other.delete('/v1/channels/private_hook')).status).toBe(404);
    expect((await t.api.get('/v1/channels/private_hook')).status).toBe(200);
  });
});
