import type { ScheduleTrigger } from '@junction/core';
import { localWeekday, nextLocalTime } from '@junction/core';
import { journeyVersionDocId, type ProfileDoc } from '@junction/core/store';
import { entryTrigger } from '@junction/server/journeys';
import type { Filter } from 'mongodb';

import type { JourneyScheduleActivities, ScheduledPage } from '@junction/workflows';

import type { JourneyActivityDeps } from './journey-deps.js';
import { ownTimeZone } from './person.js';

// One page is one activity call; small enough to finish well inside its timeout.
const PAGE_SIZE = 200;

type ScheduleDeps = Pick<JourneyActivityDeps, 'db' | 'audience' | 'entries' | 'log'>;

/**
 * The activity behind a journey's schedule: enters one page of its audience. On the workspace
 * clock everybody enters at the fire time; on each person's clock the run waits (`notBefore`)
 * until the schedule's time on the person's own clock, and a person whose local weekday is not
 * on the schedule is skipped.
 */
export function createScheduleActivities(deps: ScheduleDeps): JourneyScheduleActivities {
  return {
    async enterScheduledPage({ workspaceId, journeyId, fireTime, after }) {
      const trigger = await liveScheduleTrigger(deps, workspaceId, journeyId);
      if (!trigger) return { considered: 0, entered: 0, refused: 0, next: null };
      const filter: Filter<ProfileDoc> = { workspaceId, mergedInto: { $exists: false } };
      if (trigger.segment) filter[`segments.${trigger.segment}`] = { $exists: true };
      if (after !== null) filter._id = { $gt: after };
      const people = await deps.db.profiles
        .find(filter, { projection: { _id: 1, traits: 1 } })
        .sort({ _id: 1 })
        .limit(PAGE_SIZE)
        .toArray();
      const page: ScheduledPage = { considered: people.length, entered: 0, refused: 0, next: null };
      const workspaceZone = await deps.audience.state.timeZone(workspaceId);
      for (const person of people) {
        const start = personStart(trigger, fireTime, ownTimeZone(person) ?? workspaceZone);
        if (start.at === 'skip') continue;
        const result = await deps.entries.enter({
          workspaceId,
          journeyId,
          profileId: person._id,
          entryId: `schedule:${fireTime}:${person._id}`,
          entry: {
            kind: 'schedule',
            at: fireTime,
            ...(start.at === 'later' ? { notBefore: start.notBefore } : {}),
          },
        });
        if (result.entered) page.entered++;
        else page.refused++;
      }
      page.next = people.length === PAGE_SIZE ? people.at(-1)!._id : null;
      return page;
    },
  };
}

async function liveScheduleTrigger(
  deps: ScheduleDeps,
  workspaceId: string,
  journeyId: string,
): Promise<ScheduleTrigger | null> {
  const journey = await deps.db.journeys.findOne(
    { _id: journeyId, workspaceId },
    { projection: { status: 1, liveVersion: 1 } },
  );
  if (journey?.status !== 'live' || journey.liveVersion === null) {
    deps.log.info({ workspaceId, journeyId }, 'scheduled journey not live; fire skipped');
    return null;
  }
  const version = await deps.db.journeyVersions.findOne({
    _id: journeyVersionDocId(journeyId, journey.liveVersion),
  });
  const trigger = version ? entryTrigger(version.definition) : null;
  return trigger?.kind === 'schedule' ? trigger : null;
}

/** A run that starts at once, at an instant (ISO), or a person the fire leaves out today. */
type PersonStart = { at: 'now' } | { at: 'later'; notBefore: string } | { at: 'skip' };

/** On the person's clock, a local weekday the schedule leaves out skips the person. */
function personStart(trigger: ScheduleTrigger, fireTime: string, timeZone: string): PersonStart {
  const { timing } = trigger;
  if (trigger.clock !== 'person' || timing.type !== 'recurring') return { at: 'now' };
  const at = nextLocalTime(new Date(Date.parse(fireTime) - 1), timing.time, timeZone);
  if (timing.weekdays && !timing.weekdays.includes(localWeekday(at, timeZone))) {
    return { at: 'skip' };
  }
  return { at: 'later', notBefore: at.toISOString() };
}
