export type Route = { name: 'journeys' } | { name: 'journey'; journeyId: string };

const JOURNEY_PATH = /^#\/journeys\/([^/?#]+)\/?$/;

/** Routes live in the hash so the API server only has to serve one index.html for /studio/. */
export function parseRoute(hash: string): Route {
  const match = JOURNEY_PATH.exec(hash);
  if (match?.[1] !== undefined) {
    try {
      return { name: 'journey', journeyId: decodeURIComponent(match[1]) };
    } catch {
      return { name: 'journeys' };
    }
  }
  return { name: 'journeys' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'journeys':
      return '#/';
    case 'journey':
      return `#/journeys/${encodeURIComponent(route.journeyId)}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route).slice(1);
}
