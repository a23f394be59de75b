import type { AppApi, AppEvent } from '../../src-main/common/contract';
import type { GcEvent, SeriesData, SessionDetail } from '../../src-main/common/domain';
import type { ViewRequest } from '../charts/attach-memory-chart';
import { MAX_MARKERS } from '../charts/memory-chart';
import { errorMessage } from './errors';

/** While a session records, its view is refetched at most this often. */
const LIVE_REFRESH_MS = 400;

export class SessionState {
  detail = $state.raw<SessionDetail | null>(null);
  series = $state.raw<SeriesData | null>(null);
  events = $state.raw<GcEvent[]>([]);
  error = $state<string | null>(null);
  seriesError = $state<string | null>(null);
  loadingView = $state(false);
  zoomed = $state(false);
  readonly running = $derived(this.detail?.status === 'running');
  readonly eventsTruncated = $derived(this.events.length >= MAX_MARKERS);

  private view: ViewRequest = { range: null, buckets: 600 };
  private viewSeq = 0;
  private detailSeq = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRefresh = 0;
  private disposed = false;

  constructor(
    private readonly api: AppApi,
    readonly id: number,
  ) {}

  async loadDetail(): Promise<void> {
    const seq = ++this.detailSeq;
    try {
      const detail = await this.api.getSession({ id: this.id });
      if (seq !== this.detailSeq || this.disposed) return;
      this.detail = detail;
      this.error = null;
    } catch (e) {
      if (seq === this.detailSeq && !this.disposed) this.error = errorMessage(e);
    }
  }

  /** Fetches the series and the collections of a view (the whole session when `range` is null). */
  async loadView(view: ViewRequest = this.view): Promise<void> {
    this.view = view;
    this.zoomed = view.range !== null;
    const seq = ++this.viewSeq;
    this.loadingView = true;
    this.lastRefresh = Date.now();
    const range = view.range ?? {};
    try {
      const [series, events] = await Promise.all([
        this.api.getSeries({ sessionId: this.id, ...range, buckets: view.buckets }),
        this.api.getGcEvents({ sessionId: this.id, ...range, limit: MAX_MARKERS }),
      ]);
      if (seq !== this.viewSeq || this.disposed) return;
      this.series = series;
      this.events = events;
      this.seriesError = null;
    } catch (e) {
      if (seq === this.viewSeq && !this.disposed) this.seriesError = errorMessage(e);
    } finally {
      if (seq === this.viewSeq) this.loadingView = false;
    }
  }

  handleEvent(event: AppEvent): void {
    if (this.disposed) return;
    if (event.name === 'runProgress' && event.payload.sessionId === this.id) {
      this.scheduleLiveRefresh();
    } else if (event.name === 'runFinished' && event.payload.sessionId === this.id) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
      void this.loadDetail();
      void this.loadView();
    } else if (event.name === 'sessionsChanged' && event.payload.sessionId === this.id && event.payload.change === 'updated') {
      void this.loadDetail();
    }
  }

  private scheduleLiveRefresh(): void {
    if (this.refreshTimer !== undefined) return;
    const wait = Math.max(0, LIVE_REFRESH_MS - (Date.now() - this.lastRefresh));
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.loadDetail();
      void this.loadView();
    }, wait);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refreshTimer);
  }
}
