import request from 'supertest';

import type { JourneyDefinitionInput, JourneyNode } from '@junction/core';
import { journeyCollections, type StepRecord } from '@junction/core/store';
import { createWorkspace, type NewWorkspace } from '@junction/server';
import type { NodeStats } from '@junction/server/journeys';

import { basicAuth, eventually, type TestStack } from './harness.js';

/** Per-node counts as `GET /v1/journeys/:id/stats` answers them. */
export type NodeCounts = NodeStats;

/** A run as the reports API shows it, with its trace when asked for one. */
export interface RunView {
  runId: string;
  journeyId: string;
  profileId: string;
  status: 'active' | 'finished';
  nodeId: string;
  exitReason: string | null;
  steps?: StepRecord[];
}

/** A webhook node posting to `url`, followed by the exit `done`. */
export function notifyThenExit(url: string): JourneyNode[] {
  return [
    { id: 'notify', type: 'webhook', url, method: 'POST' },
    { id: 'done', type: 'exit' },
  ];
}

/** Edges `a → b → c ...`, one way out each. */
export function chain(...ids: string[]): JourneyDefinitionInput['edges'] {
  return ids.slice(1).map((target, index) => {
    const source = ids[index]!;
    return { id: `${source}-${target}`, source, target };
  });
}

/** A trace as readable lines, `node:outcome` or `node:outcome/why`, e.g. `wait:passed/event`. */
export function pathOf(run: RunView): string[] {
  return (run.steps ?? []).map(({ nodeId, outcome, branch, reason }) => {
    const why = branch ?? reason;
    return why === undefined ? `${nodeId}:${outcome}` : `${nodeId}:${outcome}/${why}`;
  });
}

/**
 * A fresh workspace on the stack's API, with its tracking, journey and report calls: each
 * scenario gets its own, so one scenario's journeys never hear another's events.
 */
export async function journeyWorkspace(stack: TestStack, name: string): Promise<JourneyWorkspace> {
  return new JourneyWorkspace(stack, await createWorkspace(stack.store, name));
}

export class JourneyWorkspace {
  constructor(
    private readonly stack: TestStack,
    readonly keys: NewWorkspace,
  ) {}

  /** Creates a journey with `draft` and publishes it; returns its id. */
  async publish(name: string, draft: JourneyDefinitionInput): Promise<string> {
    const created = await this.manage('post', '/v1/journeys').send({ name, draft });
    if (created.status !== 201) throw new Error(`create journey: ${created.text}`);
    const id = (created.body as { journey: { id: string } }).journey.id;
    const published = await this.manage('post', `/v1/journeys/${id}/publish`).send({});
    if (published.status !== 201) throw new Error(`publish journey: ${published.text}`);
    return id;
  }

  async createSegment(segment: object): Promise<void> {
    const response = await this.manage('post', '/v1/segments').send(segment);
    if (response.status !== 201) throw new Error(`create segment: ${response.text}`);
  }

  track(userId: string, event: string, properties: Record<string, unknown> = {}) {
    return this.collect('/v1/track', { userId, event, properties });
  }

  identify(userId: string, traits: Record<string, unknown>) {
    return this.collect('/v1/identify', { userId, traits });
  }

  async profileIdOf(userId: string): Promise<string> {
    const identity = await this.stack.store.identities.findOne({
      _id: `${this.keys.workspaceId}:user_id:${userId}`,
    });
    if (!identity) throw new Error(`no profile for user ${userId}`);
    return identity.profileId;
  }

  /** Per-node counts over every version, by node id. */
  async stats(journeyId: string): Promise<Record<string, NodeCounts>> {
    const { nodes } = await this.read<{ nodes: NodeCounts[] }>(`/v1/journeys/${journeyId}/stats`);
    return Object.fromEntries(nodes.map((node) => [node.nodeId, node]));
  }

  async runsAt(journeyId: string, query: Record<string, string> = {}): Promise<RunView[]> {
    return (await this.read<{ runs: RunView[] }>(`/v1/journeys/${journeyId}/runs`, query)).runs;
  }

  /** A person's runs with their traces, newest first. */
  async runsOf(profileId: string): Promise<RunView[]> {
    return (await this.read<{ runs: RunView[] }>(`/v1/profiles/${profileId}/journeys`)).runs;
  }

  /** Waits until the person's run of the journey is active at `nodeId`, waiting there. */
  waitingAt(journeyId: string, profileId: string, nodeId: string): Promise<RunView> {
    return eventually(
      async () => {
        const runs = await this.runsAt(journeyId, { nodeId, status: 'active' });
        return runs.find((run) => run.profileId === profileId);
      },
      30_000,
      `the run to wait at ${nodeId}`,
    );
  }

  /** Waits until the person's run of the journey has finished; returns it with its trace. */
  finished(journeyId: string, profileId: string): Promise<RunView> {
    return eventually(
      async () => {
        const runs = await this.runsOf(profileId);
        return runs.find((run) => run.journeyId === journeyId && run.status === 'finished');
      },
      30_000,
      'the run to finish',
    );
  }

  conversions(journeyId: string) {
    return journeyCollections(this.stack.db).conversions.find({ journeyId }).toArray();
  }

  private manage(method: 'get' | 'post', path: string) {
    return request(this.stack.app)[method](path).set('Authorization', `Bearer ${this.keys.apiKey}`);
  }

  private async read<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const response = await this.manage('get', path).query(query);
    if (response.status !== 200)
      throw new Error(`GET ${path}: ${response.status} ${response.text}`);
    return response.body as T;
  }

  private async collect(path: string, body: object): Promise<{ status: string }> {
    const response = await request(this.stack.app)
      .post(path)
      .set('Authorization', basicAuth(this.keys.writeKey))
      .send(body);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.body as { status: string };
  }
}
