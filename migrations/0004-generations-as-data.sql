-- Generations are data, not three columns: a collection names any generation (the number of
-- generations is the collector's, not the schema's), and the list lengths it began with are a
-- JSON array, one per generation, oldest last, then the permanent generation.
CREATE TABLE gc_events_v3 (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  t REAL NOT NULL,
  generation INTEGER NOT NULL CHECK (generation >= 0),
  collected INTEGER NOT NULL,
  uncollectable INTEGER NOT NULL,
  explicit INTEGER NOT NULL CHECK (explicit IN (0, 1)),
  sizes TEXT NOT NULL CHECK (json_valid(sizes) AND json_type(sizes) = 'array'),
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
INSERT INTO gc_events_v3 (session_id, seq, t, generation, collected, uncollectable, explicit, sizes)
  SELECT session_id, seq, t, generation, collected, uncollectable, explicit, json_array(size0, size1, size2, size3) FROM gc_events;
DROP TABLE gc_events;
ALTER TABLE gc_events_v3 RENAME TO gc_events;
CREATE INDEX gc_events_by_session_time ON gc_events (session_id, t);
