import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface JourneyPosition {
  nodeId: string;
  nodeType: string;
  version: number;
  /** Epoch milliseconds when the person reached the node. */
  since: number;
}

/** Where a person is in their journey run right now. */
export const currentPositionQuery = defineQuery<JourneyPosition | null>('currentPosition');

/**
 * An event of the person's that a run may be listening for (a wait, a goal, an exit criterion),
 * routed by ingestion. `eventId` is the stored id, so a redelivered signal is ignored.
 */
export interface JourneyEventSignal {
  v: 1;
  eventId: string;
  event: string;
  /** Decoded properties (`decodeObject`), as property filters read them. */
  properties: Record<string, unknown>;
  /** ISO instant of the event. */
  timestamp: string;
}
export const journeyEventSignal = defineSignal<[JourneyEventSignal]>('journeyEvent');

/**
 * The journey was paused (runs hold before their next node), resumed, or stopped (runs end at
 * once, wherever they wait).
 */
export interface JourneyControlSignal {
  v: 1;
  action: 'pause' | 'resume' | 'stop';
}
export const journeyControlSignal = defineSignal<[JourneyControlSignal]>('journeyControl');

/**
 * Move this run to `toVersion` at its next node: the run continues from the node with the same
 * id in the new version; when the new version has no such node, it stays where it is.
 */
export interface JourneyMigrateSignal {
  v: 1;
  toVersion: number;
}
export const journeyMigrateSignal = defineSignal<[JourneyMigrateSignal]>('journeyMigrate');
