import { DUE_SHARDS, dueShard, dueSlot, lastSlotAt, SLOT_MS } from './due-queue.js';

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
