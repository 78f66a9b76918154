import type { Audience } from '../audience/index.js';

export type { AudienceTarget as BackfillTarget } from '../audience/index.js';

/** What the API uses of the audience runtime: publishing changes, backfills and settings. */
export type AudienceRuntime = Pick<Audience, 'state' | 'backfills'>;
