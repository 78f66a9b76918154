import { PersonOrderedQueue } from './person-ordered-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PersonOrderedQueue', () => {
  it('runs batches of different people together and holds one about a person still running', async () => {
    const queue = new PersonOrderedQueue(3);
    const started: string[] = [];
    const first = deferred();
    await queue.push(new Set(['email:a']), async () => {
      started.push('first');
      await first.promise;
    });
    await queue.push(new Set(['email:b']), () =>
      Promise.resolve(void started.push('other person')),
    );
    const third = queue.push(new Set(['email:a', 'email:c']), () =>
      Promise.resolve(void started.push('same person')),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['first', 'other person']);
    first.resolve();
    await third;
    await queue.drain();
    expect(started).toEqual(['first', 'other person', 'same person']);
  });

  it('keeps at most the limit in flight and reports the first failure', async () => {
    const queue = new PersonOrderedQueue(2);
    let running = 0;
    let most = 0;
    const task =
      (fail = false) =>
      async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (fail) throw new Error('database down');
      };
    await queue.push(new Set(['1']), task());
    await queue.push(new Set(['2']), task(true));
    await expect(queue.push(new Set(['3']), task())).rejects.toThrow('database down');
    expect(most).toBeLessThanOrEqual(2);
  });
});
