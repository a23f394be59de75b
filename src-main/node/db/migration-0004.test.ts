import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultRunSettings } from '../../common/domain';
import { MIGRATIONS } from './migrations';
import { migrate, userVersion } from './open';
import { GC_EVENTS_SQL, Store } from './store';

function plan(db: Database.Database, sql: string, args: Record<string, unknown>): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(args) as { detail: string }[]).map((r) => r.detail);
}

describe('migration 0004-generations-as-data', () => {
  it('turns the three-generation gc_events columns into a generation number and a sizes array, keeping every event', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, MIGRATIONS, 3)).toBe(3);
    const sessionId = Number(
      db
        .prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status) VALUES ('old', 'a.py', '', ?, '3.11', '2026-01-01T00:00:00Z', 'complete')")
        .run(JSON.stringify(defaultRunSettings())).lastInsertRowid,
    );
    const insertOld = db.prepare(
      'INSERT INTO gc_events (session_id, seq, t, generation, collected, uncollectable, explicit, size0, size1, size2, size3) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insertOld.run(sessionId, 1, 100, 0, 5, 0, 0, 701, 3, 9, 0);
    insertOld.run(sessionId, 2, 200, 2, 40, 1, 1, 2, 0, 120, 7);
    // The old schema knew three generations only.
    expect(() => insertOld.run(sessionId, 3, 300, 3, 0, 0, 0, 0, 0, 0, 0)).toThrow(/CHECK/);

    expect(migrate(db, MIGRATIONS, 4)).toBe(4);
    expect(userVersion(db)).toBe(4);
    const store = new Store(db);
    expect(store.getGcEvents(sessionId, 100)).toEqual([
      { seq: 1, t: 100, generation: 0, collected: 5, uncollectable: 0, explicit: false, sizes: [701, 3, 9, 0] },
      { seq: 2, t: 200, generation: 2, collected: 40, uncollectable: 1, explicit: true, sizes: [2, 0, 120, 7] },
    ]);
    // Any number of generations now: a fourth one, with five list lengths.
    store.appendBatch(sessionId, [], [{ seq: 3, t: 300, generation: 3, collected: 1, uncollectable: 0, explicit: false, sizes: [1, 2, 3, 4, 5] }], {
      durationNs: 300,
      peakLiveBytes: 0,
      gcTotals: { collections: [1, 0, 1, 1], collected: [5, 0, 40, 1], uncollectable: [0, 0, 1, 0] },
    });
    expect(store.getGcEvents(sessionId, 100).at(-1)).toMatchObject({ generation: 3, sizes: [1, 2, 3, 4, 5] });
    expect(() => db.prepare("INSERT INTO gc_events (session_id, seq, t, generation, collected, uncollectable, explicit, sizes) VALUES (?, 9, 0, -1, 0, 0, 0, '[]')").run(sessionId)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO gc_events (session_id, seq, t, generation, collected, uncollectable, explicit, sizes) VALUES (?, 9, 0, 0, 0, 0, 0, '{}')").run(sessionId)).toThrow(/CHECK/);
    // The time-range query still uses its index; events still go with their session.
    expect(plan(db, GC_EVENTS_SQL, { sessionId, from: 0, to: 1000, limit: 10 }).join(' ')).toMatch(/gc_events_by_session_time|PRIMARY KEY/);
    db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId);
    expect(db.prepare('SELECT COUNT(*) AS n FROM gc_events').get()).toEqual({ n: 0 });
    db.close();
  });
});
