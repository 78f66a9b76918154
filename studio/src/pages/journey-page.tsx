import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import type { JourneyDetail } from '../api/types.js';
import { useRequest } from '../api/use-request.js';
import { routeHref } from '../routing/routes.js';
import { JourneyCanvas } from './journey-canvas.js';
import { PageLoader } from './page-loader.js';
import { RequestError } from './request-error.js';
import { StatusBadge } from './status-badge.js';
import { VersionPicker, type VersionChoice } from './version-picker.js';

function PublishedVersionCanvas({ journeyId, version }: { journeyId: string; version: number }) {
  const api = useApi();
  const request = useRequest(`${journeyId}@${version}`, (signal) =>
    api.getJourneyVersion(journeyId, version, signal),
  );
  if (request.status === 'loading') return <PageLoader label={`Loading version ${version}`} />;
  if (request.status === 'error') {
    return <RequestError title={`Could not load version ${version}`} error={request.error} />;
  }
  return <JourneyCanvas key={version} definition={request.data.definition} />;
}

/** The live version when there is one the server actually listed, else the draft. */
function defaultChoice({ journey, versions }: JourneyDetail): VersionChoice {
  const live = journey.liveVersion;
  return live !== null && versions.some((version) => version.version === live) ? live : 'draft';
}

function JourneyView({ detail }: { detail: JourneyDetail }) {
  const { journey, versions } = detail;
  const [choice, setChoice] = useState<VersionChoice>(() => defaultChoice(detail));
  const selected = versions.find((version) => version.version === choice);

  return (
    <Stack gap="md" className="journey-page">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Anchor href={routeHref({ name: 'journeys' })} size="sm">
            ← All journeys
          </Anchor>
          <Group gap="sm">
            <Title order={1} size="h2">
              {journey.name}
            </Title>
            <StatusBadge status={journey.status} />
          </Group>
        </Stack>
        <VersionPicker
          versions={versions}
          liveVersion={journey.liveVersion}
          value={choice}
          onChange={setChoice}
        />
      </Group>
      {selected?.notes ? (
        <Text size="sm" c="dimmed">
          {selected.notes}
        </Text>
      ) : null}
      {choice === 'draft' ? (
        <JourneyCanvas key="draft" definition={journey.draft} />
      ) : (
        <PublishedVersionCanvas journeyId={journey.id} version={choice} />
      )}
    </Stack>
  );
}

export function JourneyPage({ journeyId }: { journeyId: string }) {
  const api = useApi();
  const request = useRequest(journeyId, (signal) => api.getJourney(journeyId, signal));

  if (request.status === 'loading') return <PageLoader label="Loading journey" />;
  if (request.status === 'error') {
    return <RequestError title="Could not load journey" error={request.error} />;
  }
  return <JourneyView key={journeyId} detail={request.data} />;
}
