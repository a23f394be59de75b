// The module registry: name → module factory, with what a first import costs per profile.
import type { ProfileId } from '../../sim/profile';
import { tupleSize } from '../../sim/sizes';
import { PyErr, SITE_INTERNAL } from '../vm/runtime';
import type { Runtime, Id } from '../vm/runtime';
import { gcModule } from './gc';
import { sysModule } from './sys';
import { timeModule } from './time';
import { tracemallocModule } from './tracemalloc';
import { weakrefModule } from './weakref';

/**
 * GC objects a first import leaves alive in CPython 3.11.7 (`python -S`, after the fidelity
 * driver's own imports): weakref pulls in weakref.py and _weakrefset (classes, functions,
 * dicts). gc, sys, time and tracemalloc are already loaded at that point.
 */
interface ImportCost {
  /** Objects the import leaves alive (module contents): tracked, and untracked (atomic dicts, tuples). */
  tracked: number;
  untracked: number;
  /** Cyclic garbage the import leaves for the collector. */
  garbage: number;
  /** Bytes the kept objects hold. */
  bytes: number;
  /** Objects it frees into the freelists (sys._debugmallocstats right after the import). */
  freedDicts: number;
  freedLists: number;
  freedTuples: Record<number, number>;
}

/**
 * What a first import costs in CPython 3.11.7 `python -S` (measured with gc.get_count(),
 * gc.get_objects() and sys._debugmallocstats()). gc, sys and time are built in; weakref is
 * measured after the fidelity driver's imports (which include tracemalloc), tracemalloc in a
 * fresh interpreter.
 */
const COST_311: Record<string, ImportCost> = {
  weakref: { tracked: 392, untracked: 0, garbage: 0, bytes: 126920, freedDicts: 4, freedLists: 1, freedTuples: { 1: 2, 2: 29, 3: 3, 4: 2, 5: 2, 7: 1, 8: 2, 9: 1, 12: 1, 13: 1, 16: 1, 18: 1 } },
  tracemalloc: { tracked: 2850, untracked: 2334, garbage: 152, bytes: 2850 * 120 + 2334 * 80, freedDicts: 4, freedLists: 11, freedTuples: { 1: 4, 2: 16, 3: 4, 4: 5, 5: 1, 6: 1, 8: 4, 9: 2, 10: 3, 11: 3, 12: 3, 13: 4, 14: 2, 15: 1, 17: 1, 18: 1 } },
};

export interface ModuleDef {
  create(R: Runtime): Id;
  /** Objects a first import leaves behind, per profile (null for modules built into the
   * interpreter). Every profile has an entry: a new profile must say what its imports cost. */
  importCost: Readonly<Record<ProfileId, ImportCost | null>>;
}

const BUILT_IN: Readonly<Record<ProfileId, null>> = { '3.11': null, '3.13': null };

/** The measured costs are 3.11.7's; 3.13 uses them too until it is measured. */
const costOf = (name: string): Readonly<Record<ProfileId, ImportCost>> => ({ '3.11': COST_311[name], '3.13': COST_311[name] });

/** Every module a program can import, in the order they are created at startup. */
export const MODULES: Readonly<Record<string, ModuleDef>> = {
  gc: { create: gcModule, importCost: BUILT_IN },
  sys: { create: sysModule, importCost: BUILT_IN },
  time: { create: timeModule, importCost: BUILT_IN },
  tracemalloc: { create: tracemallocModule, importCost: costOf('tracemalloc') },
  weakref: { create: weakrefModule, importCost: costOf('weakref') },
};

/** Creates every module object (they exist before the workload, like built-in modules). */
export function installModules(R: Runtime): void {
  for (const [name, def] of Object.entries(MODULES)) R.modules.set(name, def.create(R));
}

/** Modules the fidelity driver has already imported before the workload. */
export function markImported(R: Runtime, names: string[]): void {
  for (const n of names) R.importedOnce.add(n);
}

function payImportCost(R: Runtime, m: Id, cost: ImportCost): void {
  const kept = cost.tracked + cost.untracked;
  const each = Math.round(cost.bytes / Math.max(1, kept));
  for (let i = 0; i < kept; i++) {
    R.heap.appendRef(m, R.seen(R.heap.alloc(R.T.internal, each, SITE_INTERNAL, { track: i < cost.tracked })));
    R.decref(R.heap.getRef(m, R.heap.refLen(m) - 1));
  }
  for (let i = 0; i < cost.garbage; i++) {
    const g = R.seen(R.heap.alloc(R.T.internal, 64, SITE_INTERNAL));
    R.heap.appendRef(g, g);
    R.decref(g);
  }
  const transient: Id[] = [];
  for (let i = 0; i < cost.freedDicts; i++) transient.push(R.newDict(0, false));
  for (let i = 0; i < cost.freedLists; i++) transient.push(R.alloc(R.T.list, 56, { freelist: false }));
  for (const [n, k] of Object.entries(cost.freedTuples)) {
    for (let i = 0; i < k; i++) {
      const t = R.alloc(R.T.tuple, tupleSize(Number(n)), { freelist: false, nitems: Number(n) });
      for (let j = 0; j < Number(n); j++) R.heap.appendRef(t, R.NONE);
      transient.push(t);
    }
  }
  for (const t of transient) R.decref(t);
}

/** IMPORT_NAME: the module object, paying its first-import cost once per run. `where`: the
 * importing statement's file:line (for the message of a module the simulator lacks). */
export function importModule(R: Runtime, name: string, where: string): Id {
  const m = R.modules.get(name);
  const cost = MODULES[name]?.importCost[R.profile];
  if (m !== undefined && cost && !R.importedOnce.has(name)) {
    R.importedOnce.add(name);
    payImportCost(R, m, cost);
  }
  if (m === undefined) throw new PyErr(R.makeException(R.builtinClasses.get('ModuleNotFoundError')!, [R.newStr(`not supported yet: module '${name}' at ${where}`)]));
  return R.incref(m);
}
