import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message as the webhook channel delivers it, stamped on arrival. */
export interface SinkMessage {
  journeyId: string;
  /** The rendered template body. */
  body: string;
  /** `performance.now()` when the request's body had arrived. */
  at: number;
}

export interface WebhookSink {
  url: string;
  /** Messages received per journey id. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

function parseMessage(raw: string, at: number): SinkMessage | undefined {
  try {
    const parsed = JSON.parse(raw) as { journey?: { id?: unknown }; body?: unknown };
    const journeyId = parsed.journey?.id;
    if (typeof journeyId !== 'string' || typeof parsed.body !== 'string') return undefined;
    return { journeyId, body: parsed.body, at };
  } catch {
    return undefined;
  }
}

/**
 * A local HTTP server standing in for a channel provider: answers every POST with 200 at once
 * and hands each webhook-channel message to `onMessage`; bodies it cannot read answer 400.
 */
export async function startWebhookSink(
  onMessage: (message: SinkMessage) => void = () => {},
): Promise<WebhookSink> {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const message = parseMessage(Buffer.concat(chunks).toString('utf8'), performance.now());
      if (!message) {
        res.writeHead(400).end();
        return;
      }
      counts.set(message.journeyId, (counts.get(message.journeyId) ?? 0) + 1);
      onMessage(message);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
