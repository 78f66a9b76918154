import { NativeSelect } from '@mantine/core';
import type { JourneyVersionSummary } from '../api/types.js';
import { formatTimestamp } from '../format/format-time.js';

export type VersionChoice = number | 'draft';

interface VersionPickerProps {
  versions: JourneyVersionSummary[];
  liveVersion: number | null;
  value: VersionChoice;
  onChange: (choice: VersionChoice) => void;
}

function versionLabel(version: JourneyVersionSummary, liveVersion: number | null): string {
  const live = version.version === liveVersion ? ' (live)' : '';
  return `Version ${version.version}${live} · ${formatTimestamp(version.publishedAt)}`;
}

export function VersionPicker({ versions, liveVersion, value, onChange }: VersionPickerProps) {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const data = [
    { value: 'draft', label: 'Draft' },
    ...newestFirst.map((version) => ({
      value: String(version.version),
      label: versionLabel(version, liveVersion),
    })),
  ];

  return (
    <NativeSelect
      label="Version"
      data={data}
      value={String(value)}
      onChange={(event) => {
        const raw = event.currentTarget.value;
        onChange(raw === 'draft' ? 'draft' : Number(raw));
      }}
      data-testid="version-picker"
      w={280}
    />
  );
}
