import { Center, Loader } from '@mantine/core';

export function PageLoader({ label }: { label: string }) {
  return (
    <Center py="xl">
      <Loader role="status" aria-label={label} />
    </Center>
  );
}
