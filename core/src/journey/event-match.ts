import type { EventSelector, PropertyFilter } from '../audience/condition.js';
import { readPath, testPredicate } from '../audience/predicate.js';
import type { JourneyDefinition } from './definition.js';
import type { EntryTrigger, ExitCriterion } from './entry.js';

/** The events segment membership changes emit; journeys enter and exit on them. */
export const SEGMENT_ENTERED = 'segment entered';
export const SEGMENT_EXITED = 'segment exited';

/** An event as journeys match it: its name and decoded properties. */
export interface MatchedEvent {
  event: string;
  properties?: Record<string, unknown> | undefined;
  /** ISO instant of the event; relative property filters are read at this time. */
  timestamp?: string | undefined;
}

function passes(where: PropertyFilter[] | undefined, event: MatchedEvent): boolean {
  if (!where || where.length === 0) return true;
  const parsed = event.timestamp ? Date.parse(event.timestamp) : NaN;
  const at = new Date(Number.isNaN(parsed) ? 0 : parsed);
  return where.every((filter) =>
    testPredicate(filter, readPath(event.properties, filter.property, false), at),
  );
}

/** Whether the event has the selector's name and passes every property filter. */
export function eventMatches(selector: EventSelector, event: MatchedEvent): boolean {
  return event.event === selector.event && passes(selector.where, event);
}

function isSegmentEvent(event: MatchedEvent, name: string, segment: string): boolean {
  return event.event === name && event.properties?.segment_key === segment;
}

/** Whether the event makes a person leave the journey under this exit criterion. */
export function exitCriterionMatches(criterion: ExitCriterion, event: MatchedEvent): boolean {
  if (criterion.kind === 'event') return eventMatches(criterion, event);
  return isSegmentEvent(event, SEGMENT_EXITED, criterion.segment);
}

/** Whether the event enters people through an event or segment trigger. */
export function triggerMatches(trigger: EntryTrigger, event: MatchedEvent): boolean {
  switch (trigger.kind) {
    case 'event':
      return eventMatches(trigger, event);
    case 'segment':
      return isSegmentEvent(
        event,
        trigger.on === 'entered' ? SEGMENT_ENTERED : SEGMENT_EXITED,
        trigger.segment,
      );
    case 'schedule':
    case 'api':
      return false;
  }
}

/** The event names a run of this version listens for while it runs (waits, goals, exits). */
export function listenedEvents(definition: JourneyDefinition): string[] {
  const names = new Set<string>();
  for (const node of definition.nodes) {
    if (node.type === 'wait_for_event' || node.type === 'goal') names.add(node.event);
  }
  for (const criterion of definition.settings.exitCriteria) {
    names.add(criterion.kind === 'event' ? criterion.event : SEGMENT_EXITED);
  }
  return [...names];
}
