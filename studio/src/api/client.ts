import type { ApiIssue, JourneyDetail, JourneySummary, JourneyVersion } from './types.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error: { code: string; message: string; issues?: ApiIssue[] };
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/** Builds an ApiError from a failed response, tolerating bodies that are not the JSON envelope. */
function apiErrorFromBody(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    return new ApiError(status, body.error.code, body.error.message, body.error.issues ?? []);
  }
  return new ApiError(status, `http_${status}`, `Request failed with status ${status}`);
}

export interface ApiClientOptions {
  apiKey: string;
  /** Called on any 401 so the app can drop the key and return to sign-in. */
  onUnauthorized: (error: ApiError) => void;
  baseUrl?: string;
}

export interface ApiClient {
  listJourneys(signal?: AbortSignal): Promise<JourneySummary[]>;
  getJourney(id: string, signal?: AbortSignal): Promise<JourneyDetail>;
  getJourneyVersion(id: string, version: number, signal?: AbortSignal): Promise<JourneyVersion>;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? '';

  // Callers trust the server to honour the contract; responses are not schema-checked here.
  async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' },
        signal: signal ?? null,
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError(0, 'network_error', 'Could not reach the Junction API');
    }
    const body = await readJson(response);
    if (!response.ok) {
      const error = apiErrorFromBody(response.status, body);
      if (response.status === 401) options.onUnauthorized(error);
      throw error;
    }
    return body as T;
  }

  const journeyPath = (id: string): string => `/v1/journeys/${encodeURIComponent(id)}`;

  return {
    async listJourneys(signal) {
      const body = await get<{ journeys: JourneySummary[] }>('/v1/journeys', signal);
      return body.journeys;
    },
    getJourney(id, signal) {
      return get<JourneyDetail>(journeyPath(id), signal);
    },
    getJourneyVersion(id, version, signal) {
      return get<JourneyVersion>(`${journeyPath(id)}/versions/${version}`, signal);
    },
  };
}
