import type { Duration, EntryTrigger, JourneyEdge, JourneyNode } from '@junction/core';

const UNIT_SINGULAR: Record<Duration['unit'], string> = {
  seconds: 'second',
  minutes: 'minute',
  hours: 'hour',
  days: 'day',
  weeks: 'week',
};

export function describeDuration(duration: Duration): string {
  const unit = duration.amount === 1 ? UNIT_SINGULAR[duration.unit] : duration.unit;
  return `${duration.amount} ${unit}`;
}

export function describeWait(duration: Duration): string {
  return `Wait ${describeDuration(duration)}`;
}

/** The host is what tells marketers which system a webhook calls; the path is noise on a card. */
export function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function describeTrigger(trigger: EntryTrigger): string {
  switch (trigger.kind) {
    case 'event':
      return `When ${trigger.event} is tracked`;
    case 'segment':
      return `When someone ${trigger.on === 'exited' ? 'leaves' : 'enters'} ${trigger.segment}`;
    case 'schedule': {
      const who = trigger.segment ?? 'everyone';
      const when =
        trigger.timing.type === 'once'
          ? `once at ${trigger.timing.at}`
          : `at ${trigger.timing.time}`;
      return `${who}, ${when}${trigger.clock === 'person' ? ' local time' : ''}`;
    }
    case 'api':
      return 'When entered through the API';
  }
}

function describeDelay(node: Extract<JourneyNode, { type: 'delay' }>): string {
  if (node.duration) return describeWait(node.duration);
  if (node.until?.kind === 'date') return `Wait until ${node.until.at}`;
  if (node.until?.kind === 'local_time') {
    const days = node.until.weekdays ? ` on ${node.until.weekdays.join(', ')}` : '';
    return `Wait until ${node.until.time}${days}`;
  }
  return 'Wait';
}

/** The one line a node card shows under its title. */
export function describeNode(node: JourneyNode): string {
  switch (node.type) {
    case 'entry':
      return describeTrigger(node.trigger);
    case 'delay':
      return describeDelay(node);
    case 'wait_for_event':
      return `Wait up to ${describeDuration(node.timeout)} for ${node.event}`;
    case 'condition':
      return 'Yes / no on a condition';
    case 'multi_split':
      return `${node.branches.length} branches, then else`;
    case 'ab_split': {
      const weights = node.variants.map((variant) => `${variant.weight}%`).join(' / ');
      return node.holdoutPercent > 0 ? `${weights}, ${node.holdoutPercent}% held out` : weights;
    }
    case 'message':
      return `${node.template} via ${node.channel}`;
    case 'update_profile':
      return `Set ${Object.keys(node.set).join(', ')}`;
    case 'webhook':
      return `${node.method} ${urlHost(node.url)}`;
    case 'goal':
      return `Converts on ${node.event}`;
    case 'jump':
      return `Go to journey ${node.journeyId}`;
    case 'exit':
      return '';
  }
}

/** The label of an edge leaving a branching node: the branch's name, weight or outcome. */
export function describeBranch(
  source: JourneyNode | undefined,
  edge: JourneyEdge,
): string | undefined {
  if (!source || edge.branch === undefined) return undefined;
  switch (source.type) {
    case 'multi_split': {
      const branch = source.branches.find((candidate) => candidate.id === edge.branch);
      return branch?.label ?? edge.branch;
    }
    case 'ab_split': {
      const variant = source.variants.find((candidate) => candidate.id === edge.branch);
      return variant ? `${variant.label ?? variant.id} · ${variant.weight}%` : edge.branch;
    }
    default:
      return edge.branch;
  }
}
