import { parseHash, routeHash, type Route } from './routes';

export class Router {
  route = $state<Route>({ view: 'sessions' });

  constructor(private readonly location: Location) {
    this.route = parseHash(location.hash);
  }

  /** Call on `hashchange`. */
  sync(): void {
    this.route = parseHash(this.location.hash);
  }

  go(route: Route): void {
    const hash = routeHash(route);
    if (this.location.hash !== hash) this.location.hash = hash;
    this.route = route;
  }
}
