// The builtin functions (bltinmodule.c): len, print, isinstance, sorted, min/max…
import { listSize } from '../../sim/sizes';
import { PyErr } from '../vm/runtime';
import type { Runtime, Id, Kw, BuiltinFn } from '../vm/runtime';
import { argErr, clinicKeywords, intArg, kwGet, strOf, withArgsTuple } from '../vm/args';
import { call } from '../vm/call';
import { binop, getAttr, getIter, iterNext, iterate, len, order, repr, str, toArray, truthy } from '../objects/abstract';
import { builtinFn } from '../objects/func';
import { sortKeyed, listExtend } from '../objects/list';

function minmax(R: Runtime, name: string, args: Id[], kw: Kw, sign: number): Id {
  const key = kwGet(kw, 'key');
  const dflt = kwGet(kw, 'default');
  const items = args.length === 1 ? toArray(R, args[0]) : args.map((a) => R.incref(a));
  if (items.length === 0) {
    if (dflt) return R.incref(dflt);
    throw R.err('ValueError', `${name}() arg is an empty sequence`);
  }
  let best = items[0];
  let bestKey = key && key !== R.NONE ? call(R, key, [best], null) : 0;
  try {
    for (let i = 1; i < items.length; i++) {
      const k = key && key !== R.NONE ? call(R, key, [items[i]], null) : 0;
      const c = order(R, k || items[i], bestKey || best);
      if (c * sign > 0) {
        best = items[i];
        if (bestKey) R.decref(bestKey);
        bestKey = k;
      } else if (k) R.decref(k);
    }
  } finally {
    if (bestKey) R.decref(bestKey);
  }
  R.incref(best);
  for (const x of items) R.decref(x);
  return best;
}

/** The builtin functions, in the order CPython's builtins module lists them here. */
export function installFunctions(R: Runtime): void {
  const T = R.T;
  const h = R.heap;
  // builtin functions
  const f = (name: string, fn: BuiltinFn) => R.builtins.set(name, builtinFn(R, name, fn));
  f('len', (args) => R.newInt(len(R, args[0])));
  f('print', (args, kw) => {
    clinicKeywords(R, 'print', ['sep', 'end', 'file', 'flush'], kw);
    const sep = kw?.get('sep');
    const end = kw?.get('end');
    const file = kw?.get('file');
    const text = args.map((a) => str(R, a)).join(sep && sep !== R.NONE ? strOf(R, sep) : ' ') + (end && end !== R.NONE ? strOf(R, end) : '\n');
    R.write(text, file && R.P[file]?.name === 'stderr' ? 'stderr' : 'stdout');
    return R.none();
  });
  f('repr', (args) => R.newStr(repr(R, args[0])));
  f('isinstance', (args) => {
    const c = args[1];
    if (h.typeOf(c) === T.tuple) {
      for (let i = 0; i < h.refLen(c); i++) {
        const ci = R.classInfo(h.getRef(c, i));
        if (ci && R.isInstanceOf(args[0], ci)) return R.bool(true);
      }
      return R.bool(false);
    }
    const ci = R.classInfo(c);
    if (!ci) throw argErr(R, 'isinstance', 'arg 2 must be a type or tuple of types');
    return R.bool(R.isInstanceOf(args[0], ci));
  });
  f('issubclass', (args) => {
    const a = R.classInfo(args[0]);
    const c = R.classInfo(args[1]);
    if (!a || !c) throw argErr(R, 'issubclass', 'arg 1 must be a class');
    return R.bool(a.mro.includes(c) || c.builtin === 'object');
  });
  f('id', (args) => R.newInt(0x7f0000000000 + args[0] * 64));
  f('hash', (args) => {
    const k = R.hashKey(args[0]);
    if (typeof k === 'number') return R.newInt(Number.isInteger(k) ? k : Math.trunc(k * 1e6));
    let hsh = 0;
    for (let i = 0; i < k.length; i++) hsh = (Math.imul(hsh, 31) + k.charCodeAt(i)) | 0;
    return R.newInt(hsh);
  });
  f('abs', (args) => {
    const x = R.P[args[0]] as number;
    return R.heap.typeOf(args[0]) === T.float ? R.newFloat(Math.abs(x)) : R.newInt(Math.abs(x));
  });
  f('round', (args) => {
    const x = R.P[args[0]] as number;
    if (args.length > 1 && args[1] !== R.NONE) {
      const p = 10 ** intArg(R, args[1]);
      return R.newFloat(Math.round(x * p) / p);
    }
    const r = Math.round(x);
    return R.newInt(Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r);
  });
  f('divmod', (args) => {
    const a = binop(R, '//', args[0], args[1]);
    const m = binop(R, '%', args[0], args[1]);
    return R.newTuple([a, m]);
  });
  f('pow', (args) => binop(R, '**', args[0], args[1]));
  f('chr', (args) => R.newStr(String.fromCodePoint(intArg(R, args[0]))));
  f('ord', (args) => R.newInt(strOf(R, args[0]).codePointAt(0)!));
  f('sum', (args) => {
    let acc = args[1] ? R.incref(args[1]) : R.newInt(0);
    for (const x of iterate(R, args[0])) {
      const r = binop(R, '+', acc, x);
      R.decref(acc);
      R.decref(x);
      acc = r;
    }
    return acc;
  });
  f('min', (args, kw) => withArgsTuple(R, args, () => minmax(R, 'min', args, kw, -1)));
  f('max', (args, kw) => withArgsTuple(R, args, () => minmax(R, 'max', args, kw, 1)));
  f('any', (args) => {
    for (const x of iterate(R, args[0])) {
      const t = truthy(R, x);
      R.decref(x);
      if (t) return R.bool(true);
    }
    return R.bool(false);
  });
  f('all', (args) => {
    for (const x of iterate(R, args[0])) {
      const t = truthy(R, x);
      R.decref(x);
      if (!t) return R.bool(false);
    }
    return R.bool(true);
  });
  f('sorted', (args, kw) => {
    // sorted(): PySequence_List (PyList_New(0) + list_extend) then list.sort in place.
    clinicKeywords(R, 'list.sort', ['key', 'reverse'], kw);
    const l = R.alloc(T.list, listSize(0), { freelist: true });
    R.P[l] = 0;
    try {
      listExtend(R, l, args[0]);
      const items = h.refsOf(l);
      const rev = kwGet(kw, 'reverse');
      const order = sortKeyed(R, items, kwGet(kw, 'key'), rev ? truthy(R, rev) : false);
      for (const x of items) R.incref(x);
      order.forEach((x, i) => h.setRef(l, i, x));
      for (const x of items) R.decref(x);
    } catch (e) {
      R.decref(l);
      throw e;
    }
    return l;
  });
  f('iter', (args) => getIter(R, args[0]));
  f('next', (args) => {
    const v = iterNext(R, args[0]);
    if (v) return v;
    if (args.length > 1) return R.incref(args[1]);
    throw R.err('StopIteration');
  });
  f('getattr', (args) => {
    const name = strOf(R, args[1]);
    try {
      return getAttr(R, args[0], name);
    } catch (e) {
      if (args.length > 2 && e instanceof PyErr && R.isInstanceOf(e.exc, R.builtinClasses.get('AttributeError')!)) {
        R.decref(e.exc);
        return R.incref(args[2]);
      }
      throw e;
    }
  });
  f('setattr', (args) => {
    R.setAttr(args[0], strOf(R, args[1]), args[2]);
    return R.none();
  });
  f('delattr', (args) => {
    R.delAttr(args[0], strOf(R, args[1]));
    return R.none();
  });
  f('hasattr', (args) => {
    try {
      R.decref(getAttr(R, args[0], strOf(R, args[1])));
      return R.bool(true);
    } catch (e) {
      if (e instanceof PyErr && R.isInstanceOf(e.exc, R.builtinClasses.get('AttributeError')!)) {
        R.decref(e.exc);
        return R.bool(false);
      }
      throw e;
    }
  });
  f('vars', (args) => {
    if (!args.length) throw R.err('NotImplementedError', 'not supported yet: vars() without an argument');
    if (!R.isUserInstance(args[0])) throw R.err('TypeError', 'vars() argument must have __dict__ attribute');
    return R.incref(R.materializeDict(args[0]));
  });
  f('callable', (args) => {
    const t = h.typeOf(args[0]);
    return R.bool(t === T.function || t === T.method || t === T.builtin || t === T.boundbuiltin || t === T.type || (!!R.isUserInstance(args[0]) && !!R.lookupClassAttr(R.classOf(args[0]), '__call__')));
  });
  f('globals', () => {
    throw R.err('NotImplementedError', 'not supported yet: globals()');
  });
  f('input', () => {
    throw R.err('NotImplementedError', 'not supported yet: input()');
  });
  f('open', () => {
    throw R.err('NotImplementedError', 'not supported yet: open()');
  });
}
