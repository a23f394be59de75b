import { describe, expect, it } from 'vitest';
import { parseHash, routeHash, type Route } from './routes';

describe('routes', () => {
  it('round-trips every view through the hash', () => {
    const routes: Route[] = [{ view: 'sessions' }, { view: 'run' }, { view: 'session', id: 42 }];
    for (const r of routes) expect(parseHash(routeHash(r))).toEqual(r);
  });
  it('falls back to the sessions list for anything else', () => {
    expect(parseHash('')).toEqual({ view: 'sessions' });
    expect(parseHash('#/sessions/0')).toEqual({ view: 'sessions' });
    expect(parseHash('#/sessions/abc')).toEqual({ view: 'sessions' });
    expect(parseHash('#/nowhere')).toEqual({ view: 'sessions' });
  });
});
