import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, DatabaseRefusedError, migrate, openDatabase, userVersion } from './open';
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

describe('identity: checked before any write', () => {
  const sideFiles = (file: string) => [`${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => existsSync(f));
  const refusal = (file: string): DatabaseRefusedError => {
    try {
      openDatabase(file).db.close();
    } catch (e) {
      if (e instanceof DatabaseRefusedError) return e;
      throw e;
    }
    throw new Error(`${file} was not refused`);
  };

  it('a foreign SQLite file with a sessions table is refused, byte-identical, no WAL switch, no -wal/-shm', () => {
    const file = join(dir, 'other-app.sqlite');
    const db = new Database(file);
    db.exec("CREATE TABLE sessions (id INTEGER PRIMARY KEY, user TEXT); INSERT INTO sessions (user) VALUES ('ann')");
    db.close();
    const before = sha(file);
    const e = refusal(file);
    expect(e.reason).toBe('foreign');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not a PyGC Lab database \(it holds other tables: sessions\)/);
    expect(sha(file)).toBe(before);
    expect(sideFiles(file)).toEqual([]);
  });

  it('a foreign file with an unrelated table is refused, not taken over (no tables added, user_version unchanged)', () => {
    const file = join(dir, 'notes.db');
    const db = new Database(file);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    db.close();
    const before = sha(file);
    expect(refusal(file).reason).toBe('foreign');
    expect(sha(file)).toBe(before);
    expect(sideFiles(file)).toEqual([]);
  });

  it("a foreign WAL-mode file is refused and the probe's -wal and -shm are removed again", () => {
    const file = join(dir, 'wal-app.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE things (x)');
    db.close();
    expect(sideFiles(file)).toEqual([]);
    const before = sha(file);
    expect(refusal(file).reason).toBe('foreign');
    expect(sha(file)).toBe(before);
    expect(sideFiles(file)).toEqual([]);
  });

  it('a file with another application id is refused from its header alone', () => {
    const file = join(dir, 'tagged.sqlite');
    const db = new Database(file);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE sessions (x)');
    db.pragma('user_version = 1');
    db.close();
    const before = sha(file);
    const e = refusal(file);
    expect(e.reason).toBe('foreign');
    expect(e.message).toMatch(/another application \(application_id 0x000004d2\)/);
    expect(sha(file)).toBe(before);
    expect(sideFiles(file)).toEqual([]);
  });

  it('our files carry the application id; a file from before it (schema recognised) is adopted and tagged; a blank SQLite file is adopted', () => {
    const fresh = join(dir, 'fresh.sqlite');
    const a = openDatabase(fresh).db;
    expect(a.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    a.close();

    const legacy = join(dir, 'legacy.sqlite');
    const old = new Database(legacy);
    migrate(old, MIGRATIONS, 2);
    old.prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status) VALUES ('a','b','c','{}','3.11','now','complete')").run();
    old.close();
    const b = openDatabase(legacy).db;
    expect(b.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(b.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 1 });
    b.close();

    const blank = join(dir, 'blank.sqlite');
    new Database(blank).close();
    writeFileSync(blank, readFileSync(blank)); // an empty file
    const c = openDatabase(blank);
    expect(userVersion(c.db)).toBe(LATEST_VERSION);
    c.db.close();
  });
});

// Root ignores file modes, so a real read-only file or folder is a read-only mount (tmpfs,
// remounted ro; a read-only bind mount for one file). Without root, modes are enforced: chmod.
describe('read-only files and folders', () => {
  const isRoot = process.getuid?.() === 0;
  const mounts: string[] = [];
  const sh = (cmd: string) => execSync(cmd, { stdio: 'pipe' });
  const canMount = (() => {
    if (!isRoot) return false;
    const probe = mkdtempSync(join(tmpdir(), 'pygc-mnt-'));
    try {
      sh(`mount -t tmpfs -o size=1m tmpfs ${probe} && umount ${probe}`);
      return true;
    } catch {
      return false;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  })();
  afterEach(() => {
    for (const m of mounts.splice(0).reverse()) sh(`umount ${m}`);
  });

  /** A folder holding one of our databases with a session, then made read-only. */
  const readOnlyFolder = (): string => {
    const folder = join(dir, 'ro');
    mkdirSync(folder);
    if (isRoot) {
      sh(`mount -t tmpfs -o size=4m tmpfs ${folder}`);
      mounts.push(folder);
    }
    const file = join(folder, 'pygc-lab.sqlite');
    const { db } = openDatabase(file);
    db.prepare("INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status) VALUES ('a','b','c','{}','3.11','now','complete')").run();
    db.close();
    if (isRoot) sh(`mount -o remount,ro ${folder}`);
    else chmodSync(folder, 0o555);
    return file;
  };

  it.skipIf(isRoot && !canMount)('a database in a read-only folder is refused as read-only (not "damaged"), untouched', () => {
    const file = readOnlyFolder();
    const before = sha(file);
    const listing = readdirSync(dirname(file)).sort();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseRefusedError);
    expect((error as DatabaseRefusedError).reason).toBe('read-only');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/read-only/);
    expect((error as Error).message).not.toMatch(/damaged/);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dirname(file)).sort()).toEqual(listing);
    if (!isRoot) chmodSync(dirname(file), 0o755);
  });

  it.skipIf(isRoot && !canMount)('a new database cannot be created in a read-only folder: refused as read-only', () => {
    const folder = dirname(readOnlyFolder());
    const file = join(folder, 'other.sqlite');
    expect(() => openDatabase(file)).toThrow(/read-only/);
    expect(existsSync(file)).toBe(false);
    if (!isRoot) chmodSync(folder, 0o755);
  });

  it.skipIf(isRoot && !canMount)('a read-only database file (in a writable folder) is refused as read-only, untouched, nothing beside it', () => {
    const file = join(dir, 'pygc-lab.sqlite');
    const { db } = openDatabase(file);
    db.close();
    if (isRoot) {
      sh(`mount --bind ${file} ${file} && mount -o remount,bind,ro ${file}`);
      mounts.push(file);
    } else chmodSync(file, 0o444);
    const before = sha(file);
    const listing = readdirSync(dir).sort();
    let error: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      error = e;
    }
    expect((error as DatabaseRefusedError).reason).toBe('read-only');
    expect((error as Error).message).toMatch(new RegExp(`Refusing to open ${file}: the file is read-only`));
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(listing);
  });
});
