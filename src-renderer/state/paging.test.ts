import { describe, expect, it } from 'vitest';
import { PageCache, pagesFor, rowAtScroll, scrollHeightFor, visibleRows } from './paging';

describe('pagesFor', () => {
  it('lists the pages a window touches', () => {
    expect(pagesFor(0, 30, 200)).toEqual([0]);
    expect(pagesFor(190, 230, 200)).toEqual([0, 1]);
    expect(pagesFor(400, 400, 200)).toEqual([]);
    expect(pagesFor(99_980, 100_000, 200)).toEqual([499]);
  });
});

describe('virtual scrolling of 100k rows', () => {
  const rowHeight = 26;
  it('uses the full height while it fits, and compresses beyond the cap', () => {
    expect(scrollHeightFor(1000, rowHeight)).toBe(26_000);
    expect(scrollHeightFor(100_000, rowHeight)).toBe(2_600_000);
    expect(scrollHeightFor(1_000_000, rowHeight, 8_000_000)).toBe(8_000_000);
  });
  it('maps the scroll offset to rows directly when uncompressed', () => {
    expect(visibleRows(0, 100_000, rowHeight, 390, 5)).toEqual({ first: 0, last: 20, offsetPx: 0 });
    const mid = visibleRows(26 * 50_000 + 13, 100_000, rowHeight, 390, 5);
    expect(mid.first).toBe(49_995);
    expect(mid.last).toBe(50_021);
    expect(mid.offsetPx).toBe(26 * 49_995);
  });
  it('reaches the last row at the bottom when compressed', () => {
    const maxPx = 1_000_000;
    const bottom = visibleRows(maxPx - 390, 1_000_000, rowHeight, 390, 5, maxPx);
    expect(bottom.last).toBe(1_000_000);
    expect(rowAtScroll(maxPx - 390, 1_000_000, rowHeight, 390, maxPx)).toBeCloseTo(1_000_000 - 15, 6);
    expect(rowAtScroll(0, 1_000_000, rowHeight, 390, maxPx)).toBe(0);
  });
  it('clamps on short and empty tables', () => {
    expect(visibleRows(0, 3, rowHeight, 390, 5)).toEqual({ first: 0, last: 3, offsetPx: 0 });
    expect(visibleRows(500, 0, rowHeight, 390, 5).last).toBe(0);
  });
});

describe('PageCache', () => {
  it('returns rows by table index once their page is loaded', () => {
    const cache = new PageCache<string>(2, 10);
    cache.put(1, ['c', 'd']);
    expect(cache.row(2)).toBe('c');
    expect(cache.row(3)).toBe('d');
    expect(cache.row(0)).toBeUndefined();
  });
  it('evicts the least recently used page beyond its bound', () => {
    const cache = new PageCache<number>(1, 2);
    cache.put(0, [0]);
    cache.put(1, [1]);
    cache.row(0);
    cache.put(2, [2]);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(1)).toBe(false);
    expect(cache.size).toBe(2);
  });
});
