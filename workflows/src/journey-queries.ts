import { defineQuery } from '@temporalio/workflow';

export interface JourneyPosition {
  nodeId: string;
  nodeType: string;
  /** Epoch milliseconds when the person reached the node. */
  since: number;
}

/** Where a person is in their journey run right now. */
export const currentPositionQuery = defineQuery<JourneyPosition | null>('currentPosition');
