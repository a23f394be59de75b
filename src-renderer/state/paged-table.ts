// A server-paged table behind a virtual list: fetches the pages a visible window needs, once
// each, drops replies of an older query, and keeps a bounded number of pages.
import { errorMessage } from './errors';
import { PageCache, pagesFor } from './paging';

export interface PageReply<Row> {
  totalRows: number;
  rows: Row[];
}

export type FetchPage<Reply> = (offset: number, limit: number) => Promise<Reply>;

export class PagedTable<Row, Reply extends PageReply<Row>> {
  totalRows = 0;
  /** The newest reply of the current query (its totals and header fields). */
  lastReply: Reply | null = null;
  error: string | null = null;
  loading = false;

  private readonly cache: PageCache<Row>;
  private readonly inFlight = new Set<number>();
  private generation = 0;
  private fetchPage: FetchPage<Reply> | null = null;

  constructor(
    readonly pageSize: number,
    private readonly onChange: () => void,
    maxPages = 40,
  ) {
    this.cache = new PageCache<Row>(pageSize, maxPages);
  }

  /** Starts a new query (new snapshot, grouping, sort or filter): forgets every page and loads the first. */
  async query(fetchPage: FetchPage<Reply>): Promise<void> {
    this.fetchPage = fetchPage;
    this.generation++;
    this.cache.clear();
    this.inFlight.clear();
    this.error = null;
    await this.load(0, this.generation);
  }

  /** Loads the pages under rows [first, last) that are neither cached nor on their way. */
  ensure(first: number, last: number): void {
    for (const page of pagesFor(first, Math.min(last, this.totalRows), this.pageSize)) {
      if (!this.cache.has(page) && !this.inFlight.has(page)) void this.load(page, this.generation);
    }
  }

  row(index: number): Row | undefined {
    return this.cache.row(index);
  }

  get cachedPages(): number {
    return this.cache.size;
  }

  private async load(page: number, generation: number): Promise<void> {
    const fetchPage = this.fetchPage;
    if (!fetchPage) return;
    this.inFlight.add(page);
    this.loading = true;
    this.onChange();
    try {
      const reply = await fetchPage(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.cache.put(page, reply.rows);
      this.totalRows = reply.totalRows;
      this.lastReply = reply;
      this.error = null;
    } catch (e) {
      if (generation === this.generation) this.error = errorMessage(e);
    } finally {
      if (generation === this.generation) {
        this.inFlight.delete(page);
        this.loading = this.inFlight.size > 0;
        this.onChange();
      }
    }
  }
}
