-- Heap snapshots of a session: what tracemalloc.take_snapshot(), the Snapshot button,
-- automatic snapshots and full collections record.

-- One (type, file, line) place, interned once for every session: snapshot groups refer to it
-- by id, so a comparison (even across sessions) joins on an integer.
CREATE TABLE snapshot_keys (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  filename TEXT NOT NULL,
  line INTEGER NOT NULL,
  UNIQUE (type, filename, line)
);

-- seq numbers a session's snapshots from 1 in the order they were taken.
CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  t REAL NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('script', 'user', 'auto', 'full-collection')),
  -- The file name the session's script ran under (its lines feed the Source view).
  script_filename TEXT NOT NULL,
  group_count INTEGER NOT NULL,
  total_count INTEGER NOT NULL,
  total_bytes INTEGER NOT NULL,
  -- Objects per place, summed over the groups: untracked, gen0, gen1, gen2, permanent.
  untracked INTEGER NOT NULL,
  gen0 INTEGER NOT NULL,
  gen1 INTEGER NOT NULL,
  gen2 INTEGER NOT NULL,
  permanent INTEGER NOT NULL,
  -- The compact object graph (see src-main/node/snapshots/graph-codec.ts), or NULL with the reason.
  graph BLOB,
  graph_objects INTEGER NOT NULL DEFAULT 0,
  graph_has_ids INTEGER NOT NULL DEFAULT 0 CHECK (graph_has_ids IN (0, 1)),
  graph_roots TEXT,
  graph_omitted TEXT,
  UNIQUE (session_id, seq)
);

-- Live objects per (snapshot, place); clustered on the snapshot, so reading one is a range scan.
CREATE TABLE snapshot_groups (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  key_id INTEGER NOT NULL REFERENCES snapshot_keys (id),
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  untracked INTEGER NOT NULL,
  gen0 INTEGER NOT NULL,
  gen1 INTEGER NOT NULL,
  gen2 INTEGER NOT NULL,
  permanent INTEGER NOT NULL,
  PRIMARY KEY (snapshot_id, key_id)
) WITHOUT ROWID;
