// Every query of the app, over one better-sqlite3 connection; SQL only with bound parameters.
import type {
  GcEvent,
  GcTotals,
  Profile,
  RunSettings,
  Sample,
  SeriesData,
  SeriesMetric,
  SessionDetail,
  SessionStatus,
  SessionSummary,
} from '../../common/domain';
import { SERIES_METRICS } from '../../common/domain';
import type { Transaction } from 'better-sqlite3';
import { hostname, uptime } from 'node:os';
import type { Db } from './open';

export const EMPTY_GC_TOTALS: GcTotals = { collections: [0, 0, 0], collected: [0, 0, 0], uncollectable: [0, 0, 0] };

export interface NewSession {
  name: string;
  scenario: string;
  source: string;
  settings: RunSettings;
  createdAt?: string;
}

export interface SessionProgress {
  durationNs: number;
  peakLiveBytes: number;
  gcTotals: GcTotals;
  /** The output so far, when it changed since the last write. */
  output?: string;
}

export interface SessionEnd extends SessionProgress {
  status: Exclude<SessionStatus, 'running'>;
  message: string | null;
  output: string;
}

interface SessionRow {
  id: number;
  name: string;
  scenario: string;
  source: string;
  settings: string;
  profile: string;
  created_at: string;
  status: SessionStatus;
  message: string | null;
  output: string;
  gc_totals: string;
  duration_ns: number;
  peak_live_bytes: number;
  sample_count: number;
  gc_event_count: number;
}

interface GcEventRow {
  seq: number;
  t: number;
  generation: number;
  collected: number;
  uncollectable: number;
  explicit: number;
  /** JSON array: one list length per generation, then the permanent generation. */
  sizes: string;
}

const SUMMARY_COLUMNS =
  'id, name, scenario, profile, created_at, status, message, duration_ns, peak_live_bytes, sample_count, gc_event_count';

const METRIC_COLUMNS: Record<SeriesMetric, string> = {
  liveBytes: 'live_bytes',
  arenaBytes: 'arena_bytes',
  objects: 'objects',
  gen0: 'gen0',
  gen1: 'gen1',
  gen2: 'gen2',
  count0: 'count0',
};

/** Samples per row of sample_blocks (the migration's comment says the same). */
export const BLOCK_SIZE = 64;
/** Long ranges are downsampled from blocks when each bucket would hold this many samples. */
const SAMPLES_PER_BUCKET_FOR_BLOCKS = 4 * BLOCK_SIZE;

const METRIC_LIST = SERIES_METRICS.map((m) => METRIC_COLUMNS[m]);
const BUCKET_OF = (column: string) => `MIN(CAST((${column} - @from) * @scale AS INTEGER), @lastBucket)`;

/** Min/max buckets over the samples numbered lo..hi (a primary-key range). */
export const SERIES_SQL = `
  SELECT ${BUCKET_OF('t')} AS bucket, COUNT(*) AS n, MIN(t) AS tMin, MAX(t) AS tMax,
    ${METRIC_LIST.map((c) => `MIN(${c}) AS min_${c}, MAX(${c}) AS max_${c}`).join(', ')}
  FROM samples WHERE session_id = @sessionId AND seq BETWEEN @lo AND @hi
  GROUP BY bucket ORDER BY bucket`;

/** The same from the blocks numbered lo..hi. */
export const BLOCK_SERIES_SQL = `
  SELECT ${BUCKET_OF('t_min')} AS bucket, SUM(n) AS n, MIN(t_min) AS tMin, MAX(t_max) AS tMax,
    ${METRIC_LIST.map((c) => `MIN(min_${c}) AS min_${c}, MAX(max_${c}) AS max_${c}`).join(', ')}
  FROM sample_blocks WHERE session_id = @sessionId AND block BETWEEN @lo AND @hi
  GROUP BY bucket ORDER BY bucket`;

/** First and last sample of a time range: the range as sample numbers. */
export const FIRST_SEQ_SQL = 'SELECT seq FROM samples WHERE session_id = ? AND t >= ? ORDER BY t, seq LIMIT 1';
export const LAST_SEQ_SQL = 'SELECT seq FROM samples WHERE session_id = ? AND t <= ? ORDER BY t DESC, seq DESC LIMIT 1';

const UPSERT_BLOCK_SQL = `
  INSERT INTO sample_blocks (session_id, block, n, t_min, t_max, ${METRIC_LIST.map((c) => `min_${c}, max_${c}`).join(', ')})
  VALUES (${Array.from({ length: 5 + 2 * METRIC_LIST.length }, () => '?').join(', ')})
  ON CONFLICT (session_id, block) DO UPDATE SET
    n = n + excluded.n, t_min = MIN(t_min, excluded.t_min), t_max = MAX(t_max, excluded.t_max),
    ${METRIC_LIST.map((c) => `min_${c} = MIN(min_${c}, excluded.min_${c}), max_${c} = MAX(max_${c}, excluded.max_${c})`).join(',\n    ')}`;

interface BucketRow {
  bucket: number;
  n: number;
  tMin: number;
  tMax: number;
  [minOrMax: string]: number;
}

export const GC_EVENTS_SQL = `
  SELECT seq, t, generation, collected, uncollectable, explicit, sizes
  FROM gc_events WHERE session_id = @sessionId AND t >= @from AND t <= @to ORDER BY t, seq LIMIT @limit`;

export const INTERRUPTED_MESSAGE = 'the run ended unexpectedly (its process exited or was killed); what it recorded up to then is kept';

/** Who records a running session: a process (pid on host) and when it last wrote. */
export interface RunOwner {
  id?: number;
  pid: number | null;
  host: string | null;
  /** ms since the epoch */
  heartbeat: number | null;
}

const HOST = hostname();

/**
 * Sessions this process is recording, as `${database file}\0${id}`: in-process, a pid probe
 * cannot tell a live run from one whose store was closed (a test, an app reopened in the same
 * process), so this process's own sessions are alive only while their store holds them.
 */
const recordingHere = new Set<string>();
let memorySerial = 0;
/** An owner on another host (a shared folder) is presumed gone after this long without a write. */
export const REMOTE_OWNER_STALE_MS = 5 * 60_000;

/**
 * Whether the process recording a session is still there: on this host, a signal-0 probe of its
 * pid (and a heartbeat from since the machine booted, so a pid reused after a reboot does not
 * count); on another host, a recent heartbeat. Sessions from before owners were kept have none.
 */
export function ownerAlive(owner: RunOwner, now = Date.now()): boolean {
  if (owner.pid === null || owner.heartbeat === null) return false;
  if (owner.host !== HOST) return now - owner.heartbeat < REMOTE_OWNER_STALE_MS;
  if (owner.pid === process.pid) return false; // not among recordingHere (checked first by the store)
  if (owner.heartbeat < now - uptime() * 1000) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class Store {
  private readonly stmts;
  private readonly appendTx: Transaction<(id: number, samples: readonly Sample[], events: readonly GcEvent[], p: SessionProgress) => void>;

  private readonly mine = new Set<number>();
  private readonly dbKey: string;
  private readonly ownKey = (id: number) => `${this.dbKey}\0${id}`;
  private readonly alive = (owner: RunOwner): boolean =>
    owner.pid === process.pid && owner.host === HOST && owner.id !== undefined && recordingHere.has(this.ownKey(owner.id))
      ? true
      : ownerAlive(owner);

  constructor(readonly db: Db) {
    this.dbKey = db.name === ':memory:' ? `:memory:${++memorySerial}` : db.name;
    this.stmts = {
      insertSession: db.prepare(
        `INSERT INTO sessions (name, scenario, source, settings, profile, created_at, status, owner_pid, owner_host, heartbeat_at)
         VALUES (@name, @scenario, @source, @settings, @profile, @createdAt, 'running', @ownerPid, @ownerHost, @now)`,
      ),
      summary: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM sessions WHERE id = ?`),
      detail: db.prepare('SELECT * FROM sessions WHERE id = ?'),
      listAll: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM sessions ORDER BY created_at DESC, id DESC`),
      listSearch: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM sessions
         WHERE name LIKE @pattern ESCAPE '\\' OR scenario LIKE @pattern ESCAPE '\\'
         ORDER BY created_at DESC, id DESC`,
      ),
      rename: db.prepare('UPDATE sessions SET name = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM sessions WHERE id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM sessions'),
      insertSample: db.prepare(
        `INSERT INTO samples (session_id, seq, t, live_bytes, arena_bytes, objects, gen0, gen1, gen2, count0)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertBlock: db.prepare(UPSERT_BLOCK_SQL),
      sampleCount: db.prepare('SELECT sample_count AS n FROM sessions WHERE id = ?'),
      insertEvent: db.prepare(
        `INSERT INTO gc_events (session_id, seq, t, generation, collected, uncollectable, explicit, sizes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      progress: db.prepare(
        `UPDATE sessions SET sample_count = sample_count + @samples, gc_event_count = gc_event_count + @events,
           duration_ns = @durationNs, peak_live_bytes = @peakLiveBytes, gc_totals = @gcTotals,
           output = COALESCE(@output, output), heartbeat_at = @now
         WHERE id = @id`,
      ),
      finish: db.prepare(
        `UPDATE sessions SET status = @status, message = @message, output = @output, duration_ns = @durationNs,
           peak_live_bytes = @peakLiveBytes, gc_totals = @gcTotals
         WHERE id = @id`,
      ),
      running: db.prepare("SELECT id, owner_pid AS pid, owner_host AS host, heartbeat_at AS heartbeat FROM sessions WHERE status = 'running'"),
      owner: db.prepare("SELECT owner_pid AS pid, owner_host AS host, heartbeat_at AS heartbeat FROM sessions WHERE id = ? AND status = 'running'"),
      interrupt: db.prepare(
        `UPDATE sessions SET status = 'interrupted', message = COALESCE(message, '${INTERRUPTED_MESSAGE}')
         WHERE id = ? AND status = 'running'`,
      ),
      timeBounds: db.prepare('SELECT MIN(t) AS lo, MAX(t) AS hi FROM samples WHERE session_id = ?'),
      series: db.prepare(SERIES_SQL),
      blockSeries: db.prepare(BLOCK_SERIES_SQL),
      firstSeq: db.prepare(FIRST_SEQ_SQL).pluck(),
      lastSeq: db.prepare(LAST_SEQ_SQL).pluck(),
      gcEvents: db.prepare(GC_EVENTS_SQL),
    };
    const { insertSample, insertEvent, progress, upsertBlock, sampleCount } = this.stmts;
    this.appendTx = db.transaction((id: number, samples: readonly Sample[], events: readonly GcEvent[], p: SessionProgress) => {
      const first = (sampleCount.get(id) as { n: number } | undefined)?.n ?? 0;
      let block: number[] | null = null;
      let blockNo = -1;
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i]!;
        const seq = first + i;
        insertSample.run(id, seq, s.t, s.liveBytes, s.arenaBytes, s.objects, s.gen0, s.gen1, s.gen2, s.count0);
        const no = Math.floor(seq / BLOCK_SIZE);
        if (no !== blockNo) {
          if (block) upsertBlock.run(id, blockNo, ...block);
          blockNo = no;
          block = [0, s.t, s.t, ...SERIES_METRICS.flatMap((m) => [s[m], s[m]])];
        }
        const b = block!;
        b[0]!++;
        b[2] = s.t;
        for (let k = 0; k < SERIES_METRICS.length; k++) {
          const v = s[SERIES_METRICS[k]!];
          if (v < b[3 + 2 * k]!) b[3 + 2 * k] = v;
          if (v > b[4 + 2 * k]!) b[4 + 2 * k] = v;
        }
      }
      if (block) upsertBlock.run(id, blockNo, ...block);
      for (const e of events) {
        insertEvent.run(id, e.seq, e.t, e.generation, e.collected, e.uncollectable, e.explicit ? 1 : 0, JSON.stringify(e.sizes));
      }
      progress.run({
        id,
        samples: samples.length,
        events: events.length,
        durationNs: p.durationNs,
        peakLiveBytes: p.peakLiveBytes,
        gcTotals: JSON.stringify(p.gcTotals),
        output: p.output ?? null,
        now: Date.now(),
      });
    });
  }

  createSession(s: NewSession): number {
    const info = this.stmts.insertSession.run({
      name: s.name,
      scenario: s.scenario,
      source: s.source,
      settings: JSON.stringify(s.settings),
      profile: s.settings.profile,
      createdAt: s.createdAt ?? new Date().toISOString(),
      ownerPid: process.pid,
      ownerHost: HOST,
      now: Date.now(),
    });
    const id = Number(info.lastInsertRowid);
    this.mine.add(id);
    recordingHere.add(this.ownKey(id));
    return id;
  }

  getSummary(id: number): SessionSummary | null {
    const row = this.stmts.summary.get(id) as SessionRow | undefined;
    return row ? toSummary(row) : null;
  }

  getDetail(id: number): SessionDetail | null {
    const row = this.stmts.detail.get(id) as SessionRow | undefined;
    if (!row) return null;
    return {
      ...toSummary(row),
      source: row.source,
      settings: JSON.parse(row.settings) as RunSettings,
      output: row.output,
      gcTotals: JSON.parse(row.gc_totals) as GcTotals,
    };
  }

  listSessions(search?: string): SessionSummary[] {
    const q = search?.trim();
    const rows = (
      q ? this.stmts.listSearch.all({ pattern: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` }) : this.stmts.listAll.all()
    ) as SessionRow[];
    return rows.map(toSummary);
  }

  sessionCount(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  renameSession(id: number, name: string): boolean {
    return this.stmts.rename.run(name, id).changes > 0;
  }

  /** Deletes the session with its samples and collections (foreign keys cascade). */
  deleteSession(id: number): boolean {
    return this.stmts.delete.run(id).changes > 0;
  }

  /**
   * Writes one batch of a running session in a single transaction, begun IMMEDIATE: it reads
   * the sample count before writing, and under WAL a deferred transaction whose read predates
   * another connection's commit cannot upgrade to a write (SQLITE_BUSY at once, busy_timeout
   * notwithstanding). Taking the write lock first makes concurrent runs wait their turn.
   */
  appendBatch(sessionId: number, samples: readonly Sample[], events: readonly GcEvent[], progress: SessionProgress): void {
    this.appendTx.immediate(sessionId, samples, events, progress);
  }

  /** Ends a running session as failed, writing as little as possible (after a failed finishSession). */
  failSession(id: number, message: string): void {
    if (this.mine.delete(id)) recordingHere.delete(this.ownKey(id));
    this.db.prepare("UPDATE sessions SET status = 'failed', message = ? WHERE id = ? AND status = 'running'").run(message, id);
  }

  /** This store's runs are no longer recorded by this process (it is closing): others may mark them interrupted. */
  releaseOwnership(): void {
    for (const id of this.mine) recordingHere.delete(this.ownKey(id));
    this.mine.clear();
  }

  finishSession(id: number, end: SessionEnd): void {
    if (this.mine.delete(id)) recordingHere.delete(this.ownKey(id));
    this.stmts.finish.run({
      id,
      status: end.status,
      message: end.message,
      output: end.output,
      durationNs: end.durationNs,
      peakLiveBytes: end.peakLiveBytes,
      gcTotals: JSON.stringify(end.gcTotals),
    });
  }

  /**
   * Marks 'interrupted' the running sessions whose owner is gone (a process that exited, was
   * killed or crashed), keeping what they recorded; sessions other live processes are recording
   * (the CLI beside the app, another window) are left alone. Returns the ids marked.
   */
  markRunningInterrupted(isAlive: (owner: RunOwner) => boolean = this.alive): number[] {
    const marked: number[] = [];
    for (const row of this.stmts.running.all() as (RunOwner & { id: number })[]) {
      if (isAlive(row)) continue;
      if (this.stmts.interrupt.run(row.id).changes) marked.push(row.id);
    }
    return marked;
  }

  /** The live process recording session `id`, or null (not running, or its owner is gone). */
  recordingOwner(id: number, isAlive: (owner: RunOwner) => boolean = this.alive): RunOwner | null {
    const row = this.stmts.owner.get(id) as RunOwner | undefined;
    if (row) row.id = id;
    return row && isAlive(row) ? row : null;
  }

  /**
   * The samples of [from, to] in `buckets` time buckets; each bucket gives its minimum row
   * (at its first time) and its maximum row (at its last), so spikes survive downsampling.
   * Long ranges read the per-block minima and maxima, plus the raw samples at both ends.
   */
  getSeries(sessionId: number, buckets: number, from?: number, to?: number): SeriesData {
    const bounds = this.stmts.timeBounds.get(sessionId) as { lo: number | null; hi: number | null };
    const lo = from ?? bounds.lo ?? 0;
    const hi = to ?? bounds.hi ?? lo;
    const out: SeriesData = {
      from: lo,
      to: hi,
      total: 0,
      t: [],
      values: Object.fromEntries(SERIES_METRICS.map((m) => [m, [] as number[]])) as Record<SeriesMetric, number[]>,
    };
    if (bounds.lo === null || hi < lo) return out;
    const seqLo = this.stmts.firstSeq.get(sessionId, lo) as number | undefined;
    const seqHi = this.stmts.lastSeq.get(sessionId, hi) as number | undefined;
    if (seqLo === undefined || seqHi === undefined || seqLo > seqHi) return out;

    const span = hi - lo;
    const base = { sessionId, from: lo, scale: span > 0 ? buckets / span : 0, lastBucket: buckets - 1 };
    const raw = (a: number, b: number) => (a <= b ? (this.stmts.series.all({ ...base, lo: a, hi: b }) as BucketRow[]) : []);
    const firstBlock = Math.ceil(seqLo / BLOCK_SIZE);
    const lastBlock = Math.floor((seqHi + 1) / BLOCK_SIZE) - 1;
    let rows: BucketRow[];
    if ((seqHi - seqLo + 1) / buckets < SAMPLES_PER_BUCKET_FOR_BLOCKS || firstBlock > lastBlock) rows = raw(seqLo, seqHi);
    else {
      const blocks = this.stmts.blockSeries.all({ ...base, lo: firstBlock, hi: lastBlock }) as BucketRow[];
      rows = mergeBuckets([raw(seqLo, firstBlock * BLOCK_SIZE - 1), blocks, raw((lastBlock + 1) * BLOCK_SIZE, seqHi)]);
    }

    for (const r of rows) {
      out.total += r.n;
      out.t.push(r.tMin);
      for (const m of SERIES_METRICS) out.values[m].push(r[`min_${METRIC_COLUMNS[m]}`]!);
      if (r.n > 1) {
        out.t.push(r.tMax);
        for (const m of SERIES_METRICS) out.values[m].push(r[`max_${METRIC_COLUMNS[m]}`]!);
      }
    }
    return out;
  }

  getGcEvents(sessionId: number, limit: number, from?: number, to?: number): GcEvent[] {
    const rows = this.stmts.gcEvents.all({
      sessionId,
      from: from ?? -1,
      to: to ?? Number.MAX_VALUE,
      limit,
    }) as GcEventRow[];
    return rows.map((r) => ({
      seq: r.seq,
      t: r.t,
      generation: r.generation,
      collected: r.collected,
      uncollectable: r.uncollectable,
      explicit: r.explicit === 1,
      sizes: JSON.parse(r.sizes) as number[],
    }));
  }
}

function toSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    name: row.name,
    scenario: row.scenario,
    status: row.status,
    createdAt: row.created_at,
    profile: row.profile as Profile,
    sampleCount: row.sample_count,
    gcEventCount: row.gc_event_count,
    peakLiveBytes: row.peak_live_bytes,
    durationNs: row.duration_ns,
    message: row.message,
  };
}

/** Combines bucket rows from several sources (each sorted by bucket) into one sorted list. */
function mergeBuckets(sources: BucketRow[][]): BucketRow[] {
  const byBucket = new Map<number, BucketRow>();
  for (const rows of sources) {
    for (const r of rows) {
      const seen = byBucket.get(r.bucket);
      if (!seen) {
        byBucket.set(r.bucket, { ...r });
        continue;
      }
      seen.n += r.n;
      seen.tMin = Math.min(seen.tMin, r.tMin);
      seen.tMax = Math.max(seen.tMax, r.tMax);
      for (const c of METRIC_LIST) {
        seen[`min_${c}`] = Math.min(seen[`min_${c}`]!, r[`min_${c}`]!);
        seen[`max_${c}`] = Math.max(seen[`max_${c}`]!, r[`max_${c}`]!);
      }
    }
  }
  return [...byBucket.values()].sort((a, b) => a.bucket - b.bucket);
}
