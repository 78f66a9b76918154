import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useApi } from '../api/api-context.js';
import type { JourneySummary } from '../api/types.js';
import { useRequest } from '../api/use-request.js';
import { formatTimestamp } from '../format/format-time.js';
import { navigate, routeHref } from '../routing/routes.js';
import { PageLoader } from './page-loader.js';
import { RequestError } from './request-error.js';
import { StatusBadge } from './status-badge.js';

function JourneyRow({ journey }: { journey: JourneySummary }) {
  const open = () => navigate({ name: 'journey', journeyId: journey.id });
  const onClick = (event: MouseEvent<HTMLTableRowElement>) => {
    // The name link navigates by itself (and honours ctrl/cmd-click for a new tab).
    if (event.target instanceof Element && event.target.closest('a') !== null) return;
    open();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) open();
  };
  return (
    <Table.Tr
      data-testid="journey-row"
      data-journey-id={journey.id}
      tabIndex={0}
      onClick={onClick}
      onKeyDown={onKeyDown}
      style={{ cursor: 'pointer' }}
    >
      <Table.Td>
        {/* Out of the tab order because the row itself is the keyboard target. */}
        <Anchor href={routeHref({ name: 'journey', journeyId: journey.id })} tabIndex={-1}>
          {journey.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={journey.status} />
      </Table.Td>
      <Table.Td>{journey.liveVersion === null ? '—' : `v${journey.liveVersion}`}</Table.Td>
      <Table.Td>
        <time dateTime={journey.updatedAt}>{formatTimestamp(journey.updatedAt)}</time>
      </Table.Td>
    </Table.Tr>
  );
}

function JourneysTable({ journeys }: { journeys: JourneySummary[] }) {
  if (journeys.length === 0) {
    return (
      <Text c="dimmed" data-testid="journeys-empty">
        No journeys yet. Create one through the API and it will show up here.
      </Text>
    );
  }
  return (
    <Table highlightOnHover data-testid="journeys-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Name</Table.Th>
          <Table.Th scope="col">Status</Table.Th>
          <Table.Th scope="col">Live version</Table.Th>
          <Table.Th scope="col">Updated</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {journeys.map((journey) => (
          <JourneyRow key={journey.id} journey={journey} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function JourneysPage() {
  const api = useApi();
  const request = useRequest('journeys', (signal) => api.listJourneys(signal));

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Journeys
      </Title>
      {request.status === 'loading' && <PageLoader label="Loading journeys" />}
      {request.status === 'error' && (
        <RequestError title="Could not load journeys" error={request.error} />
      )}
      {request.status === 'ready' && <JourneysTable journeys={request.data} />}
    </Stack>
  );
}
