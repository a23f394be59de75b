import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  FIND_KEY_SQL,
  LIST_SNAPSHOTS_SQL,
  SNAPSHOT_COUNTS_SQL,
  SNAPSHOT_COUNTS_WITH_KEYS_SQL,
  SNAPSHOT_GRAPH_SQL,
  SNAPSHOT_GROUPS_SQL,
  SNAPSHOT_INFO_SQL,
  SNAPSHOT_KEYS_SQL,
  SnapshotStore,
} from '../snapshots/store';
import { snapshotOf } from '../snapshots/testing';
import { MIGRATIONS } from './migrations';
import { migrate, userVersion } from './open';
import { Store } from './store';

const SETTINGS = { profile: '3.11' as const, thresholds: [700, 10, 10] as [number, number, number], stepBudget: 1e6, memoryLimitBytes: null, snapshotEveryMs: null };

function plan(db: Database.Database, sql: string, ...args: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
}

describe('migration 0002-snapshots', () => {
  it('adds the snapshot tables to a version 1 database and keeps its sessions', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(migrate(db, MIGRATIONS, 1)).toBe(1);
    // A session as version 1 wrote it (today's Store expects today's schema).
    const sessionId = Number(
      db
        .prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status, sample_count) VALUES ('before', 'a.py', 'x = 1', ?, '3.11', 'now', 'running', 1)")
        .run(JSON.stringify(SETTINGS)).lastInsertRowid,
    );
    db.prepare('INSERT INTO samples VALUES (?, 0, 1, 10, 20, 1, 1, 0, 0, 1)').run(sessionId);

    expect(migrate(db, MIGRATIONS, 2)).toBe(2);
    expect(userVersion(db)).toBe(2);
    expect(db.prepare('SELECT name, sample_count FROM sessions WHERE id = ?').get(sessionId)).toEqual({ name: 'before', sample_count: 1 });
    migrate(db, MIGRATIONS);
    const store = new Store(db);
    expect(store.getSummary(sessionId)).toMatchObject({ name: 'before', sampleCount: 1 });
    expect(store.getSeries(sessionId, 10).total).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['snapshots', 'snapshot_groups', 'snapshot_keys']));
    expect(() =>
      db.prepare("INSERT INTO snapshots (session_id, seq, t, reason, script_filename, group_count, total_count, total_bytes, untracked, gen0, gen1, gen2, permanent) VALUES (?, 1, 0, 'bogus', 'a.py', 0, 0, 0, 0, 0, 0, 0, 0)").run(sessionId),
    ).toThrow(/CHECK/);
    // A snapshot of the old session works, and goes with the session.
    const snaps = new SnapshotStore(db);
    const id = snaps.insert(sessionId, snapshotOf({ objects: [{ type: 'list', line: 1, size: 56 }], roots: [{ index: 0, label: 'g' }] }), 'a.py');
    expect(snaps.info(id)).toMatchObject({ sessionId, seq: 1, count: 1, bytes: 56, graphKept: true });
    store.deleteSession(sessionId);
    expect(db.prepare('SELECT (SELECT COUNT(*) FROM snapshots) + (SELECT COUNT(*) FROM snapshot_groups) + (SELECT COUNT(*) FROM samples) AS n').get()).toEqual({ n: 0 });
    db.close();
  });

  it('the hot queries search indexes, never scan a table', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const hot: [string, unknown[]][] = [
      [LIST_SNAPSHOTS_SQL, [1]],
      [SNAPSHOT_INFO_SQL, [1]],
      [SNAPSHOT_GROUPS_SQL, [1]],
      [SNAPSHOT_COUNTS_SQL, [1]],
      [SNAPSHOT_COUNTS_WITH_KEYS_SQL, [1]],
      [SNAPSHOT_KEYS_SQL, [1]],
      [SNAPSHOT_GRAPH_SQL, [1]],
      [FIND_KEY_SQL, ['list', 'a.py', 1]],
      // What deleting a session cascades to.
      ['DELETE FROM snapshots WHERE session_id = ?', [1]],
      ['DELETE FROM snapshot_groups WHERE snapshot_id = ?', [1]],
    ];
    for (const [sql, args] of hot) {
      const details = plan(db, sql, ...args);
      expect(details.length, sql).toBeGreaterThan(0);
      for (const d of details) expect(d, sql).not.toMatch(/^SCAN/);
    }
    db.close();
  });

  it('0003-run-owners rebuilds sessions keeping every row, its samples and cascades; a run stopped on request becomes "stopped"', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 2);
    const insert = db.prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status, message) VALUES (?, 'a.py', '', '{}', '3.11', 'now', ?, ?)");
    const stopped = Number(insert.run('stopped', 'complete', 'stopped by the user').lastInsertRowid);
    const done = Number(insert.run('done', 'complete', null).lastInsertRowid);
    db.prepare('INSERT INTO samples VALUES (?, 0, 1, 10, 20, 1, 1, 0, 0, 1)').run(done);
    migrate(db, MIGRATIONS);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT id, status, message FROM sessions ORDER BY id').all()).toEqual([
      { id: stopped, status: 'stopped', message: 'Stopped on request' },
      { id: done, status: 'complete', message: null },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    new Store(db).deleteSession(done);
    expect(db.prepare('SELECT COUNT(*) AS n FROM samples').get()).toEqual({ n: 0 });
    db.close();
  });
});
