import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; quiet by default in tests, `LOG_LEVEL` overrides. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'junction-server' },
    redact: {
      paths: ['req.headers.authorization', '*.writeKey', '*.apiKey'],
      censor: '[redacted]',
    },
  });
}
