-- Runs have an owner: the process recording them (its pid and host) and a heartbeat (ms since
-- the epoch, written with every batch). Only a 'running' session whose owner is gone is marked
-- 'interrupted'. A run stopped on request is 'stopped' (it was 'complete' with a message).
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt (foreign keys are
-- off while migrations run, so the samples, collections and snapshots that refer to it stay).
CREATE TABLE sessions_new (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  scenario TEXT NOT NULL,
  source TEXT NOT NULL,
  settings TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'stopped', 'interrupted', 'failed')),
  message TEXT,
  output TEXT NOT NULL DEFAULT '',
  gc_totals TEXT NOT NULL DEFAULT '{"collections":[0,0,0],"collected":[0,0,0],"uncollectable":[0,0,0]}',
  duration_ns REAL NOT NULL DEFAULT 0,
  peak_live_bytes INTEGER NOT NULL DEFAULT 0,
  sample_count INTEGER NOT NULL DEFAULT 0,
  gc_event_count INTEGER NOT NULL DEFAULT 0,
  owner_pid INTEGER,
  owner_host TEXT,
  heartbeat_at INTEGER
);
INSERT INTO sessions_new (id, name, scenario, source, settings, profile, created_at, status, message, output, gc_totals,
  duration_ns, peak_live_bytes, sample_count, gc_event_count)
SELECT id, name, scenario, source, settings, profile, created_at,
  CASE WHEN status = 'complete' AND message = 'stopped by the user' THEN 'stopped' ELSE status END,
  CASE WHEN status = 'complete' AND message = 'stopped by the user' THEN 'Stopped on request' ELSE message END,
  output, gc_totals, duration_ns, peak_live_bytes, sample_count, gc_event_count
FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_by_created ON sessions (created_at DESC, id DESC);
CREATE INDEX sessions_running ON sessions (status) WHERE status = 'running';
