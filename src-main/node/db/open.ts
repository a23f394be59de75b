// Opening the database: refuse (and leave untouched) a file that is not SQLite, fails its
// integrity check, or was written by a newer version; then migrate forward.
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants as fsConstants, existsSync, openSync, readSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export type RefusalReason = 'not-sqlite' | 'corrupt' | 'newer-version' | 'foreign' | 'read-only';

/** The database cannot be used; the file was not modified. */
export class DatabaseRefusedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: RefusalReason,
    detail: string,
    existed = true,
  ) {
    super(`Refusing to open ${file}: ${detail}${existed ? ' The file was left untouched.' : ''}`);
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
    // Marks the file as ours (a header field; files from before it are recognised by their schema).
    if ((db.pragma('application_id', { simple: true }) as number) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
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

/**
 * Applies every migration above the current user_version, each in its own transaction.
 * Foreign keys are off meanwhile (a migration may rebuild a table others refer to; turning them
 * off is a no-op inside a transaction), and each migration must leave none dangling.
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, target = Infinity): number {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  if (foreignKeys) db.pragma('foreign_keys = OFF');
  try {
    return migrateNow(db, migrations, target);
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

function migrateNow(db: Db, migrations: readonly Migration[], target: number): number {
  let current = userVersion(db);
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    // IMMEDIATE: two processes opening a new file at once must not both read version 0 and
    // then fail to upgrade to a write.
    db.transaction(() => {
      if (userVersion(db) >= m.version) return;
      db.exec(m.sql);
      const dangling = db.pragma('foreign_key_check') as unknown[];
      if (dangling.length) throw new Error(`migration ${m.name} left ${dangling.length} rows with dangling foreign keys`);
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
    current = m.version;
  }
  return current;
}

/**
 * Everything that can refuse a file, decided before any write: the header read as bytes, then
 * (for a file that may be ours) a read-only probe. A refused file is left byte-for-byte as it
 * was, with no -wal or -shm beside it.
 */
function checkBeforeWriting(file: string, migrations: readonly Migration[]): void {
  const folder = dirname(file);
  if (!existsSync(file)) {
    if (!isWritable(folder)) throw new DatabaseRefusedError(file, 'read-only', `its folder ${folder} is read-only, so the database cannot be created.`, false);
    return;
  }
  if (!statSync(file).isFile()) throw new DatabaseRefusedError(file, 'not-sqlite', 'it is not a file.');
  if (statSync(file).size > 0) checkIdentity(file, migrations);
  if (!isWritable(file)) throw new DatabaseRefusedError(file, 'read-only', 'the file is read-only (PyGC Lab records its sessions into it).');
  if (!isWritable(folder)) {
    throw new DatabaseRefusedError(file, 'read-only', `its folder ${folder} is read-only (SQLite keeps its journal beside the file).`);
  }
}

function checkIdentity(file: string, migrations: readonly Migration[]): void {
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) throw new DatabaseRefusedError(file, 'not-sqlite', 'it is not a SQLite database.');
  if (read < HEADER_BYTES) throw new DatabaseRefusedError(file, 'corrupt', 'it is damaged (truncated in its header).');

  const latest = migrations.length ? migrations[migrations.length - 1]!.version : LATEST_VERSION;
  const checkHeader = (applicationId: number, version: number) => {
    if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
      throw new DatabaseRefusedError(file, 'foreign', `it belongs to another application (application_id 0x${applicationId.toString(16).padStart(8, '0')}).`);
    }
    if (version > latest) {
      throw new DatabaseRefusedError(
        file,
        'newer-version',
        `it was written by a newer version of PyGC Lab (schema ${version}; this version knows up to ${latest}).`,
      );
    }
  };
  // The header on disk is authoritative unless a -wal holds newer pages (a writer is, or was,
  // at work: the CLI recording while the app opens): then the probe reads the current values.
  const walPending = existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0;
  let applicationId = header.readUInt32BE(APPLICATION_ID_OFFSET);
  let version = header.readUInt32BE(USER_VERSION_OFFSET);
  if (!walPending) checkHeader(applicationId, version);
  // Only our own files (or a blank one) get past the header. A read-only connection to a
  // WAL-mode file creates -wal and -shm beside it: those are removed again if the file is refused.
  if (!isWritable(file) || !isWritable(dirname(file))) return; // refused as read-only by the caller, without a probe
  const sideFiles = [`${file}-wal`, `${file}-shm`].filter((f) => !existsSync(f));
  let ro: Db | undefined;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true });
    applicationId = ro.pragma('application_id', { simple: true }) as number;
    version = userVersion(ro);
    checkHeader(applicationId, version);
    const problems = ro.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    const first = problems[0]?.quick_check;
    if (first !== 'ok') throw new DatabaseRefusedError(file, 'corrupt', `it is damaged (integrity check: ${first ?? 'no answer'}).`);
    if (applicationId === 0) {
      const tables = (ro.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter(
        (t) => !t.startsWith('sqlite_'),
      );
      const ours = version >= 1 && LEGACY_TABLES.every((t) => tables.includes(t));
      if (tables.length > 0 && !ours) {
        const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
        throw new DatabaseRefusedError(file, 'foreign', `it is not a PyGC Lab database (it holds other tables: ${shown}).`);
      }
    }
  } catch (e) {
    ro?.close();
    ro = undefined;
    for (const f of sideFiles) removeIfCreatedEmpty(f);
    if (e instanceof DatabaseRefusedError) throw e;
    throw new DatabaseRefusedError(file, 'corrupt', `it is damaged (${e instanceof Error ? e.message : String(e)}).`);
  } finally {
    ro?.close();
  }
}

/** PyGC Lab's files carry this in their header (`PRAGMA application_id`): 'PyGC'. */
export const APPLICATION_ID = 0x50794743;
/** Files from before the application id: user_version >= 1 and these tables. */
const LEGACY_TABLES = ['sessions', 'samples', 'sample_blocks', 'gc_events'];
const HEADER_BYTES = 100;
const USER_VERSION_OFFSET = 60;
const APPLICATION_ID_OFFSET = 68;

function isWritable(path: string): boolean {
  try {
    accessSync(path, fsConstants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Removes a -wal or -shm file the probe created, unless something was written to the -wal meanwhile. */
function removeIfCreatedEmpty(file: string): void {
  try {
    if (file.endsWith('-wal') && statSync(file).size > 0) return;
    unlinkSync(file);
  } catch {
    // Not created, or already gone.
  }
}
