// Views are addressed by the URL hash, so reloads and the browser's back button keep the place.
export type Route =
  | { view: 'sessions' }
  | { view: 'run' }
  | { view: 'session'; id: number }
  | { view: 'snapshot'; sessionId: number; snapshotId: number }
  | { view: 'compare'; sessionId: number; baseId: number; targetId: number; focus?: FocusGroup }
  /** The script with its allocation gutter; `line` is scrolled to and highlighted. */
  | { view: 'source'; sessionId: number; snapshotId: number | null; baseId: number | null; line: number | null };

/** A group (type at file:line) to select on opening, e.g. a leak suspect. */
export interface FocusGroup {
  type: string;
  filename: string;
  line: number;
}

function positiveId(text: string | undefined | null): number | null {
  if (text === undefined || text === null || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  if (path === 'run') return { view: 'run' };
  const parts = path.split('/');
  if (parts[0] !== 'sessions') return { view: 'sessions' };
  const sessionId = positiveId(parts[1]);
  if (sessionId === null) return { view: 'sessions' };
  if (parts.length === 2) return { view: 'session', id: sessionId };
  if (parts[2] === 'snapshots' && parts.length === 4) {
    const snapshotId = positiveId(parts[3]);
    if (snapshotId !== null) return { view: 'snapshot', sessionId, snapshotId };
  }
  if (parts[2] === 'compare' && parts.length === 5) {
    const baseId = positiveId(parts[3]);
    const targetId = positiveId(parts[4]);
    if (baseId !== null && targetId !== null) {
      const params = new URLSearchParams(query);
      const type = params.get('type');
      const filename = params.get('file');
      const line = params.get('line');
      if (type && filename && line !== null && /^\d+$/.test(line)) {
        return { view: 'compare', sessionId, baseId, targetId, focus: { type, filename, line: Number(line) } };
      }
      return { view: 'compare', sessionId, baseId, targetId };
    }
  }
  if (parts[2] === 'source' && parts.length === 3) {
    const params = new URLSearchParams(query);
    return {
      view: 'source',
      sessionId,
      snapshotId: positiveId(params.get('snapshot')),
      baseId: positiveId(params.get('base')),
      line: positiveId(params.get('line')),
    };
  }
  return { view: 'session', id: sessionId };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'run':
      return '#/run';
    case 'session':
      return `#/sessions/${route.id}`;
    case 'snapshot':
      return `#/sessions/${route.sessionId}/snapshots/${route.snapshotId}`;
    case 'compare': {
      const path = `#/sessions/${route.sessionId}/compare/${route.baseId}/${route.targetId}`;
      if (!route.focus) return path;
      const params = new URLSearchParams({ type: route.focus.type, file: route.focus.filename, line: String(route.focus.line) });
      return `${path}?${params.toString()}`;
    }
    case 'source': {
      const params = new URLSearchParams();
      if (route.snapshotId !== null) params.set('snapshot', String(route.snapshotId));
      if (route.baseId !== null) params.set('base', String(route.baseId));
      if (route.line !== null) params.set('line', String(route.line));
      const query = params.toString();
      return `#/sessions/${route.sessionId}/source${query ? `?${query}` : ''}`;
    }
    default:
      return '#/sessions';
  }
}

/** The session a route belongs to (for the navigation's highlight and breadcrumbs). */
export function routeSessionId(route: Route): number | null {
  if (route.view === 'session') return route.id;
  if (route.view === 'snapshot' || route.view === 'compare' || route.view === 'source') return route.sessionId;
  return null;
}
