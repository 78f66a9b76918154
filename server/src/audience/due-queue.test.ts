import { audienceCollections } from '@junction/core/store';

import { startStack, type TestStack } from '../../../test/harness.js';
import { newId } from '../workspaces/credentials.js';
import { DUE_SHARDS, DueQueue, dueShard, dueSlot, lastSlotAt, SLOT_MS } from './due-queue.js';

describe('due slots', () => {
  it('rounds a due time up to its slot, so nobody is evaluated before they are due', () => {
    const slot = Date.UTC(2025, 2, 10, 12, 5);
    expect(dueSlot(new Date(slot))).toBe(slot);
    expect(dueSlot(new Date(slot + 1))).toBe(slot + SLOT_MS);
    expect(dueSlot(new Date(slot - 1))).toBe(slot);
  });

  it('takes the last slot that has started as the end of a sweep', () => {
    const slot = Date.UTC(2025, 2, 10, 12, 5);
    expect(lastSlotAt(new Date(slot))).toBe(slot);
    expect(lastSlotAt(new Date(slot + SLOT_MS - 1))).toBe(slot);
  });

  it('spreads profiles over every shard, each always on the same one', () => {
    const shards = new Set(Array.from({ length: 500 }, (_, n) => dueShard(`prf_${n}`)));
    expect(shards.size).toBe(DUE_SHARDS);
    expect(dueShard('prf_42')).toBe(dueShard('prf_42'));
  });
});

async function slotDocs(queue: DueQueue, workspaceId: string, slot: number) {
  const docs = [];
  for await (const read of queue.slots(workspaceId, slot, slot)) docs.push(...read.docs);
  return docs;
}

describe('due queue', () => {
  let stack: TestStack;
  beforeAll(async () => (stack = await startStack()));
  afterAll(() => stack.close());

  it('keeps someone queued into a slot while it was being swept', async () => {
    const queue = new DueQueue(audienceCollections(stack.db).audienceDue);
    const workspaceId = newId('ws');
    const at = new Date('2026-12-03T10:02:00Z');
    await queue.enqueue(workspaceId, [{ profileId: 'prf_a', at }]);
    const slot = dueSlot(at);
    const docs = await slotDocs(queue, workspaceId, slot);
    expect(docs.flatMap((doc) => doc.profileIds)).toEqual(['prf_a']);

    // Queued after the sweep read the slot, into the same shard document.
    const sameShard = Array.from({ length: 200 }, (_, n) => `prf_${n}`).find(
      (id) => id !== 'prf_a' && dueShard(id) === dueShard('prf_a'),
    )!;
    await queue.enqueue(workspaceId, [{ profileId: sameShard, at }]);
    await queue.remove(
      docs.map((doc) => doc._id),
      ['prf_a'],
    );

    const left = await slotDocs(queue, workspaceId, slot);
    expect(left.flatMap((doc) => doc.profileIds)).toEqual([sameShard]);
    await queue.remove(
      left.map((doc) => doc._id),
      [sameShard],
    );
    const none = await slotDocs(queue, workspaceId, slot);
    expect(none).toEqual([]);
  });
});
