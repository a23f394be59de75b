import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseRefusedError, migrate, openDatabase, userVersion } from './open';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pygc-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const columns = (db: Database.Database, table: string) =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);

describe('migrations', () => {
  it('are numbered 1..N in order, each with a kebab-case name', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.name).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}-[a-z0-9-]+$`));
    });
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('0001-init creates sessions, samples and gc_events with their indexes', () => {
    const db = new Database(':memory:');
    expect(migrate(db, MIGRATIONS, 1)).toBe(1);
    expect(userVersion(db)).toBe(1);
    expect(columns(db, 'sessions')).toEqual(
      expect.arrayContaining(['name', 'scenario', 'source', 'settings', 'created_at', 'status', 'message', 'profile', 'output', 'gc_totals', 'duration_ns', 'peak_live_bytes']),
    );
    expect(columns(db, 'samples')).toEqual(['session_id', 'seq', 't', 'live_bytes', 'arena_bytes', 'objects', 'gen0', 'gen1', 'gen2', 'count0']);
    expect(columns(db, 'gc_events')).toEqual(
      ['session_id', 'seq', 't', 'generation', 'collected', 'uncollectable', 'explicit', 'size0', 'size1', 'size2', 'size3'],
    );
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toContain('samples_by_session_time');
    expect(columns(db, 'sample_blocks')).toEqual(expect.arrayContaining(['session_id', 'block', 'n', 't_min', 't_max', 'min_live_bytes', 'max_count0']));
    expect(() => db.prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status) VALUES ('a','b','c','{}','3.11','now','bogus')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('a failing migration rolls back entirely and leaves user_version where it was', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', sql: 'CREATE TABLE extra (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(userVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('opening twice applies nothing the second time and keeps data', () => {
    const file = join(dir, 'a.sqlite');
    const first = openDatabase(file);
    expect(first.created).toBe(true);
    first.db.prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status) VALUES ('a','b','c','{}','3.11','now','complete')").run();
    first.db.close();
    const second = openDatabase(file);
    expect(second.created).toBe(false);
    expect(userVersion(second.db)).toBe(LATEST_VERSION);
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    expect(second.db.pragma('journal_mode', { simple: true })).toBe('wal');
    second.db.close();
  });
});

describe('refusal', () => {
  it('refuses a database from a newer version and leaves it byte-for-byte untouched', () => {
    const file = join(dir, 'future.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE future_things (x)');
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    const before = sha(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseRefusedError);
    expect((error as DatabaseRefusedError).reason).toBe('newer-version');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/newer version/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const file = join(dir, 'notes.sqlite');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(100));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/not a SQLite database/);
    expect(() => openDatabase(file)).toThrow(file);
    expect(sha(file)).toBe(before);
  });

  it('refuses a damaged SQLite file and leaves it untouched', () => {
    const file = join(dir, 'damaged.sqlite');
    const db = new Database(file);
    db.pragma('page_size = 4096');
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`row ${i} ${'x'.repeat(40)}`);
    })();
    db.close();
    const bytes = readFileSync(file);
    // Scribble over the pages after the schema page: the b-trees no longer parse.
    for (let i = 4096 * 2; i < bytes.length; i += 97) bytes[i] = 0xff;
    writeFileSync(file, bytes);
    const before = sha(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseRefusedError);
    expect((error as DatabaseRefusedError).reason).toBe('corrupt');
    expect(sha(file)).toBe(before);
  });
});
