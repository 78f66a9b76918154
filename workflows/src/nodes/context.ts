import type { JourneyRunInput } from '@junction/core';

/** What a node handler may read about the run it belongs to. */
export interface NodeContext {
  input: JourneyRunInput;
}
