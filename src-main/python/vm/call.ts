// Calls: binding arguments into a frame (initialize_locals), running a frame, creating a
// generator from a generator function's frame, and PyObject_Call's dispatch.
import { NULL } from '../../sim';
import { Frame, PyErr } from './runtime';
import type { Runtime, Id, Kw, CodeInfo, FuncPayload, GenPayload } from './runtime';
import { addTraceback, releaseFrame } from './frames';

export function callFunctionObj(R: Runtime, fn: Id, args: Id[], kw: Kw): Id {
  return call(R, fn, args, kw);
}

/** PyObject_Call: Python functions and bound methods directly, anything else through tp_call. */
export function call(R: Runtime, fn: Id, args: Id[], kw: Kw): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(fn);
  if (t === T.function) return callPython(R, fn, args, kw, 0);
  if (t === T.method) return callPython(R, h.getRef(fn, 0), args, kw, h.getRef(fn, 1));
  if (t === T.builtin) return R.P[fn].fn(args, kw);
  if (t === T.boundbuiltin) return R.P[fn].fn(h.getRef(fn, 0), args, kw);
  if (t === T.builtin) return R.P[fn].fn(args, kw);
  const tc = R.slots[t]?.tp_call;
  if (tc) return tc(R, fn, args, kw);
  throw R.err('TypeError', `'${R.typeName(fn)}' object is not callable`);
}

function tooMany(R: Runtime, code: CodeInfo, given: number): PyErr {
  const n = code.params.nPositional;
  return R.err('TypeError', `${code.name}() takes ${n} positional argument${n === 1 ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`);
}

/** Binds arguments into a fresh frame (CPython's initialize_locals). */
export function bindFrame(R: Runtime, fn: Id, args: Id[], kw: Kw, self: Id): Frame {
  const p = R.P[fn] as FuncPayload;
  const code = p.code;
  const h = R.heap;
  const f = new Frame(R, code, p.globals, R.frame);
  const fast = f.fast;
  const ps = code.params;
  const nPos = ps.nPositional;
  let ai = 0;
  let pi = 0;
  if (self) {
    fast[pi++] = R.incref(self);
  }
  const given = args.length + (self ? 1 : 0);
  for (; pi < nPos && ai < args.length; pi++, ai++) fast[pi] = R.incref(args[ai]);
  if (ai < args.length) {
    if (!ps.varargs) throw tooMany(R, code, given);
  }
  let idx = nPos + ps.nKwOnly;
  if (ps.varargs) {
    const rest: Id[] = [];
    for (; ai < args.length; ai++) rest.push(R.incref(args[ai]));
    fast[idx++] = R.newTuple(rest);
  }
  let kwDict = 0;
  if (ps.varkw) {
    kwDict = R.newDict();
    fast[idx + 0] = kwDict;
  }
  if (kw) {
    for (const [name, v] of kw) {
      const i = ps.names.indexOf(name);
      if (i >= 0 && i < nPos + ps.nKwOnly) {
        if (fast[i]) throw R.err('TypeError', `${code.name}() got multiple values for argument '${name}'`);
        fast[i] = R.incref(v);
      } else if (kwDict) {
        const k = R.intern(name);
        R.dictSet(kwDict, k, v);
        R.decref(k);
      } else throw R.err('TypeError', `${code.name}() got an unexpected keyword argument '${name}'`);
    }
  }
  // Defaults fill the last nDefaults positional parameters.
  const defaults = p.nDefaults ? h.getRef(fn, 0) : 0;
  for (let i = 0; i < nPos; i++) {
    if (fast[i]) continue;
    const di = i - (nPos - p.nDefaults);
    if (di >= 0 && defaults) fast[i] = R.incref(h.getRef(defaults, di));
    else {
      releaseFrame(R, f);
      throw R.err('TypeError', `${code.name}() missing 1 required positional argument: '${ps.names[i]}'`);
    }
  }
  for (let i = nPos; i < nPos + ps.nKwOnly; i++) {
    if (fast[i]) continue;
    const d = p.kwDefaults?.get(ps.names[i]);
    if (d) fast[i] = R.incref(d);
    else {
      releaseFrame(R, f);
      throw R.err('TypeError', `${code.name}() missing 1 required keyword-only argument: '${ps.names[i]}'`);
    }
  }
  // MAKE_CELL for captured locals, COPY_FREE_VARS from the closure.
  if (code.nCells) {
    for (const [local, cell] of code.cellOfLocal) {
      const c = R.alloc(R.T.cell, R.sz.cell);
      if (fast[local]) {
        h.appendRef(c, fast[local]);
        h.decref(fast[local]);
        fast[local] = 0;
      } else h.appendRef(c, NULL);
      f.cells[cell] = c;
    }
  }
  if (code.nFree) {
    const closure = h.getRef(fn, 1);
    for (let i = 0; i < code.nFree; i++) f.cells[code.nCells + i] = R.incref(h.getRef(closure, i));
  }
  return f;
}

export function callPython(R: Runtime, fn: Id, args: Id[], kw: Kw, self: Id): Id {
  const code = (R.P[fn] as FuncPayload).code;
  const f = bindFrame(R, fn, args, kw, self);
  if (code.isGenerator) return makeGenerator(R, fn, f);
  return runFrame(R, f);
}

export function makeGenerator(R: Runtime, fn: Id, f: Frame): Id {
  const code = f.code;
  // The generator embeds its frame: localsplus and the value stack (gen_sizeof).
  const slots = code.nLocals + code.nCells + code.nFree + (code.stackSize ?? 2);
  const g = R.alloc(R.T.generator, R.sz.generatorBase + 8 * slots);
  // The generator's frame keeps its function alive (f_func).
  R.heap.appendRef(g, fn);
  f.back = null;
  R.P[g] = { it: code.gen!(f), frame: f, running: false, started: false, name: code.name } as GenPayload;
  return g;
}

export function runFrame(R: Runtime, f: Frame): Id {
  const saved = R.frame;
  R.frame = f;
  if (++R.depth > 900) {
    R.depth--;
    R.frame = saved;
    releaseFrame(R, f);
    throw R.err('RecursionError', 'maximum recursion depth exceeded');
  }
  try {
    return f.code.run(f);
  } catch (e) {
    if (e instanceof PyErr) addTraceback(R, e, f);
    throw e;
  } finally {
    R.depth--;
    R.frame = saved;
    R.line = saved ? saved.line : R.line;
    releaseFrame(R, f);
  }
}
