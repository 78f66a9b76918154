import '@mantine/core/styles.css';
import '@xyflow/react/dist/style.css';
import './nodes/nodes.css';
import './studio.css';

import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { loadApiKey, takeApiKeyFromFragment } from './auth/api-key-store.js';

// Read the fragment before the first render so the key leaves the address bar immediately.
const fromFragment = takeApiKeyFromFragment();
const initialApiKey = fromFragment.kind === 'accepted' ? fromFragment.apiKey : loadApiKey();
const initialNotice =
  fromFragment.kind === 'rejected'
    ? 'The link held an API key that does not start with jk_.'
    : null;

const root = document.getElementById('root');
if (root === null) throw new Error('index.html is missing #root');

createRoot(root).render(
  <StrictMode>
    <MantineProvider defaultColorScheme="light">
      <App initialApiKey={initialApiKey} initialNotice={initialNotice} />
    </MantineProvider>
  </StrictMode>,
);
