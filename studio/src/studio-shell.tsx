import { Anchor, AppShell, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';
import { routeHref } from './routing/routes.js';

export function StudioShell({
  onSignOut,
  children,
}: {
  onSignOut: () => void;
  children: ReactNode;
}) {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Anchor href={routeHref({ name: 'journeys' })} fw={700} c="inherit" underline="never">
            Junction Studio
          </Anchor>
          <Button variant="subtle" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </Button>
        </Group>
      </AppShell.Header>
      <AppShell.Main className="studio-main">{children}</AppShell.Main>
    </AppShell>
  );
}
