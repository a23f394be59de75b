// Pages of a server-side table: which pages a visible window needs, and a bounded cache of them.

/** Page indices covering rows [first, last). */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last <= first || pageSize <= 0) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((last - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/**
 * The browser caps an element's height (about 33.5 M px in Chromium), so a scroll area taller
 * than `maxPx` is compressed: scroll offsets map linearly onto row offsets.
 */
export const MAX_SCROLL_PX = 8_000_000;

export function scrollHeightFor(totalRows: number, rowHeight: number, maxPx = MAX_SCROLL_PX): number {
  return Math.min(totalRows * rowHeight, maxPx);
}

/** The first visible row (fractional) for a scroll offset, honouring the compression. */
export function rowAtScroll(scrollTop: number, totalRows: number, rowHeight: number, viewportHeight: number, maxPx = MAX_SCROLL_PX): number {
  const full = totalRows * rowHeight;
  if (full <= maxPx) return scrollTop / rowHeight;
  const scrollable = maxPx - viewportHeight;
  const fraction = scrollable > 0 ? Math.min(1, Math.max(0, scrollTop / scrollable)) : 0;
  return (fraction * (full - viewportHeight)) / rowHeight;
}

/** The rows [first, last) to render, with overscan, and where the first one is drawn inside the scroll area. */
export function visibleRows(
  scrollTop: number,
  totalRows: number,
  rowHeight: number,
  viewportHeight: number,
  overscan: number,
  maxPx = MAX_SCROLL_PX,
): { first: number; last: number; offsetPx: number } {
  const top = rowAtScroll(scrollTop, totalRows, rowHeight, viewportHeight, maxPx);
  const first = Math.min(totalRows, Math.max(0, Math.floor(top) - overscan));
  const last = Math.min(totalRows, Math.ceil(top + viewportHeight / rowHeight) + overscan);
  // Row `first` sits at scrollTop minus the part of the rows above it that is scrolled past.
  const offsetPx = scrollTop - (top - first) * rowHeight;
  return { first, last: Math.max(first, last), offsetPx: Math.max(0, offsetPx) };
}

/** A bounded least-recently-used map of page index → rows. */
export class PageCache<Row> {
  private readonly pages = new Map<number, Row[]>();

  constructor(
    readonly pageSize: number,
    private readonly maxPages: number,
  ) {}

  has(page: number): boolean {
    return this.pages.has(page);
  }

  put(page: number, rows: Row[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value!);
  }

  /** The row at a table index, or undefined while its page is not loaded. */
  row(index: number): Row | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page);
    if (!rows) return undefined;
    // Touch: a page in view stays cached.
    this.pages.delete(page);
    this.pages.set(page, rows);
    return rows[index - page * this.pageSize];
  }

  clear(): void {
    this.pages.clear();
  }

  get size(): number {
    return this.pages.size;
  }
}
