/**
 * Runs up to `limit` tasks at once, except that a task about a person (a key) of a task still
 * running waits for it: batches of rows go to the database concurrently, yet a later row about
 * the same person is always applied after an earlier one, so its traits win.
 */
export class PersonOrderedQueue {
  private readonly running = new Map<Promise<void>, Set<string>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  /** Starts `task` once it may run; resolves when there is room for the next one. */
  async push(keys: Set<string>, task: () => Promise<void>): Promise<void> {
    const conflicts = [...this.running]
      .filter(([, running]) => [...keys].some((key) => running.has(key)))
      .map(([work]) => work);
    await Promise.all(conflicts);
    this.throwIfFailed();
    const work: Promise<void> = task()
      .catch((error: unknown) => void (this.failure ??= { error }))
      .finally(() => this.running.delete(work));
    this.running.set(work, keys);
    while (this.running.size >= this.limit) await Promise.race(this.running.keys());
    this.throwIfFailed();
  }

  /** Waits for every task; throws the first failure, if any. */
  async drain(): Promise<void> {
    await Promise.all(this.running.keys());
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
