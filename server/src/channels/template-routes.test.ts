import { journeyCollections } from '@junction/core/store';

import { testWorkspace, useTestWorkspace } from '../audience-api/test-workspace.js';
import {
  createChannelAndTemplate,
  createJourney,
  messageJourney,
  publishJourney,
} from '../journeys/test-journeys.js';

const welcome = {
  key: 'welcome_email',
  channelType: 'email',
  name: 'Welcome email',
  subject: 'Welcome, {{ profile.first_name }}',
  body: '<p>Hi {{ profile.first_name | default: "there" }}</p>',
};

describe('templates API', () => {
  const t = useTestWorkspace();

  it('creates, lists, reads, changes and deletes a template', async () => {
    const created = await t.api.post('/v1/templates', welcome);
    expect(created.status).toBe(201);
    expect(created.body.template).toMatchObject({ key: 'welcome_email', subject: welcome.subject });
    expect((await t.api.get('/v1/templates')).body.templates).toHaveLength(1);
    const changed = await t.api.put('/v1/templates/welcome_email', { ...welcome, body: 'Hello' });
    expect(changed.body.template.body).toBe('Hello');
    expect((await t.api.delete('/v1/templates/welcome_email')).status).toBe(200);
    const gone = await t.api.get('/v1/templates/welcome_email');
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('template_not_found');
  });

  it('refuses Liquid that does not parse, with template.syntax and the path of the field', async () => {
    const body = await t.api.post('/v1/templates', {
      ...welcome,
      key: 'broken',
      body: '{% if profile.vip %}VIP',
    });
    expect(body.status).toBe(400);
    expect(body.body.error.code).toBe('template.syntax');
    expect(body.body.error.issues).toEqual([
      expect.objectContaining({
        code: 'template.syntax',
        path: ['body'],
        message: expect.stringContaining('line:1'),
      }),
    ]);
    const subject = await t.api.post('/v1/templates', {
      ...welcome,
      key: 'broken',
      subject: 'Hi {{ name',
    });
    expect(subject.body.error.issues[0].path).toEqual(['subject']);
    const filter = await t.api.post('/v1/templates', {
      ...welcome,
      key: 'broken',
      body: '{{ name | upcas }}',
    });
    expect(filter.body.error.code).toBe('template.syntax');
    expect((await t.api.get('/v1/templates/broken')).status).toBe(404);
  });

  it('needs a subject for email, and drops a subject left out of a change', async () => {
    const noSubject = { key: 'no_subject', channelType: 'email', name: 'Plain', body: 'Hi' };
    const refused = await t.api.post('/v1/templates', noSubject);
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0]).toMatchObject({
      code: 'template.subject_required',
      path: ['subject'],
    });

    const push = {
      key: 'push_note',
      channelType: 'push',
      name: 'Push',
      subject: 'Title',
      body: 'Hi',
    };
    expect((await t.api.post('/v1/templates', push)).status).toBe(201);
    const changed = await t.api.put('/v1/templates/push_note', { ...push, subject: undefined });
    expect(changed.body.template.subject).toBeNull();
    const stored = await journeyCollections(t.stack.db).templates.findOne({
      _id: `${t.api.keys.workspaceId}:push_note`,
    });
    expect(stored).not.toHaveProperty('subject');
  });

  it('answers 409 for a key that exists', async () => {
    await t.api.post('/v1/templates', { ...welcome, key: 'dup' });
    const again = await t.api.post('/v1/templates', { ...welcome, key: 'dup' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('template_exists');
  });

  it('refuses to delete or retype a template a live journey sends, naming the journey', async () => {
    await createChannelAndTemplate(t.api, 'note_hook', 'used_note');
    const id = await createJourney(t.api, messageJourney('note_hook', 'used_note'), 'Notes');
    await publishJourney(t.api, id);
    const refused = await t.api.delete('/v1/templates/used_note');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('in_use');
    expect(refused.body.error.issues[0].path).toEqual(['journeys', id]);
    const retyped = await t.api.put('/v1/templates/used_note', {
      channelType: 'sms',
      name: 'Now SMS',
      body: 'Hi',
    });
    expect(retyped.status).toBe(409);
    // Its wording may change while it is live.
    const reworded = await t.api.put('/v1/templates/used_note', {
      channelType: 'webhook',
      name: 'Reworded',
      body: 'Hello again',
    });
    expect(reworded.status).toBe(200);
  });

  it('keeps workspaces apart', async () => {
    await t.api.post('/v1/templates', { ...welcome, key: 'mine' });
    const other = await testWorkspace(t.stack);
    expect((await other.get('/v1/templates/mine')).status).toBe(404);
    expect((await other.get('/v1/templates')).body.templates).toEqual([]);
  });
});
