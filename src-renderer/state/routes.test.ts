import { describe, expect, it } from 'vitest';
import { parseHash, routeHash, routeSessionId, type Route } from './routes';

describe('routes', () => {
  it('round-trips every view through the hash', () => {
    const routes: Route[] = [
      { view: 'sessions' },
      { view: 'run' },
      { view: 'session', id: 42 },
      { view: 'snapshot', sessionId: 42, snapshotId: 7 },
      { view: 'compare', sessionId: 42, baseId: 3, targetId: 9 },
      { view: 'compare', sessionId: 42, baseId: 3, targetId: 9, focus: { type: 'list', filename: 'my cache.py', line: 16 } },
      { view: 'source', sessionId: 42, snapshotId: 9, baseId: 3, line: 16 },
      { view: 'source', sessionId: 42, snapshotId: null, baseId: null, line: null },
    ];
    for (const r of routes) expect(parseHash(routeHash(r))).toEqual(r);
  });
  it('writes readable hashes', () => {
    expect(routeHash({ view: 'compare', sessionId: 2, baseId: 1, targetId: 18 })).toBe('#/sessions/2/compare/1/18');
    expect(routeHash({ view: 'source', sessionId: 2, snapshotId: 18, baseId: null, line: 16 })).toBe('#/sessions/2/source?snapshot=18&line=16');
  });
  it('falls back to the sessions list for anything else', () => {
    expect(parseHash('')).toEqual({ view: 'sessions' });
    expect(parseHash('#/sessions/0')).toEqual({ view: 'sessions' });
    expect(parseHash('#/sessions/abc')).toEqual({ view: 'sessions' });
    expect(parseHash('#/nowhere')).toEqual({ view: 'sessions' });
  });
  it('falls back to the session for a malformed sub-view, and ignores bad query ids', () => {
    expect(parseHash('#/sessions/5/snapshots/x')).toEqual({ view: 'session', id: 5 });
    expect(parseHash('#/sessions/5/compare/1')).toEqual({ view: 'session', id: 5 });
    expect(parseHash('#/sessions/5/source?snapshot=-1&line=abc')).toEqual({ view: 'source', sessionId: 5, snapshotId: null, baseId: null, line: null });
  });
  it('names the session of every session-scoped route', () => {
    expect(routeSessionId({ view: 'compare', sessionId: 4, baseId: 1, targetId: 2 })).toBe(4);
    expect(routeSessionId({ view: 'session', id: 8 })).toBe(8);
    expect(routeSessionId({ view: 'run' })).toBeNull();
  });
});
