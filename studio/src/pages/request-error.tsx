import { Alert } from '@mantine/core';
import { ApiError } from '../api/client.js';

export function RequestError({ title, error }: { title: string; error: Error }) {
  const code = error instanceof ApiError ? error.code : null;
  return (
    <Alert color="red" title={title} role="alert">
      {error.message}
      {code !== null && <> ({code})</>}
    </Alert>
  );
}
