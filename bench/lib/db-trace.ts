import type {
  CommandFailedEvent,
  CommandStartedEvent,
  CommandSucceededEvent,
  MongoClient,
} from 'mongodb';

export interface CommandStats {
  command: string;
  collection: string;
  calls: number;
  totalMs: number;
}

/** Commands that name their collection under another key than the command itself. */
const COLLECTION_KEY: Record<string, string> = { getMore: 'collection' };

/**
 * Counts the commands a client (created with `monitorCommands: true`) sends while `active`,
 * with their round-trip time as the driver sees it (queueing in the server included).
 */
export function traceCommands(client: MongoClient) {
  const stats = new Map<string, CommandStats>();
  const pending = new Map<number, string>();
  let active = false;

  client.on('commandStarted', (event: CommandStartedEvent) => {
    if (!active) return;
    const key = COLLECTION_KEY[event.commandName] ?? event.commandName;
    const target: unknown = event.command[key];
    const collection = typeof target === 'string' ? target : '-';
    const id = `${event.commandName} ${collection}`;
    pending.set(event.requestId, id);
    if (!stats.has(id))
      stats.set(id, { command: event.commandName, collection, calls: 0, totalMs: 0 });
  });
  const finished = (event: CommandSucceededEvent | CommandFailedEvent) => {
    const id = pending.get(event.requestId);
    if (id === undefined) return;
    pending.delete(event.requestId);
    const entry = stats.get(id)!;
    entry.calls += 1;
    entry.totalMs += event.duration;
  };
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);

  return {
    start: () => (active = true),
    stop: () => (active = false),
    results: (): CommandStats[] => [...stats.values()].sort((a, b) => b.totalMs - a.totalMs),
  };
}
