// Storage benchmark: how fast a run's samples are written (batched transactions, as the
// recorder does), and how long a 1M-sample session's series takes to open at 2000 buckets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../src-main/common/domain';
import { openConnection, openDatabase } from '../src-main/node/db/open';
import { EMPTY_GC_TOTALS, Store } from '../src-main/node/db/store';

const BATCH = 5000;
const BUCKETS = 2000;

export interface StoreBenchOptions {
  /** Default 1,000,000 (what the figure's name says); tests use fewer. */
  samples?: number;
  print?: (line: string) => void;
}

export async function runStoreBench(options: StoreBenchOptions = {}): Promise<void> {
  const sampleCount = options.samples ?? 1_000_000;
  const print = options.print ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'pygc-bench-store-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const { db } = openDatabase(file);
    const store = new Store(db);
    const sessionId = store.createSession({
      name: 'bench',
      scenario: 'bench.py',
      source: '',
      settings: { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 1e9, memoryLimitBytes: null, snapshotEveryMs: null },
    });

    const batch: Sample[] = new Array(BATCH);
    let peak = 0;
    const started = performance.now();
    for (let i = 0; i < sampleCount; i += BATCH) {
      batch.length = Math.min(BATCH, sampleCount - i);
      for (let j = 0; j < batch.length; j++) {
        const n = i + j;
        const live = 1_000_000 + ((n * 7919) % 500_000) + (n % 100_000 === 0 ? 5_000_000 : 0);
        if (live > peak) peak = live;
        batch[j] = { t: n * 1000, liveBytes: live, arenaBytes: live + 262_144, objects: live >> 6, gen0: n % 700, gen1: n % 10, gen2: n >> 10, count0: n % 700 };
      }
      store.appendBatch(sessionId, batch, [], { durationNs: (i + batch.length) * 1000, peakLiveBytes: peak, gcTotals: EMPTY_GC_TOTALS });
    }
    const writeMs = performance.now() - started;
    db.close();
    print(`samples_written_per_s ${Math.round(sampleCount / (writeMs / 1000))} samples/s`);

    // Opening the session as the UI does: a fresh connection, its detail, then the series.
    const openStart = performance.now();
    const reader = new Store(openConnection(file));
    reader.getDetail(sessionId);
    const series = reader.getSeries(sessionId, BUCKETS);
    const openMs = performance.now() - openStart;
    reader.db.close();
    if (series.total !== sampleCount) throw new Error(`series saw ${series.total} samples, expected ${sampleCount}`);
    print(`open_downsample_1M ${openMs.toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
