// The gc module: the collector's controls and statistics, gc.garbage and gc.callbacks.
import type { Runtime, Id, BuiltinFn } from '../vm/runtime';
import { intArg, kwGet } from '../vm/args';
import { builtinFn } from '../objects/func';
import { makeModule } from '../objects/module';

export function gcModule(R: Runtime): Id {
  const h = R.heap;
  const gc = h.gc;
  const a = new Map<string, Id | (() => Id)>();
  const fn = (name: string, f: BuiltinFn) => a.set(name, builtinFn(R, name, f));
  const none = () => R.none();
  fn('collect', (args, kw) => {
    const g = args[0] ?? kwGet(kw, 'generation');
    const gen = g ? intArg(R, g) : 2;
    if (gen < 0 || gen > 2) throw R.err('ValueError', 'invalid generation');
    R.line = R.frame?.line ?? R.line;
    return R.newInt(gc.collect(gen));
  });
  fn('enable', () => (gc.enable(), none()));
  fn('disable', () => (gc.disable(), none()));
  fn('isenabled', () => R.bool(gc.isEnabled()));
  fn('get_count', () => R.newTuple(gc.getCount().map((x: number) => R.newInt(x))));
  fn('get_threshold', () => R.newTuple(gc.getThreshold().map((x: number) => R.newInt(x))));
  fn('set_threshold', (args) => {
    const t = args.map((x) => intArg(R, x));
    gc.setThreshold(t[0], t[1], t[2]);
    return none();
  });
  fn('get_stats', () => {
    // gc_get_stats_impl: PyList_New(0), then PyList_Append of one Py_BuildValue dict per generation.
    const stats = gc.getStats();
    const result = R.newList([], true);
    for (const st of stats) {
      const d = R.newDict(3, false);
      for (const [k, v] of [['collections', st.collections], ['collected', st.collected], ['uncollectable', st.uncollectable]] as const) {
        const key = R.intern(k);
        const val = R.newInt(v);
        R.dictSet(d, key, val);
        R.decref(key);
        R.decref(val);
      }
      R.listAppend(result, d);
      R.decref(d);
    }
    return result;
  });
  fn('freeze', () => (gc.freeze(), none()));
  fn('unfreeze', () => (gc.unfreeze(), none()));
  fn('get_freeze_count', () => R.newInt(gc.getFreezeCount()));
  fn('is_tracked', (args) => R.bool(h.isTracked(args[0])));
  fn('is_finalized', (args) => R.bool(gc.isFinalized(args[0])));
  fn('get_objects', (args, kw) => {
    const g = args[0] ?? kwGet(kw, 'generation');
    const ids = g && g !== R.NONE ? gc.getObjects(intArg(R, g)) : gc.getObjects();
    // PyList_New(0) then one append per object (the baseline's objects included).
    const l = R.newList([], true);
    for (const id of ids) R.listAppend(l, id);
    return l;
  });
  fn('get_referrers', (args) => {
    const ids = gc.getReferrers(...args);
    return R.newList(ids.map((i: number) => R.incref(i)), false);
  });
  fn('get_referents', (args) => {
    const ids = gc.getReferents(...args);
    return R.newList(ids.map((i: number) => R.incref(i)), false);
  });
  fn('set_debug', (args) => (gc.setDebug(intArg(R, args[0])), none()));
  fn('get_debug', () => R.newInt(gc.getDebug()));
  a.set('garbage', R.gcGarbage);
  a.set('callbacks', R.gcCallbacks);
  for (const [k, v] of [['DEBUG_STATS', 1], ['DEBUG_COLLECTABLE', 2], ['DEBUG_UNCOLLECTABLE', 4], ['DEBUG_SAVEALL', 32], ['DEBUG_LEAK', 38]] as const) a.set(k, R.newInt(v));
  return makeModule(R, 'gc', a);
}
