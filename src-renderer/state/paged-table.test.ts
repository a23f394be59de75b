import { describe, expect, it } from 'vitest';
import { PagedTable, type PageReply } from './paged-table';

/** A server double over `total` numbered rows that records the pages asked for. */
function server(total: number) {
  const asked: Array<[number, number]> = [];
  const pending: Array<() => void> = [];
  let hold = false;
  const fetch = (offset: number, limit: number): Promise<PageReply<number>> => {
    asked.push([offset, limit]);
    const reply = { totalRows: total, rows: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i) };
    if (!hold) return Promise.resolve(reply);
    return new Promise((resolve) => pending.push(() => resolve(reply)));
  };
  return {
    asked,
    fetch,
    holdReplies: () => (hold = true),
    release: async () => {
      for (const r of pending.splice(0)) r();
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PagedTable', () => {
  it('learns the row count from the first page and fetches only the pages scrolled into view', async () => {
    const s = server(100_000);
    let changes = 0;
    const table = new PagedTable<number, PageReply<number>>(200, () => changes++);
    await table.query(s.fetch);
    expect(table.totalRows).toBe(100_000);
    expect(table.row(199)).toBe(199);
    expect(table.row(200)).toBeUndefined();

    table.ensure(50_000, 50_030);
    table.ensure(50_000, 50_030);
    await flush();
    expect(s.asked).toEqual([
      [0, 200],
      [50_000, 200],
    ]);
    expect(table.row(50_010)).toBe(50_010);
    expect(changes).toBeGreaterThan(0);
  });

  it('never asks beyond the last row', async () => {
    const s = server(250);
    const table = new PagedTable<number, PageReply<number>>(200, () => {});
    await table.query(s.fetch);
    table.ensure(190, 1_000);
    await flush();
    expect(s.asked).toEqual([
      [0, 200],
      [200, 200],
    ]);
  });

  it('drops the replies of a query that was replaced', async () => {
    const old = server(1_000);
    const table = new PagedTable<number, PageReply<number>>(100, () => {});
    await table.query(old.fetch);
    old.holdReplies();
    table.ensure(500, 520);
    const fresh = server(10);
    await table.query(fresh.fetch);
    await old.release();
    expect(table.totalRows).toBe(10);
    expect(table.row(500)).toBeUndefined();
  });

  it('keeps the error of a failed page and clears it on the next success', async () => {
    const table = new PagedTable<number, PageReply<number>>(100, () => {});
    await table.query(() => Promise.reject(new Error('snapshot 9 not found')));
    expect(table.error).toBe('snapshot 9 not found');
    await table.query(server(5).fetch);
    expect(table.error).toBeNull();
    expect(table.totalRows).toBe(5);
  });

  it('holds a bounded number of pages while scrolling far', async () => {
    const s = server(100_000);
    const table = new PagedTable<number, PageReply<number>>(100, () => {}, 5);
    await table.query(s.fetch);
    for (let first = 0; first < 5_000; first += 100) table.ensure(first, first + 30);
    await flush();
    expect(table.cachedPages).toBe(5);
  });
});
