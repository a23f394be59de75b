// The Python front end: parse with @lezer/python, compile once to closures, run on the engine.
import { Heap } from '../sim';
import type { CollectionEvent } from '../sim';
import type { GcEvent, GcTotals, RunSettings, Sample } from '../common/domain';
import type { ProgramProbe, ProgramState, RunFailure, RunHooks, RunOptions, RunOutcome, SnapshotCapable } from './program';
import { captureSnapshot } from './snapshot';
import { CompileError, RunAbort } from './errors';
import { compileModule } from './compile/compiler';
import { Frame, PyErr, Runtime, SITE_INTERNAL } from './vm/runtime';
import type { Id, GenPayload, CodeInfo } from './vm/runtime';
import { call, callPython, runFrame } from './vm/call';
import { releaseFrame } from './vm/frames';
import { excMessage, formatTraceback } from './vm/traceback';
import { repr } from './objects/abstract';
import { installBuiltins } from './builtins/install';
import { markImported } from './modules/registry';
import { simulatedNs } from './modules/time';

/** Tracked objects when a script's first line runs under `python3.11 -S` (measured). */
const STARTUP_TRACKED = 4029;

export type { RunOutcome, RunFailure, RunHooks, RunOptions, ProgramState, ProgramProbe } from './program';

/** Check for the editor: a syntax error or unsupported construct (compiled, not run), else null. */
export function checkSyntax(source: string, filename: string): RunFailure | null {
  // A runtime of its own (constants are created while compiling): a run in progress is untouched.
  try {
    const rt = new Runtime(new Heap({ profile: '3.11' }), '3.11', filename, source, { stepBudget: 0, memoryLimit: null, tickEvery: 1000, hooks: { output: () => undefined, tick: () => true } });
    installBuiltins(rt);
    compileModule(rt, source, filename);
    return null;
  } catch (e) {
    if (e instanceof CompileError) return { kind: e.kind, message: e.message, traceback: null, location: e.location };
    throw e;
  }
}

function totalsOf(heap: Heap): GcTotals {
  const s = heap.gc.getStats();
  return {
    collections: [s[0].collections, s[1].collections, s[2].collections],
    collected: [s[0].collected, s[1].collected, s[2].collected],
    uncollectable: [s[0].uncollectable, s[1].uncollectable, s[2].uncollectable],
  };
}

function subTotals(a: GcTotals, b: GcTotals): GcTotals {
  const d = (x: number[], y: number[]) => [x[0] - y[0], x[1] - y[1], x[2] - y[2]] as [number, number, number];
  return { collections: d(a.collections, b.collections), collected: d(a.collected, b.collected), uncollectable: d(a.uncollectable, b.uncollectable) };
}

export function runProgram(source: string, filename: string, settings: RunSettings, hooks: RunHooks, options: RunOptions = {}): RunOutcome {
  const heap = new Heap({ profile: settings.profile, thresholds: [...settings.thresholds] as [number, number, number] });
  let output = '';
  const emit = (text: string, stream: 'stdout' | 'stderr') => {
    output += text;
    hooks.onOutput?.(text, stream);
  };
  const globals = new Map<string, Id>();
  // eslint-disable-next-line prefer-const -- assigned after the runtime that closes over it
  let state: ProgramState & SnapshotCapable;
  const rt = new Runtime(heap, settings.profile, filename, source, {
    stepBudget: settings.stepBudget,
    memoryLimit: settings.memoryLimitBytes,
    tickEvery: options.tickEvery ?? 1000,
    hooks: {
      output: emit,
      tick: () => (hooks.onTick ? hooks.onTick(state) !== false : true),
      scriptSnapshot: hooks.onSnapshot ? () => hooks.onSnapshot!(state.snapshot('script'), state) : undefined,
    },
  });
  installBuiltins(rt);
  let baseTotals = totalsOf(heap);
  state = {
    get steps() {
      return rt.steps;
    },
    get timeNs() {
      return simulatedNs(rt);
    },
    sample(): Sample {
      const m = heap.metrics();
      return { t: simulatedNs(rt), liveBytes: m.liveBytes, arenaBytes: m.arenaBytes, objects: m.objects, gen0: m.gen0, gen1: m.gen1, gen2: m.gen2, count0: m.count0 };
    },
    gcTotals: () => subTotals(totalsOf(heap), baseTotals),
    snapshot: (reason, snapshotOptions) => captureSnapshot(rt, globals, simulatedNs(rt), reason, snapshotOptions),
  };
  const fail = (f: RunFailure, status: 'failed' | 'stopped' = 'failed'): RunOutcome => ({ status, failure: f, steps: rt.steps, timeNs: simulatedNs(rt), gcTotals: state.gcTotals() });

  // Compile (constants are created here, before the workload, like co_consts).
  let code: CodeInfo;
  try {
    code = compileModule(rt, source, filename);
  } catch (e) {
    if (e instanceof CompileError) return fail({ kind: e.kind, message: e.message, traceback: null, location: e.location });
    if (e instanceof PyErr) return fail({ kind: 'syntax', message: 'SyntaxError: ' + excMessage(rt, e.exc), traceback: null, location: null });
    throw e;
  }

  if (!options.startState) {
    // A fresh `python -S script.py` reaches the script's first line with the interpreter's own
    // long-lived objects tracked (3.11.7: 4029, spread over generations 0 and 1 by the startup
    // collections). Allocating as many here lets the collector place them the same way.
    const m = heap.metrics();
    const startup = Math.max(0, STARTUP_TRACKED - (m.gen0 + m.gen1 + m.gen2));
    for (let i = 0; i < startup; i++) rt.seen(heap.alloc(rt.T.internal, 64, SITE_INTERNAL));
  }
  const collections: [number, number, number, number][] = [];
  let seq = 0;
  heap.addListener({
    onCollection(e: CollectionEvent) {
      collections.push([e.generation, e.collected, e.uncollectable, e.explicit ? 1 : 0]);
      if (hooks.onCollection) {
        const ev: GcEvent = { seq: ++seq, t: simulatedNs(rt), generation: e.generation as 0 | 1 | 2, collected: e.collected, uncollectable: e.uncollectable, explicit: e.explicit, sizes: e.sizes as GcEvent['sizes'] };
        hooks.onCollection(ev, state);
      }
    },
  });
  installEngineHooks(rt);

  if (options.startState) {
    rt.driverCaller = true;
    markImported(rt, ['tracemalloc']);
    // The simulator's own builtins (types, functions, modules) count toward the measured baseline.
    const m = heap.metrics();
    heap.createBaseline(Math.max(0, options.startState.trackedObjects - (m.gen0 + m.gen1 + m.gen2)));
    // The driver's own allocations after its gc.collect(), alive during the workload (measured
    // in record.py's driver: gen 0 then holds the get_stats() list and two tuples): the stats
    // list, untracked dicts, the get_threshold() tuple; the last one counted is the
    // `count0 = gc.get_count()` tuple, allocated after tracemalloc.start() (below).
    const driverObjects = options.startState.count[0];
    for (let i = 0; i < driverObjects - 2; i++) rt.seen(heap.alloc(rt.T.internal, 48, SITE_INTERNAL, { track: i === 0 }));
    if (driverObjects >= 2) rt.seen(heap.alloc(rt.T.tuple, heap.sizes.tuple(3), SITE_INTERNAL, { nitems: 3 }));
  }
  baseTotals = totalsOf(heap);

  globals.set('__name__', rt.intern('__main__'));
  globals.set('__file__', rt.newStr(filename));
  globals.set('__doc__', rt.none());
  // The driver's globals: a literal of __name__, __file__, __builtins__ and __doc__.
  rt.initGlobalsKeys(globals.size + 1, 1);
  if (options.traceMemory) heap.tracemallocStart();
  if (options.startState && options.startState.count[0] > 0) {
    rt.seen(heap.alloc(rt.T.tuple, heap.sizes.tuple(3), SITE_INTERNAL, { nitems: 3 }));
    rt.seen(heap.alloc(rt.T.float, heap.sizes.float, SITE_INTERNAL));
  }
  const frame = new Frame(rt, code, globals, null);
  let outcome: RunOutcome;
  // PyEval_EvalCode wraps the module code in a function object for the duration of the run.
  const moduleFn = rt.alloc(rt.T.function, rt.sz.function);
  try {
    const r = runFrame(rt, frame);
    rt.decref(r);
    rt.decref(moduleFn);
    hooks.onTick?.(state);
    outcome = { status: 'complete', failure: null, steps: rt.steps, timeNs: simulatedNs(rt), gcTotals: state.gcTotals() };
  } catch (e) {
    outcome = failureOf(e, rt, emit, fail);
  }
  if (options.startState && options.traceMemory && outcome.status === 'complete') {
    // Still traced by the driver after exec(): `t1 = perf()` and `count1 = gc.get_count()`.
    rt.seen(heap.alloc(rt.T.float, heap.sizes.float, SITE_INTERNAL));
    rt.seen(heap.alloc(rt.T.tuple, heap.sizes.tuple(3), SITE_INTERNAL, { freelist: true, nitems: 3 }));
  }
  options.onFinish?.(makeProbe(rt, globals, collections, () => output));
  return outcome;
}

function failureOf(e: unknown, rt: Runtime, emit: (t: string, s: 'stdout' | 'stderr') => void, fail: (f: RunFailure, status?: 'failed' | 'stopped') => RunOutcome): RunOutcome {
  if (e instanceof PyErr) {
    const tb = formatTraceback(rt, e.exc);
    emit(tb, 'stderr');
    const msg = excMessage(rt, e.exc);
    return fail({ kind: 'exception', message: msg, traceback: tb, location: { filename: rt.filename, line: rt.frame?.line ?? rt.line, col: 1 } });
  }
  if (e instanceof RunAbort) {
    emit(e.message + '\n', 'stderr');
    return fail({ kind: e.kind, message: e.message, traceback: null, location: { filename: rt.filename, line: rt.line, col: 1 } }, e.kind === 'stopped' ? 'stopped' : 'failed');
  }
  if (e instanceof CompileError) return fail({ kind: e.kind, message: e.message, traceback: null, location: e.location });
  if (e instanceof RangeError && /call stack/.test(e.message)) {
    const msg = 'RecursionError: maximum recursion depth exceeded';
    emit(msg + '\n', 'stderr');
    return fail({ kind: 'exception', message: msg, traceback: msg, location: { filename: rt.filename, line: rt.line, col: 1 } });
  }
  // A defect of the simulator itself: end the run cleanly rather than crash the caller.
  const msg = `SystemError: simulator internal error: ${e instanceof Error ? e.message : String(e)}`;
  emit(msg + '\n', 'stderr');
  return fail({ kind: 'exception', message: msg, traceback: null, location: { filename: rt.filename, line: rt.line, col: 1 } });
}

function installEngineHooks(rt: Runtime): void {
  const heap = rt.heap;
  heap.gc.callbacksInstalled = true;
  heap.setHooks({
    onFree: (id: number) => {
      const p = rt.P[id];
      rt.P[id] = undefined;
      if (typeof p === 'string' && rt.interned.get(p) === id) rt.interned.delete(p);
      if (p && heap.typeOf(id) === rt.T.generator) {
        const g = p as GenPayload;
        const it = g.it;
        if (it) {
          g.it = null;
          // Closing a suspended generator runs its pending finally blocks (gen_close).
          if (!g.running) {
            try {
              it.return(0);
            } catch (e) {
              if (e instanceof PyErr) rt.decref(e.exc);
              else throw e;
            }
          }
          releaseFrame(rt, g.frame);
        }
      }
    },
    runFinalizer: (id: number) => {
      if (heap.typeOf(id) === rt.T.generator) return;
      const cls = rt.classOf(id);
      const del = rt.lookupClassAttr(cls, '__del__');
      if (!del) return;
      const saved = rt.line;
      try {
        rt.decref(callPython(rt, del, [], null, id));
      } catch (e) {
        if (!(e instanceof PyErr)) throw e;
        rt.write(`Exception ignored in: ${repr(rt, del)}\n${formatTraceback(rt, e.exc)}`, 'stderr');
        rt.decref(e.exc);
      } finally {
        rt.line = saved;
      }
    },
    runWeakrefCallback: (w: number, cb: number) => {
      try {
        rt.decref(call(rt, cb, [w], null));
      } catch (e) {
        if (!(e instanceof PyErr)) throw e;
        rt.write(`Exception ignored in: ${repr(rt, cb)}\n${formatTraceback(rt, e.exc)}`, 'stderr');
        rt.decref(e.exc);
      }
    },
    onGcCallback: (phase, generation, collected, uncollectable) => {
      const cbs = rt.gcCallbacks;
      const n = heap.refLen(cbs);
      if (n === 0) return;
      // invoke_gc_callback: one info dict and one argument call per callback.
      const info = rt.newDict(3, true);
      for (const [k, v] of [['generation', generation], ['collected', collected], ['uncollectable', uncollectable]] as const) {
        const key = rt.intern(k);
        const val = rt.newInt(v);
        rt.dictSet(info, key, val);
        rt.decref(key);
        rt.decref(val);
      }
      const ph = rt.intern(phase);
      try {
        for (let i = 0; i < heap.refLen(cbs); i++) {
          try {
            rt.decref(call(rt, heap.getRef(cbs, i), [ph, info], null));
          } catch (e) {
            if (!(e instanceof PyErr)) throw e;
            rt.write(`Exception ignored in gc callback\n${formatTraceback(rt, e.exc)}`, 'stderr');
            rt.decref(e.exc);
          }
        }
      } finally {
        rt.decref(ph);
        rt.decref(info);
      }
    },
    onOutput: (text: string) => rt.write(text, 'stderr'),
    appendToGarbage: (id: number) => rt.listAppend(rt.gcGarbage, id),
  });
}

function toJson(rt: Runtime, v: Id, depth = 0): unknown {
  const T = rt.T;
  const h = rt.heap;
  const t = h.typeOf(v);
  if (depth > 50) return null;
  if (v === rt.NONE) return null;
  if (t === T.bool) return v === rt.TRUE;
  if (t === T.int || t === T.float) return rt.P[v] as number;
  if (t === T.str) return rt.P[v] as string;
  if (t === T.list || t === T.tuple) {
    const out: unknown[] = [];
    for (let i = 0; i < h.refLen(v); i++) out.push(toJson(rt, h.getRef(v, i), depth + 1));
    return out;
  }
  if (t === T.dict) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of rt.dictEntries(v)) out[rt.isStr(k) ? (rt.P[k] as string) : repr(rt, k)] = toJson(rt, x, depth + 1);
    return out;
  }
  return repr(rt, v);
}

function makeProbe(rt: Runtime, globals: Map<string, Id>, collections: [number, number, number, number][], output: () => string): ProgramProbe {
  const heap = rt.heap;
  return {
    globalJson: (name) => {
      const v = globals.get(name);
      return v === undefined ? undefined : toJson(rt, v);
    },
    gcCount: () => heap.gc.getCount() as [number, number, number],
    gcStats: () => totalsOf(heap),
    collections: () => collections,
    tracedPeak: () => heap.tracedPeak,
    tracedCurrent: () => heap.tracedBytes,
    output,
  };
}
