import type { Duration } from '@junction/core';

const UNIT_SINGULAR: Record<Duration['unit'], string> = {
  seconds: 'second',
  minutes: 'minute',
  hours: 'hour',
  days: 'day',
};

export function describeWait(duration: Duration): string {
  const unit = duration.amount === 1 ? UNIT_SINGULAR[duration.unit] : duration.unit;
  return `Wait ${duration.amount} ${unit}`;
}

/** The host is what tells marketers which system a webhook calls; the path is noise on a card. */
export function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
