import http from 'node:http';

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** A keep-alive HTTP client for one server, with at most `sockets` connections. */
export function jsonClient(baseUrl: string, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const base = new URL(baseUrl);

  const post = (path: string, body: Buffer, headers: Record<string, string> = {}) =>
    new Promise<JsonResponse>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: text });
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  return { post, close: () => agent.destroy() };
}

export function basicAuth(username: string): string {
  return `Basic ${Buffer.from(`${username}:`).toString('base64')}`;
}
