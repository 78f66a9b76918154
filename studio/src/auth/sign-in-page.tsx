import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { isApiKey } from './api-key-store.js';

interface SignInPageProps {
  notice: string | null;
  onSignIn: (apiKey: string) => void;
}

export function SignInPage({ notice, onSignIn }: SignInPageProps) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const apiKey = value.trim();
    if (!isApiKey(apiKey)) {
      setError('Workspace API keys start with jk_');
      return;
    }
    onSignIn(apiKey);
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={440}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <Title order={1} size="h2">
              Junction Studio
            </Title>
            <Text size="sm" c="dimmed">
              Paste a workspace API key to sign in. It is kept only for this browser tab.
            </Text>
            {notice !== null && (
              <Alert color="yellow" role="alert" data-testid="sign-in-notice">
                {notice}
              </Alert>
            )}
            <PasswordInput
              label="Workspace API key"
              placeholder="jk_…"
              value={value}
              onChange={(event) => {
                setValue(event.currentTarget.value);
                setError(null);
              }}
              error={error}
              autoComplete="off"
              spellCheck={false}
              required
              data-testid="api-key-input"
            />
            <Button type="submit" data-testid="sign-in">
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
