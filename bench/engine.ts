// Engine benchmark: full collections of a 2M-object heap, side by side with CPython (python3)
// running the equivalent program in the same run. Lines: `NAME VALUE UNIT` and `ratio NAME VALUE`.
// Live collections: best of 3 on both sides. bytes_per_object = the engine's typed arrays
// (byteLength, capacity included) / live objects; host_array_buffers_per_object is Node's own
// arrayBuffers figure (it includes arrays awaiting JS garbage collection unless run with --expose-gc).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Heap, NULL } from '../src-main/sim';

const TREES = 9901; // 9901 roots × (1 + 100 children) ≈ 1M nodes, each with a children list: 2M tracked objects
const CHILDREN = 100;

const PYTHON = `
import gc, json, sys, time
class Node:
    def __init__(self, parent=None):
        self.children = []
        self.parent = parent
gc.disable()
forest = []
for t in range(${TREES}):
    r = Node()
    for i in range(${CHILDREN}):
        r.children.append(Node(r))
    forest.append(r)
gc.collect()
gc.enable()
live = []
for _ in range(3):
    t0 = time.perf_counter(); n_live = gc.collect(); live.append(time.perf_counter() - t0)
del forest, r
t2 = time.perf_counter(); n_garbage = gc.collect(); t3 = time.perf_counter()
print(json.dumps({"live": min(live), "garbage": t3 - t2, "n_live": n_live, "n_garbage": n_garbage, "version": sys.version.split()[0]}))
`;

interface PyResult {
  live: number;
  garbage: number;
  n_live: number;
  n_garbage: number;
  version: string;
}

function runPython(): PyResult | null {
  const r = spawnSync('python3', ['-S', '-c', PYTHON], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    console.log(`# python3 failed: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PyResult;
}

function buildForest(heap: Heap) {
  const listT = heap.defineType({ name: 'list', gc: true, kind: 'list', freelist: 'list' });
  const classT = heap.defineType({ name: 'type', gc: true, kind: 'class' });
  const nodeT = heap.defineType({ name: 'Node', gc: true, kind: 'instance' });
  const z = heap.sizes;
  const cls = heap.alloc(classT, z.classObject, 1);
  const newNode = (parent: number): number => {
    const n = heap.alloc(nodeT, z.instance, 5, { extraBytes: z.instanceValues(4) });
    heap.appendRef(n, cls);
    const children = heap.alloc(listT, z.list(0), 6, { freelist: true });
    heap.appendRef(n, children); // self.children = []
    heap.decref(children);
    heap.appendRef(n, parent); // self.parent = parent
    return n;
  };
  const forest = heap.alloc(listT, z.list(0), 12, { freelist: true });
  heap.gc.disable();
  for (let t = 0; t < TREES; t++) {
    const r = newNode(NULL);
    const children = heap.getRef(r, 1);
    for (let i = 0; i < CHILDREN; i++) {
      const c = newNode(r);
      heap.appendRef(children, c);
      heap.decref(c);
    }
    heap.resize(children, z.list(104));
    heap.appendRef(forest, r);
    heap.decref(r);
  }
  heap.gc.enable();
  return forest;
}

interface EngineResult {
  objects: number;
  tracked: number;
  buildS: number;
  liveS: number;
  nLive: number;
  garbageS: number;
  nGarbage: number;
  bytesPerObject: number;
  arrayBuffersPerObject: number;
}

function runEngine(): EngineResult {
  const heap = new Heap({ profile: '3.11' });
  const tb = performance.now();
  const forest = buildForest(heap);
  const buildS = (performance.now() - tb) / 1000;
  heap.gc.collect(); // settle, as the Python side does
  const objects = heap.liveObjects;
  const tracked = heap.metrics().gen2;
  let liveS = Infinity;
  let nLive = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    nLive += heap.gc.collect();
    liveS = Math.min(liveS, (performance.now() - t0) / 1000);
  }
  const bytesPerObject = heap.hostBytes() / objects;
  const gcHook = (globalThis as { gc?: () => void }).gc;
  gcHook?.(); // with --expose-gc, drop the arrays replaced while growing before reading arrayBuffers
  const arrayBuffersPerObject = process.memoryUsage().arrayBuffers / objects;
  heap.decref(forest);
  const t2 = performance.now();
  const nGarbage = heap.gc.collect();
  const garbageS = (performance.now() - t2) / 1000;
  return { objects, tracked, buildS, liveS, nLive, garbageS, nGarbage, bytesPerObject, arrayBuffersPerObject };
}

/** Allocation churn: `x = []` (freelist pop/push) and `x = Node()` (count0++/--), engine side only. */
function churnRate(): number {
  const churn = new Heap({ profile: '3.11' });
  const churnList = churn.defineType({ name: 'list', gc: true, kind: 'list', freelist: 'list' });
  const churnInst = churn.defineType({ name: 'Node', gc: true, kind: 'instance' });
  const N = 2_000_000;
  const tc = performance.now();
  for (let i = 0; i < N; i++) {
    churn.decref(churn.alloc(churnList, 56, 1, { freelist: true }));
    churn.decref(churn.alloc(churnInst, 56, 2));
  }
  return (2 * N) / ((performance.now() - tc) / 1000);
}

export async function runEngineBench(): Promise<void> {
  // Two rounds, alternating CPython and the engine, best of each: the machine is shared, so a
  // single pair of runs can compare a loaded moment with a quiet one.
  const pys: PyResult[] = [];
  const engines: EngineResult[] = [];
  for (let round = 0; round < 2; round++) {
    const py = runPython();
    if (py) pys.push(py);
    engines.push(runEngine());
  }
  const e = engines.reduce((a, b) => ({ ...a, liveS: Math.min(a.liveS, b.liveS), garbageS: Math.min(a.garbageS, b.garbageS), buildS: Math.min(a.buildS, b.buildS) }));
  const rate = churnRate();

  console.log(`engine_alloc_free ${(rate / 1e6).toFixed(1)} Mops/s`);
  console.log(`engine_objects ${e.objects} objects`);
  console.log(`engine_tracked ${e.tracked} objects`);
  console.log(`engine_build ${e.buildS.toFixed(3)} s`);
  console.log(`engine_full_collect_live ${e.liveS.toFixed(4)} s`);
  console.log(`engine_full_collect_garbage ${e.garbageS.toFixed(4)} s`);
  console.log(`engine_collected_garbage ${e.nGarbage} objects`);
  console.log(`bytes_per_object ${e.bytesPerObject.toFixed(1)} bytes`);
  console.log(`host_array_buffers_per_object ${e.arrayBuffersPerObject.toFixed(1)} bytes`);
  if (e.nLive !== 0) console.log(`# unexpected: the live collection found ${e.nLive} unreachable objects`);
  if (pys.length > 0) {
    const live = Math.min(...pys.map((p) => p.live));
    const garbage = Math.min(...pys.map((p) => p.garbage));
    console.log(`python_version ${pys[0].version} -`);
    console.log(`python_full_collect_live ${live.toFixed(4)} s`);
    console.log(`python_full_collect_garbage ${garbage.toFixed(4)} s`);
    console.log(`python_collected_garbage ${pys[0].n_garbage} objects`);
    console.log(`ratio full_collect_live ${(e.liveS / live).toFixed(3)}`);
    console.log(`ratio full_collect_garbage ${(e.garbageS / garbage).toFixed(3)}`);
  }
}
