// Calling the builtin types (their tp_new/tp_init): int(), list(), dict(), zip(), map()…
import { NULL } from '../../sim';
import { listSize } from '../../sim/sizes';
import type { Runtime, Id } from '../vm/runtime';
import { clinicKeywords, intArg, kwGet, withArgsTuple } from '../vm/args';
import { call } from '../vm/call';
import { getIter, iterNext, iterate, repr, str, toArray, truthy } from '../objects/abstract';
import { enumerateObj, makeIterObj, zipObj } from '../objects/iterators';
import { newRange } from '../objects/range';
import { setUpdate } from '../objects/set';
import { listExtend } from '../objects/list';

function toInt(R: Runtime, v: Id, base?: number): Id {
  const T = R.T;
  const t = R.heap.typeOf(v);
  if (t === T.int) return R.incref(v);
  if (t === T.bool) return R.newInt(R.P[v]);
  if (t === T.float) {
    const x = R.P[v] as number;
    if (!Number.isFinite(x)) throw R.err('OverflowError', 'cannot convert float infinity to integer');
    return R.newInt(Math.trunc(x));
  }
  if (t === T.str) {
    const s = (R.P[v] as string).trim().replace(/_/g, '');
    const n = base ? parseInt(s, base) : /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
    if (Number.isNaN(n)) throw R.err('ValueError', `invalid literal for int() with base ${base ?? 10}: ${repr(R, v)}`);
    return R.newInt(n);
  }
  throw R.err('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${R.typeName(v)}'`);
}

/** The constructors of the builtin classes, by ClassInfo.builtin key. */
export function installConstructors(R: Runtime): void {
  const T = R.T;
  const h = R.heap;
  // constructors
  R.constructors.set('object', () => R.alloc(T.object, R.sz.object));
  // int and bytes have no vectorcall in 3.11 (type_call packs an argument tuple); min and max
  // are METH_VARARGS builtins (their arguments arrive as a tuple too).
  R.constructors.set('int', (args, kw) => {
    // type_call with keywords also packs them into a dict (_PyStack_AsDict).
    const kwDict = kw && kw.size ? R.newDict() : 0;
    try {
      clinicKeywords(R, 'int', ['', 'base'], kw);
      const baseArg = args[1] ?? kwGet(kw, 'base');
      return withArgsTuple(R, args, () => (args.length ? toInt(R, args[0], baseArg ? intArg(R, baseArg) : undefined) : R.newInt(0)));
    } finally {
      if (kwDict) R.decref(kwDict);
    }
  });
  R.constructors.set('float', (args) => {
    if (!args.length) return R.newFloat(0);
    const v = args[0];
    if (R.isStr(v)) {
      const x = Number((R.P[v] as string).trim());
      if (Number.isNaN(x) && !/nan/i.test(R.P[v])) throw R.err('ValueError', `could not convert string to float: ${repr(R, v)}`);
      return R.newFloat(x);
    }
    return R.newFloat(R.P[v] as number);
  });
  R.constructors.set('bool', (args) => R.bool(args.length ? truthy(R, args[0]) : false));
  R.constructors.set('str', (args) => {
    // str has no vectorcall in 3.11: the call goes through an argument tuple.
    const t = R.newTuple(args.map((a) => R.incref(a)));
    try {
      return args.length ? (R.isStr(args[0]) ? R.incref(args[0]) : R.newStr(str(R, args[0]))) : R.newStr('');
    } finally {
      R.decref(t);
    }
  });
  R.constructors.set('bytes', (args) => withArgsTuple(R, args, () => R.newBytes(args.length ? (R.isInt(args[0]) ? '\0'.repeat(intArg(R, args[0])) : R.isStr(args[0]) ? (R.P[args[0]] as string) : toArray(R, args[0]).map((x) => {
    const c = String.fromCharCode(R.P[x]);
    R.decref(x);
    return c;
  }).join('')) : '')));
  R.constructors.set('list', (args) => {
    // list(...) uses tp_alloc: never from the freelist. list___init__ preallocates len(x)
    // exactly when x has a length, which is what list_extend does into an empty list.
    const l = R.alloc(T.list, listSize(0), { freelist: false });
    R.P[l] = 0;
    if (args.length) {
      try {
        listExtend(R, l, args[0]);
      } catch (e) {
        R.decref(l);
        throw e;
      }
    }
    return l;
  });
  R.constructors.set('tuple', (args) => {
    if (!args.length) return R.incref(R.EMPTY_TUPLE);
    if (h.typeOf(args[0]) === T.tuple) return R.incref(args[0]);
    return R.newTuple(toArray(R, args[0]));
  });
  R.constructors.set('dict', (args, kw) => {
    const d = R.newDict(0, false);
    if (args.length) {
      const src = args[0];
      if (h.typeOf(src) === T.dict) for (const [k, v] of R.dictEntries(src)) R.dictSet(d, k, v);
      else for (const pair of iterate(R, src)) {
        const kv = toArray(R, pair);
        R.decref(pair);
        R.dictSet(d, kv[0], kv[1]);
        for (const x of kv) R.decref(x);
      }
    }
    if (kw) for (const [k, v] of kw) {
      const key = R.intern(k);
      R.dictSet(d, key, v);
      R.decref(key);
    }
    return d;
  });
  const setCtor = (frozen: boolean) => (args: Id[]) => {
    const s = R.newSet(frozen);
    if (args.length) setUpdate(R, s, args[0]);
    return s;
  };
  R.constructors.set('set', setCtor(false));
  R.constructors.set('frozenset', setCtor(true));
  R.constructors.set('range', (args) => {
    const n = args.map((a) => intArg(R, a));
    if (n.length === 1) return newRange(R, 0, n[0], 1);
    return newRange(R, n[0], n[1], n[2] ?? 1);
  });
  R.constructors.set('enumerate', (args, kw) => enumerateObj(R, args[0], args[1] ? intArg(R, args[1]) : kw?.get('start') ? intArg(R, kw.get('start')!) : 0));
  R.constructors.set('zip', (args) => zipObj(R, args));
  R.constructors.set('map', (args) => {
    // map_vectorcall: the iterators go into a tuple (lz->iters) before the map object exists.
    const fn = args[0];
    const iters = R.newTuple(args.slice(1).map((a) => getIter(R, a)));
    const n = args.length - 1;
    const it = R.alloc(T.map, 56);
    h.appendRef(it, fn);
    h.appendRef(it, iters);
    R.decref(iters);
    R.P[it] = {
      index: 0, next: () => {
        const ittuple = h.getRef(it, 1);
        const vals: Id[] = [];
        for (let i = 0; i < n; i++) {
          const x = iterNext(R, h.getRef(ittuple, i));
          if (!x) {
            for (const v of vals) R.decref(v);
            return 0;
          }
          vals.push(x);
        }
        try {
          return call(R, h.getRef(it, 0), vals, null);
        } finally {
          for (const v of vals) R.decref(v);
        }
      },
    };
    return it;
  });
  R.constructors.set('filter', (args) => {
    const inner = getIter(R, args[1]);
    const it = makeIterObj(R, T.filter, 56, [args[0], inner], () => {
      for (;;) {
        const x = iterNext(R, h.getRef(it, 1));
        if (!x) return 0;
        const fn = h.getRef(it, 0);
        let ok: boolean;
        if (fn === R.NONE) ok = truthy(R, x);
        else {
          const r = call(R, fn, [x], null);
          ok = truthy(R, r);
          R.decref(r);
        }
        if (ok) return x;
        R.decref(x);
      }
    });
    R.decref(inner);
    return it;
  });
  R.constructors.set('reversed', (args) => {
    const src = args[0];
    const t = h.typeOf(src);
    if (t === T.list || t === T.tuple) {
      const it = R.alloc(T.reversed, 48);
      h.appendRef(it, src);
      R.P[it] = { index: h.refLen(src) - 1 };
      return it;
    }
    const items = toArray(R, src).reverse();
    const l = R.newList(items, false);
    const it = R.alloc(T.reversed, 48);
    h.appendRef(it, l);
    R.decref(l);
    R.P[it] = { index: items.length - 1 };
    return it;
  });
  R.constructors.set('type', (args) => {
    if (args.length !== 1) throw R.err('NotImplementedError', 'not supported yet: type() with 3 arguments');
    return R.incref(R.classOf(args[0]).id);
  });
  const wrap = (t: number) => (args: Id[]) => {
    const w = R.alloc(t, 56);
    h.appendRef(w, args[0]);
    return w;
  };
  R.constructors.set('staticmethod', wrap(T.staticmethod));
  R.constructors.set('classmethod', wrap(T.classmethod));
  R.constructors.set('property', wrap(T.property));
  R.constructors.set('weakref.ref', (args) => {
    const target = args[0];
    const cb = args[1] && args[1] !== R.NONE ? args[1] : NULL;
    const t = h.typeOf(target);
    if (t === T.int || t === T.str || t === T.tuple || t === T.list || t === T.dict || t === T.none || t === T.bool || t === T.float) {
      throw R.err('TypeError', `cannot create weak reference to '${R.typeName(target)}' object`);
    }
    return R.seen(h.newWeakref(T.weakref, target, cb, R.sz.weakref, R.line));
  });
  R.constructors.set('WeakValueDictionary', () => {
    const w = R.alloc(T.wvdict, 64);
    const d = R.newDict();
    h.appendRef(w, d);
    R.decref(d);
    return w;
  });
  R.constructors.set('BaseException', () => R.none());
}
