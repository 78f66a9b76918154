// Types for services.mjs, so TypeScript tests and benches use the same service starters.
export interface ServiceHandle {
  name: string;
  logFile: string;
  stop(graceMs?: number): Promise<void>;
}

export function freePort(): Promise<number>;
export function portOpen(port: number, host?: string): Promise<boolean>;

export function startFerretdb(options: {
  bin: string;
  port: number;
  dataDir: string;
  logFile: string;
}): Promise<ServiceHandle & { url: string }>;

export function startTemporal(options: {
  bin: string;
  port: number;
  httpPort: number;
  uiPort?: number;
  dbFile: string;
  logFile: string;
}): Promise<ServiceHandle & { address: string }>;
