-- Sessions, their samples (memory over time) and their collections.
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  scenario TEXT NOT NULL,
  source TEXT NOT NULL,
  settings TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
  message TEXT,
  output TEXT NOT NULL DEFAULT '',
  gc_totals TEXT NOT NULL DEFAULT '{"collections":[0,0,0],"collected":[0,0,0],"uncollectable":[0,0,0]}',
  duration_ns REAL NOT NULL DEFAULT 0,
  peak_live_bytes INTEGER NOT NULL DEFAULT 0,
  sample_count INTEGER NOT NULL DEFAULT 0,
  gc_event_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_created ON sessions (created_at DESC, id DESC);

-- seq numbers a session's samples from 0 in time order; the table is clustered on it.
CREATE TABLE samples (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  t REAL NOT NULL,
  live_bytes INTEGER NOT NULL,
  arena_bytes INTEGER NOT NULL,
  objects INTEGER NOT NULL,
  gen0 INTEGER NOT NULL,
  gen1 INTEGER NOT NULL,
  gen2 INTEGER NOT NULL,
  count0 INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE INDEX samples_by_session_time ON samples (session_id, t);

-- Min/max of every metric per block of 64 consecutive samples (block = seq / 64), kept
-- up to date as samples are written: long ranges are downsampled from these.
CREATE TABLE sample_blocks (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  block INTEGER NOT NULL,
  n INTEGER NOT NULL,
  t_min REAL NOT NULL,
  t_max REAL NOT NULL,
  min_live_bytes INTEGER NOT NULL, max_live_bytes INTEGER NOT NULL,
  min_arena_bytes INTEGER NOT NULL, max_arena_bytes INTEGER NOT NULL,
  min_objects INTEGER NOT NULL, max_objects INTEGER NOT NULL,
  min_gen0 INTEGER NOT NULL, max_gen0 INTEGER NOT NULL,
  min_gen1 INTEGER NOT NULL, max_gen1 INTEGER NOT NULL,
  min_gen2 INTEGER NOT NULL, max_gen2 INTEGER NOT NULL,
  min_count0 INTEGER NOT NULL, max_count0 INTEGER NOT NULL,
  PRIMARY KEY (session_id, block)
) WITHOUT ROWID;

CREATE TABLE gc_events (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  t REAL NOT NULL,
  generation INTEGER NOT NULL CHECK (generation IN (0, 1, 2)),
  collected INTEGER NOT NULL,
  uncollectable INTEGER NOT NULL,
  explicit INTEGER NOT NULL CHECK (explicit IN (0, 1)),
  size0 INTEGER NOT NULL,
  size1 INTEGER NOT NULL,
  size2 INTEGER NOT NULL,
  size3 INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE INDEX gc_events_by_session_time ON gc_events (session_id, t);
