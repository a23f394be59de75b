// Every migration, bundled as a string so the packaged app does not depend on file paths.
// Forward-only: never edit one once merged; add the next number instead.
import init from '../../../migrations/0001-init.sql?raw';
import snapshots from '../../../migrations/0002-snapshots.sql?raw';
import runOwners from '../../../migrations/0003-run-owners.sql?raw';
import generations from '../../../migrations/0004-generations-as-data.sql?raw';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-init', sql: init },
  { version: 2, name: '0002-snapshots', sql: snapshots },
  { version: 3, name: '0003-run-owners', sql: runOwners },
  { version: 4, name: '0004-generations-as-data', sql: generations },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
