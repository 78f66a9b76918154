import type { Db } from 'mongodb';

import type { JourneyDefinitionInput } from '@junction/core';
import { collections } from '@junction/core/store';
import { createWorkspace, type NewWorkspace } from '@junction/server';

import { basicAuth, jsonClient, type JsonResponse } from './http-client.js';

export const CHANNEL = 'bench_sink';
export const TEMPLATE = 'bench_note';
/** The event that enters people into the latency journey. */
export const PING_EVENT = 'Bench Ping';

/** entry (API) → update profile → message → 1 s delay → exit: the throughput journey. */
export function throughputJourney(delaySeconds: number): JourneyDefinitionInput {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'api' } },
      { id: 'mark', type: 'update_profile', set: { bench_stage: 'entered' } },
      { id: 'send', type: 'message', channel: CHANNEL, template: TEMPLATE },
      { id: 'wait', type: 'delay', duration: { amount: delaySeconds, unit: 'seconds' } },
      { id: 'exit', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'mark' },
      { id: 'e2', source: 'mark', target: 'send' },
      { id: 'e3', source: 'send', target: 'wait' },
      { id: 'e4', source: 'wait', target: 'exit' },
    ],
  };
}

/** entry on a `track` event → message → exit: the latency journey. */
export function pingJourney(): JourneyDefinitionInput {
  return {
    nodes: [
      { id: 'entry', type: 'entry', trigger: { kind: 'event', event: PING_EVENT } },
      { id: 'send', type: 'message', channel: CHANNEL, template: TEMPLATE },
      { id: 'exit', type: 'exit' },
    ],
    edges: [
      { id: 'e1', source: 'entry', target: 'send' },
      { id: 'e2', source: 'send', target: 'exit' },
    ],
  };
}

function expectStatus(response: JsonResponse, status: number, what: string): unknown {
  if (response.status !== status) {
    throw new Error(`${what}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export type BenchApi = Awaited<ReturnType<typeof benchApi>>;

/**
 * A workspace and a client for its API: management calls with the API key, tracking calls with
 * the write key, as the studio and an SDK would make them.
 */
export async function benchApi(db: Db, apiUrl: string, sockets: number) {
  const workspace: NewWorkspace = await createWorkspace(collections(db), 'Journeys bench');
  const client = jsonClient(apiUrl, sockets);
  const manage = { authorization: `Bearer ${workspace.apiKey}` };
  const tracking = { authorization: basicAuth(workspace.writeKey) };
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    client.post(path, Buffer.from(JSON.stringify(body)), headers);

  return {
    workspace,
    close: () => client.close(),
    /** The webhook channel to `sinkUrl` and the template every bench message uses. */
    async createChannel(sinkUrl: string): Promise<void> {
      const channel = {
        key: CHANNEL,
        type: 'webhook',
        name: 'Bench sink',
        config: { url: sinkUrl },
      };
      expectStatus(await post('/v1/channels', channel, manage), 201, 'channel');
      const template = {
        key: TEMPLATE,
        channelType: 'webhook',
        name: 'Bench note',
        // The ping's sequence number comes back in the message, to match it to its request.
        body: '{{ event.seq | default: "none" }}',
      };
      expectStatus(await post('/v1/templates', template, manage), 201, 'template');
    },
    /** Creates and publishes a journey; returns its id. */
    async publish(name: string, draft: JourneyDefinitionInput): Promise<string> {
      const created = expectStatus(await post('/v1/journeys', { name, draft }, manage), 201, name);
      const id = (created as { journey: { id: string } }).journey.id;
      expectStatus(await post(`/v1/journeys/${id}/publish`, {}, manage), 201, `publish ${name}`);
      return id;
    },
    /** Identifies `userIds` through `/v1/batch`, 100 a call; returns their profile ids. */
    async identify(userIds: string[]): Promise<string[]> {
      for (let start = 0; start < userIds.length; start += 100) {
        const batch = userIds
          .slice(start, start + 100)
          .map((userId) => ({ type: 'identify', userId, traits: { plan: 'bench' } }));
        expectStatus(await post('/v1/batch', { batch }, tracking), 200, 'identify batch');
      }
      const ids = userIds.map((userId) => `${workspace.workspaceId}:user_id:${userId}`);
      const found = await collections(db)
        .identities.find({ _id: { $in: ids } }, { projection: { profileId: 1 } })
        .toArray();
      const byId = new Map(found.map((identity) => [identity._id, identity.profileId]));
      return ids.map((id) => {
        const profileId = byId.get(id);
        if (!profileId) throw new Error(`no profile for identity ${id}`);
        return profileId;
      });
    },
    /** One Segment-spec `track` call; resolves with the HTTP status. */
    async track(userId: string, seq: number): Promise<number> {
      const event = { userId, event: PING_EVENT, messageId: `ping-${seq}`, properties: { seq } };
      return (await post('/v1/track', event, tracking)).status;
    },
  };
}
