import { Badge } from '@mantine/core';
import type { JourneyStatus } from '../api/types.js';

const STATUS_COLOR: Record<JourneyStatus, string> = {
  draft: 'gray',
  live: 'green',
  paused: 'yellow',
  stopped: 'red',
};

export function StatusBadge({ status }: { status: JourneyStatus }) {
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light" data-status={status}>
      {status}
    </Badge>
  );
}
