import { useEffect, useEffectEvent, useState } from 'react';

export type RequestState<T> =
  { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ready'; data: T };

const LOADING = { status: 'loading' } as const;

/**
 * Runs `load` whenever `key` changes and aborts the previous run, so a slow response for an
 * old key can never overwrite a newer one.
 */
export function useRequest<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): RequestState<T> {
  const [state, setState] = useState<{ key: string; value: RequestState<T> }>({
    key,
    value: LOADING,
  });
  const run = useEffectEvent(load);

  useEffect(() => {
    const controller = new AbortController();
    run(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, value: { status: 'ready', data } });
      },
      (cause: unknown) => {
        if (controller.signal.aborted) return;
        const error = cause instanceof Error ? cause : new Error(String(cause));
        setState({ key, value: { status: 'error', error } });
      },
    );
    return () => controller.abort();
  }, [key]);

  // A stale result for a previous key reads as loading until the new one lands.
  return state.key === key ? state.value : LOADING;
}
