import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { ApiProvider } from './api/api-context.js';
import { createApiClient } from './api/client.js';
import { clearApiKey, saveApiKey } from './auth/api-key-store.js';
import { SignInPage } from './auth/sign-in-page.js';
import { JourneysPage } from './pages/journeys-page.js';
import { PageLoader } from './pages/page-loader.js';
import { useRoute } from './routing/use-route.js';
import { StudioShell } from './studio-shell.js';

const REJECTED_KEY_NOTICE = 'That API key was not accepted. Check it and sign in again.';

// React Flow is only needed on the journey page, so it stays out of the first download.
const JourneyPage = lazy(() =>
  import('./pages/journey-page.js').then((module) => ({ default: module.JourneyPage })),
);

interface AppProps {
  initialApiKey: string | null;
  initialNotice: string | null;
}

function Routes() {
  const route = useRoute();
  switch (route.name) {
    case 'journeys':
      return <JourneysPage />;
    case 'journey':
      return <JourneyPage key={route.journeyId} journeyId={route.journeyId} />;
  }
}

export function App({ initialApiKey, initialNotice }: AppProps) {
  const [apiKey, setApiKey] = useState(initialApiKey);
  const [notice, setNotice] = useState(initialNotice);

  const signIn = useCallback((key: string) => {
    saveApiKey(key);
    setNotice(null);
    setApiKey(key);
  }, []);

  const signOut = useCallback((reason: string | null) => {
    clearApiKey();
    setNotice(reason);
    setApiKey(null);
  }, []);

  const client = useMemo(
    () =>
      apiKey === null
        ? null
        : createApiClient({ apiKey, onUnauthorized: () => signOut(REJECTED_KEY_NOTICE) }),
    [apiKey, signOut],
  );

  if (client === null) return <SignInPage notice={notice} onSignIn={signIn} />;
  return (
    <ApiProvider client={client}>
      <StudioShell onSignOut={() => signOut(null)}>
        <Suspense fallback={<PageLoader label="Loading page" />}>
          <Routes />
        </Suspense>
      </StudioShell>
    </ApiProvider>
  );
}
