// Views are addressed by the URL hash, so reloads and the browser's back button keep the place.
export type Route = { view: 'sessions' } | { view: 'run' } | { view: 'session'; id: number };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === 'run') return { view: 'run' };
  const match = /^sessions\/(\d+)$/.exec(path);
  if (match) {
    const id = Number(match[1]);
    if (Number.isSafeInteger(id) && id > 0) return { view: 'session', id };
  }
  return { view: 'sessions' };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'run':
      return '#/run';
    case 'session':
      return `#/sessions/${route.id}`;
    default:
      return '#/sessions';
  }
}
