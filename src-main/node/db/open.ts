// Opening the database: refuse (and leave untouched) a file that is not SQLite, fails its
// integrity check, or was written by a newer version; then migrate forward.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

/** The database cannot be used; the file was not modified. */
export class DatabaseRefusedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: 'not-sqlite' | 'corrupt' | 'newer-version',
    detail: string,
  ) {
    super(`Refusing to open ${file}: ${detail} The file was left untouched.`);
    this.name = 'DatabaseRefusedError';
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenResult {
  db: Db;
  /** The schema was created from nothing: a first launch. */
  created: boolean;
}

/** Opens (creating if needed) and migrates the app database at `file` (or ':memory:'). */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): OpenResult {
  if (file !== ':memory:') checkBeforeWriting(file, migrations);
  const db = new Database(file);
  try {
    configure(db);
    const before = userVersion(db);
    migrate(db, migrations);
    return { db, created: before === 0 };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** A second connection to an already opened and migrated database (the run worker's). */
export function openConnection(file: string): Db {
  const db = new Database(file, { fileMustExist: true });
  configure(db);
  return db;
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration above the current user_version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, target = Infinity): number {
  let current = userVersion(db);
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    // IMMEDIATE: two processes opening a new file at once must not both read version 0 and
    // then fail to upgrade to a write.
    db.transaction(() => {
      if (userVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
    current = m.version;
  }
  return current;
}

function checkBeforeWriting(file: string, migrations: readonly Migration[]): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw new DatabaseRefusedError(file, 'not-sqlite', 'it is not a SQLite database.');

  const latest = migrations.length ? migrations[migrations.length - 1]!.version : LATEST_VERSION;
  let ro: Db | undefined;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true });
    const version = userVersion(ro);
    if (version > latest) {
      throw new DatabaseRefusedError(
        file,
        'newer-version',
        `it was written by a newer version of PyGC Lab (schema ${version}; this version knows up to ${latest}).`,
      );
    }
    const problems = ro.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const first = problems[0]?.quick_check;
    if (first !== 'ok') throw new DatabaseRefusedError(file, 'corrupt', `it is damaged (integrity check: ${first ?? 'no answer'}).`);
  } catch (e) {
    if (e instanceof DatabaseRefusedError) throw e;
    throw new DatabaseRefusedError(file, 'corrupt', `it is damaged (${e instanceof Error ? e.message : String(e)}).`);
  } finally {
    ro?.close();
  }
}
