// Builders and API helpers shared by the journey API tests.
import type { JourneyDefinitionInput } from '@junction/core';

import type { TestWorkspace } from '../audience-api/test-workspace.js';

export type NodeInput = JourneyDefinitionInput['nodes'][number];

/** entry → wait (`minutes`) → exit: the smallest journey that publishes. */
export function welcomeJourney(minutes = 5): JourneyDefinitionInput {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
      { id: 'wait', type: 'delay', duration: { amount: minutes, unit: 'minutes' } },
      { id: 'exit', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'wait' },
      { id: 'e2', source: 'wait', target: 'exit' },
    ],
  };
}

/** entry → send `template` through `channel` → exit. */
export function messageJourney(channel: string, template: string): JourneyDefinitionInput {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'event', event: 'Signed Up' } },
      { id: 'send', type: 'message', channel, template },
      { id: 'exit', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'send' },
      { id: 'e2', source: 'send', target: 'exit' },
    ],
  };
}

export async function createJourney(
  api: TestWorkspace,
  draft: JourneyDefinitionInput = welcomeJourney(),
  name = 'Welcome',
): Promise<string> {
  const response = await api.post('/v1/journeys', { name, draft });
  if (response.status !== 201) throw new Error(`journey refused: ${response.text}`);
  return (response.body as { journey: { id: string } }).journey.id;
}

/** Publishes the draft and returns the new version number. */
export async function publishJourney(
  api: TestWorkspace,
  id: string,
  body: object = {},
): Promise<number> {
  const response = await api.post(`/v1/journeys/${id}/publish`, body);
  if (response.status !== 201) throw new Error(`publish refused: ${response.text}`);
  return (response.body as { version: { version: number } }).version.version;
}

export async function saveDraft(
  api: TestWorkspace,
  id: string,
  draft: JourneyDefinitionInput,
): Promise<void> {
  const response = await api.put(`/v1/journeys/${id}/draft`, { draft });
  if (response.status !== 200) throw new Error(`draft refused: ${response.text}`);
}

/** A webhook channel and a webhook template under the given keys. */
export async function createChannelAndTemplate(
  api: TestWorkspace,
  channel = 'ops_hook',
  template = 'welcome_note',
): Promise<void> {
  const created = await api.post('/v1/channels', {
    key: channel,
    type: 'webhook',
    name: 'Ops hook',
    config: { url: 'https://hooks.example.com/junction' },
  });
  if (created.status !== 201) throw new Error(`channel refused: ${created.text}`);
  const saved = await api.post('/v1/templates', {
    key: template,
    channelType: 'webhook',
    name: 'Welcome note',
    body: 'Hello {{ profile.first_name | default: "there" }}',
  });
  if (saved.status !== 201) throw new Error(`template refused: ${saved.text}`);
}
