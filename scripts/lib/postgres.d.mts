// Types for postgres.mjs, so TypeScript tests start the same PostgreSQL as the scripts.
import type { ServiceHandle } from './services.mjs';

export function findPostgresBinDir(): string | null;

export function startPostgres(options: {
  dataDir: string;
  port: number;
  logFile?: string;
  binDir?: string | null;
  settings?: Record<string, string>;
}): Promise<ServiceHandle & { url: string }>;
