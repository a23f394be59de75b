// Operations on values: truth, repr, arithmetic, comparison, iteration, attributes, calls.
// Every function returning an Id returns a NEW reference; arguments are borrowed.
import { NULL, listPreallocateExact } from '../sim';
import { Frame, PyErr } from './runtime';
import { RunAbort } from './errors';
import * as S from './sizes';
import type { Runtime, Id, Kw, ClassInfo, FuncPayload, IterPayload, GenPayload, DictPayload, SetPayload, CodeInfo } from './runtime';

export let R: Runtime;
export function setRuntime(R: Runtime, r: Runtime): void {
  R = r;
}

// ------------------------------------------------------------------ truth and text

export function truthy(R: Runtime, v: Id): boolean {
  if (v === R.TRUE) return true;
  if (v === R.FALSE || v === R.NONE) return false;
  const t = R.heap.typeOf(v);
  const T = R.T;
  if (t === T.int || t === T.float) return R.P[v] !== 0;
  if (t === T.str || t === T.bytes) return (R.P[v] as string).length > 0;
  if (t === T.list || t === T.tuple) return R.heap.refLen(v) > 0;
  if (t === T.dict) return (R.P[v] as DictPayload).map.size > 0;
  if (t === T.set || t === T.frozenset) return (R.P[v] as SetPayload).map.size > 0;
  const cls = R.isUserInstance(v);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__bool__') || R.lookupClassAttr(cls, '__len__');
    if (m) {
      const r = callFunctionObj(R, m, [v], null);
      const b = truthy(R, r);
      R.decref(r);
      return b;
    }
  }
  return true;
}

function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e16 || a < 1e-4)) {
    const [m, e] = x.toExponential().split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (Number.isInteger(x)) return x.toFixed(1);
  return String(x);
}

function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    if (ch === q || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else out += ch;
  }
  return out + q;
}

export function repr(R: Runtime, v: Id, depth = 0): string {
  const t = R.heap.typeOf(v);
  const T = R.T;
  const h = R.heap;
  if (depth > 20) return '...';
  if (v === R.NONE) return 'None';
  if (t === T.bool) return v === R.TRUE ? 'True' : 'False';
  if (t === T.int) return String(R.P[v]);
  if (t === T.float) return floatRepr(R.P[v]);
  if (t === T.str) return strRepr(R.P[v]);
  if (t === T.bytes) return 'b' + strRepr(R.P[v]);
  if (t === T.list) {
    const n = h.refLen(v);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(repr(R, h.getRef(v, i), depth + 1));
    return '[' + parts.join(', ') + ']';
  }
  if (t === T.tuple) {
    const n = h.refLen(v);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(repr(R, h.getRef(v, i), depth + 1));
    return '(' + parts.join(', ') + (n === 1 ? ',)' : ')');
  }
  if (t === T.dict) {
    return '{' + R.dictEntries(v).map(([k, x]) => repr(R, k, depth + 1) + ': ' + repr(R, x, depth + 1)).join(', ') + '}';
  }
  if (t === T.set || t === T.frozenset) {
    const items = R.setItems(v);
    if (items.length === 0) return t === T.set ? 'set()' : 'frozenset()';
    const body = '{' + items.map((x) => repr(R, x, depth + 1)).join(', ') + '}';
    return t === T.set ? body : 'frozenset(' + body + ')';
  }
  if (t === T.type) {
    const c = R.P[v] as ClassInfo;
    return c.builtin !== null && !c.isException ? `<class '${c.name}'>` : `<class '${c.builtin !== null ? c.name : '__main__.' + c.name}'>`;
  }
  if (t === T.function) return `<function ${(R.P[v] as FuncPayload).code.qualname} at 0x${addr(v)}>`;
  if (t === T.builtin) return `<built-in function ${R.P[v].name}>`;
  if (t === T.range) {
    const p = R.P[v];
    return p.step === 1 ? `range(${p.start}, ${p.stop})` : `range(${p.start}, ${p.stop}, ${p.step})`;
  }
  if (t === T.module) return `<module '${R.P[v].name}'>`;
  if (t === T.generator) return `<generator object ${(R.P[v] as GenPayload).name} at 0x${addr(v)}>`;
  const cls = R.isUserInstance(v);
  if (cls) {
    if (cls.isException) {
      const args = R.getInstanceAttr(v, 'args');
      const n = args ? h.refLen(args) : 0;
      const inner = n === 1 ? repr(R, h.getRef(args, 0)) : n === 0 ? '' : repr(R, args).slice(1, -1);
      return `${cls.name}(${inner})`;
    }
    const m = R.lookupClassAttr(cls, '__repr__');
    if (m) return callToString(R, m, v);
    return `<__main__.${cls.name} object at 0x${addr(v)}>`;
  }
  const hook = R.reprHooks.get(t);
  if (hook) return hook(R, v);
  return `<${R.heap.typeName(t)} object at 0x${addr(v)}>`;
}

/** Text of builtin objects defined outside this module (tracemalloc statistics). */

function callToString(R: Runtime, m: Id, v: Id): string {
  const r = callFunctionObj(R, m, [v], null);
  const s = R.isStr(r) ? (R.P[r] as string) : repr(R, r);
  R.decref(r);
  return s;
}

export function addr(v: Id): string {
  return (0x7f0000000000 + v * 64).toString(16);
}

export function str(R: Runtime, v: Id): string {
  const t = R.heap.typeOf(v);
  if (t === R.T.str) return R.P[v] as string;
  const cls = R.isUserInstance(v);
  if (cls) {
    if (cls.isException) {
      const args = R.getInstanceAttr(v, 'args');
      const n = args ? R.heap.refLen(args) : 0;
      if (n === 0) return '';
      if (n === 1) return cls.name === 'KeyError' || cls.mro.some((c) => c.name === 'KeyError' && c.builtin) ? repr(R, R.heap.getRef(args, 0)) : str(R, R.heap.getRef(args, 0));
      return repr(R, args);
    }
    const m = R.lookupClassAttr(cls, '__str__');
    if (m) return callToString(R, m, v);
  }
  return repr(R, v);
}

// ------------------------------------------------------------------ numbers

export function num(R: Runtime, v: Id): number {
  return R.P[v] as number;
}

function isNum(R: Runtime, v: Id): boolean {
  const t = R.heap.typeOf(v);
  return t === R.T.int || t === R.T.float || t === R.T.bool;
}

function isFloat(R: Runtime, v: Id): boolean {
  return R.heap.typeOf(v) === R.T.float;
}

function mkNum(R: Runtime, x: number, float: boolean): Id {
  if (float) return R.newFloat(x);
  if (!Number.isSafeInteger(x) && Number.isFinite(x)) return R.newInt(x);
  return R.newInt(x);
}

function pyMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

export function binop(R: Runtime, op: string, a: Id, b: Id): Id {
  if (isNum(R, a) && isNum(R, b)) {
    const x = num(R, a);
    const y = num(R, b);
    const fl = isFloat(R, a) || isFloat(R, b);
    switch (op) {
      case '+': return mkNum(R, x + y, fl);
      case '-': return mkNum(R, x - y, fl);
      case '*': return mkNum(R, x * y, fl);
      case '/':
        if (y === 0) throw R.err('ZeroDivisionError', 'division by zero');
        return R.newFloat(x / y);
      case '//':
        if (y === 0) throw R.err('ZeroDivisionError', fl ? 'float floor division by zero' : 'integer division or modulo by zero');
        return mkNum(R, Math.floor(x / y), fl);
      case '%':
        if (y === 0) throw R.err('ZeroDivisionError', fl ? 'float modulo' : 'integer division or modulo by zero');
        return mkNum(R, pyMod(x, y), fl);
      case '**':
        if (!fl && y < 0) return R.newFloat(x ** y);
        return mkNum(R, x ** y, fl);
      case '<<': return R.newInt(x * 2 ** y);
      case '>>': return R.newInt(Math.floor(x / 2 ** y));
      case '&': return R.newInt(Number(BigInt(x) & BigInt(y)));
      case '|': return R.newInt(Number(BigInt(x) | BigInt(y)));
      case '^': return R.newInt(Number(BigInt(x) ^ BigInt(y)));
    }
  }
  const T = R.T;
  const ta = R.heap.typeOf(a);
  const tb = R.heap.typeOf(b);
  const h = R.heap;
  if (ta === T.str) {
    if (op === '+' && tb === T.str) return R.newStr((R.P[a] as string) + (R.P[b] as string));
    if (op === '*' && R.isInt(b)) {
      const n = Math.max(0, num(R, b));
      guardSize(R, (R.P[a] as string).length * n, 1);
      return R.newStr((R.P[a] as string).repeat(n));
    }
    if (op === '%') {
      const fmt = R.P[a] as string;
      const text = percentFormat(R, fmt, b);
      // PyUnicode_Format writes into a buffer of len(format) + 100 characters (and formats
      // numbers through a temporary), then shrinks it into the result: a transient peak.
      const scratch = R.alloc(R.T.str, 49 + fmt.length + 100 + (/%[-+ #0\d.]*[diouxXeEfFgGc]/.test(fmt) ? 32 : 0));
      R.decref(scratch);
      return R.newStr(text);
    }
  }
  if (ta === T.bytes && op === '+' && tb === T.bytes) return R.newBytes((R.P[a] as string) + (R.P[b] as string));
  if (op === '*' && R.isInt(a) && (tb === T.str || tb === T.list || tb === T.tuple)) return binop(R, '*', b, a);
  if (ta === T.list || ta === T.tuple) {
    if (op === '+' && tb === ta) {
      const items: Id[] = [];
      for (let i = 0; i < h.refLen(a); i++) items.push(R.incref(h.getRef(a, i)));
      for (let i = 0; i < h.refLen(b); i++) items.push(R.incref(h.getRef(b, i)));
      return ta === T.list ? R.newList(items, true) : R.newTuple(items);
    }
    if (op === '*' && R.isInt(b)) {
      const items: Id[] = [];
      const n = h.refLen(a);
      guardSize(R, n * Math.max(0, num(R, b)), 8);
      for (let k = 0; k < num(R, b); k++) for (let i = 0; i < n; i++) items.push(R.incref(h.getRef(a, i)));
      return ta === T.list ? R.newList(items, true) : R.newTuple(items);
    }
  }
  if ((ta === T.set || ta === T.frozenset) && (tb === T.set || tb === T.frozenset)) {
    const out = R.newSet(ta === T.frozenset);
    const bp = R.P[b] as SetPayload;
    const ap = R.P[a] as SetPayload;
    if (op === '|') {
      // set_or: set_copy (a merge into an empty set), then a merge of b.
      setUpdate(R, out, a);
      setUpdate(R, out, b);
    } else if (op === '&') {
      for (const x of R.setItems(a)) if (bp.map.has(R.hashKey(x))) R.setAdd(out, x);
    } else if (op === '-') {
      for (const x of R.setItems(a)) if (!bp.map.has(R.hashKey(x))) R.setAdd(out, x);
    } else if (op === '^') {
      for (const x of R.setItems(a)) if (!bp.map.has(R.hashKey(x))) R.setAdd(out, x);
      for (const x of R.setItems(b)) if (!ap.map.has(R.hashKey(x))) R.setAdd(out, x);
    } else {
      R.decref(out);
      throw unsupportedOperand(R, op, a, b);
    }
    return out;
  }
  if (ta === T.dict && tb === T.dict && op === '|') {
    const out = R.newDict(0, false);
    for (const [k, v] of R.dictEntries(a)) R.dictSet(out, k, v);
    for (const [k, v] of R.dictEntries(b)) R.dictSet(out, k, v);
    return out;
  }
  const cls = R.isUserInstance(a);
  if (cls) {
    const m = R.lookupClassAttr(cls, DUNDER[op] ?? '');
    if (m) return callFunctionObj(R, m, [a, b], null);
  }
  throw unsupportedOperand(R, op, a, b);
}

/** A single huge allocation: the container's OOM kill, or MemoryError past what the simulator holds. */
export function guardSize(R: Runtime, items: number, bytesEach: number): void {
  const bytes = items * bytesEach;
  if (R.memoryLimit !== null && R.heap.metrics().liveBytes + bytes > R.memoryLimit) {
    throw new RunAbort('memory-limit', `MemoryError: container memory limit of ${R.memoryLimit} bytes exceeded (OOM kill) at ${R.filename}:${R.line}`);
  }
  if (items > 50_000_000) throw R.err('MemoryError', `not supported yet: a single object of ${items} items`);
}

const DUNDER: Record<string, string> = { '+': '__add__', '-': '__sub__', '*': '__mul__', '/': '__truediv__', '%': '__mod__', '//': '__floordiv__', '@': '__matmul__' };

function unsupportedOperand(R: Runtime, op: string, a: Id, b: Id): PyErr {
  return R.err('TypeError', `unsupported operand type(s) for ${op}: '${R.typeName(a)}' and '${R.typeName(b)}'`);
}

/** In-place operators: lists extend in place; everything else falls back to binop. */
export function inplace(R: Runtime, op: string, a: Id, b: Id): Id {
  if (op === '+' && R.heap.typeOf(a) === R.T.list) {
    listExtend(R, a, b);
    return R.incref(a);
  }
  if ((op === '|' || op === '-') && R.heap.typeOf(a) === R.T.set) {
    if (op === '|') setUpdate(R, a, b);
    else for (const x of iterate(R, b)) { R.setDiscard(a, x); R.decref(x); }
    return R.incref(a);
  }
  return binop(R, op, a, b);
}

/** list_extend (listobject.c 3.11): an empty list (ob_item NULL) is preallocated exactly; an
 * iterable other than a list or tuple reserves its length hint (8 when it has none), then the
 * list is cut back to its size. */
export function listExtend(R: Runtime, l: Id, src: Id): void {
  const h = R.heap;
  const t = h.typeOf(src);
  if (t === R.T.list || t === R.T.tuple) {
    const n = h.refLen(src);
    if (n === 0) return;
    const items: Id[] = [];
    for (let i = 0; i < n; i++) items.push(h.getRef(src, i));
    reserveListItems(R, l, n);
    for (const x of items) h.appendRef(l, x);
    return;
  }
  const it = getIter(R, src);
  try {
    reserveListItems(R, l, lengthHint(R, src, 8));
    for (;;) {
      R.step();
      const x = iterNext(R, it);
      if (!x) break;
      if (h.refLen(l) < (R.P[l] as number)) h.appendRef(l, x);
      else R.listAppend(l, x);
      R.decref(x);
    }
  } finally {
    R.decref(it);
  }
  if (h.refLen(l) < (R.P[l] as number)) R.listSetLen(l, h.refLen(l));
}

/** Room for n more items: list_preallocate_exact on an empty list, list_resize otherwise. */
function reserveListItems(R: Runtime, l: Id, n: number): void {
  const h = R.heap;
  if (n <= 0) return;
  if ((R.P[l] as number) === 0 && h.refLen(l) === 0) {
    guardSize(R, n, 8);
    R.P[l] = listPreallocateExact(n);
    h.resize(l, S.listSize(R.P[l]));
  } else R.listSetLen(l, h.refLen(l) + n);
}

/** PyObject_LengthHint: len() when the object has one, else __length_hint__ of the builtin
 * iterators that define it, else the default. */
export function lengthHint(R: Runtime, v: Id, dflt: number): number {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(v);
  const p = R.P[v];
  switch (t) {
    case T.str: return [...(p as string)].length;
    case T.list: case T.tuple: return h.refLen(v);
    case T.dict: return (p as DictPayload).map.size;
    case T.set: case T.frozenset: return (p as SetPayload).map.size;
    case T.range: {
      const n = p.step > 0 ? Math.ceil((p.stop - p.start) / p.step) : Math.ceil((p.start - p.stop) / -p.step);
      return Math.max(0, n);
    }
    case T.dictview: return (R.P[h.getRef(v, 0)] as DictPayload).map.size;
    case T.listiter: case T.tupleiter: {
      if (h.refLen(v) === 0) return 0;
      return Math.max(0, h.refLen(h.getRef(v, 0)) - (p as IterPayload).index);
    }
    case T.rangeiter: {
      const ip = p as IterPayload;
      const n = ip.step! > 0 ? Math.ceil((ip.stop! - ip.index) / ip.step!) : Math.ceil((ip.index - ip.stop!) / -ip.step!);
      return Math.max(0, n);
    }
    default: return dflt;
  }
}

export function unary(R: Runtime, op: string, a: Id): Id {
  if (op === 'not') return R.bool(!truthy(R, a));
  if (isNum(R, a)) {
    const x = num(R, a);
    if (op === '-') return mkNum(R, -x, isFloat(R, a));
    if (op === '+') return mkNum(R, x, isFloat(R, a));
    if (op === '~') return R.newInt(-x - 1);
  }
  throw R.err('TypeError', `bad operand type for unary ${op}: '${R.typeName(a)}'`);
}

// ------------------------------------------------------------------ comparison

export function eq(R: Runtime, a: Id, b: Id): boolean {
  if (a === b) return true;
  const T = R.T;
  const ta = R.heap.typeOf(a);
  const tb = R.heap.typeOf(b);
  if (isNum(R, a) && isNum(R, b)) return num(R, a) === num(R, b);
  if (ta !== tb) {
    if ((ta === T.set || ta === T.frozenset) && (tb === T.set || tb === T.frozenset)) return setEq(R, a, b);
    return false;
  }
  if (ta === T.str || ta === T.bytes) return R.P[a] === R.P[b];
  const h = R.heap;
  if (ta === T.list || ta === T.tuple) {
    const n = h.refLen(a);
    if (n !== h.refLen(b)) return false;
    for (let i = 0; i < n; i++) if (!eq(R, h.getRef(a, i), h.getRef(b, i))) return false;
    return true;
  }
  if (ta === T.dict) {
    const ea = R.dictEntries(a);
    if (ea.length !== (R.P[b] as DictPayload).map.size) return false;
    for (const [k, v] of ea) {
      const w = R.dictLookup(b, k);
      if (!w || !eq(R, v, w)) return false;
    }
    return true;
  }
  if (ta === T.set || ta === T.frozenset) return setEq(R, a, b);
  const cls = R.isUserInstance(a);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__eq__');
    if (m) {
      const r = callFunctionObj(R, m, [a, b], null);
      const res = truthy(R, r);
      R.decref(r);
      return res;
    }
  }
  return false;
}

function setEq(R: Runtime, a: Id, b: Id): boolean {
  const pa = R.P[a] as SetPayload;
  const pb = R.P[b] as SetPayload;
  if (pa.map.size !== pb.map.size) return false;
  for (const k of pa.map.keys()) if (!pb.map.has(k)) return false;
  return true;
}

/** Three-way order for <, <=, >, >=; throws TypeError when not orderable. */
export function order(R: Runtime, a: Id, b: Id): number {
  if (isNum(R, a) && isNum(R, b)) {
    const x = num(R, a);
    const y = num(R, b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const T = R.T;
  const ta = R.heap.typeOf(a);
  const tb = R.heap.typeOf(b);
  if (ta === tb && (ta === T.str || ta === T.bytes)) {
    const x = R.P[a] as string;
    const y = R.P[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === tb && (ta === T.list || ta === T.tuple)) {
    const h = R.heap;
    const n = Math.min(h.refLen(a), h.refLen(b));
    for (let i = 0; i < n; i++) {
      const x = h.getRef(a, i);
      const y = h.getRef(b, i);
      if (!eq(R, x, y)) return order(R, x, y);
    }
    return h.refLen(a) - h.refLen(b);
  }
  const cls = R.isUserInstance(a);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__lt__');
    if (m) {
      const r = callFunctionObj(R, m, [a, b], null);
      const lt = truthy(R, r);
      R.decref(r);
      if (lt) return -1;
      return eq(R, a, b) ? 0 : 1;
    }
  }
  throw R.err('TypeError', `'<' not supported between instances of '${R.typeName(a)}' and '${R.typeName(b)}'`);
}

export function contains(R: Runtime, container: Id, item: Id): boolean {
  const T = R.T;
  const t = R.heap.typeOf(container);
  const h = R.heap;
  if (t === T.dict) return (R.P[container] as DictPayload).map.has(R.hashKey(item));
  if (t === T.set || t === T.frozenset) return (R.P[container] as SetPayload).map.has(R.hashKey(item));
  if (t === T.str) {
    if (!R.isStr(item)) throw R.err('TypeError', "'in <string>' requires string as left operand");
    return (R.P[container] as string).includes(R.P[item]);
  }
  if (t === T.list || t === T.tuple) {
    const n = h.refLen(container);
    for (let i = 0; i < n; i++) if (eq(R, h.getRef(container, i), item)) return true;
    return false;
  }
  if (t === T.wvdict) {
    const d = h.getRef(container, 0);
    return !!R.dictLookup(d, item);
  }
  for (const x of iterate(R, container)) {
    const found = eq(R, x, item);
    R.decref(x);
    if (found) return true;
  }
  return false;
}

export function compare(R: Runtime, op: string, a: Id, b: Id): boolean {
  switch (op) {
    case '==': return eq(R, a, b);
    case '!=': return !eq(R, a, b);
    case '<': return order(R, a, b) < 0;
    case '<=': return order(R, a, b) <= 0;
    case '>': return order(R, a, b) > 0;
    case '>=': return order(R, a, b) >= 0;
    case 'is': return a === b;
    case 'is not': return a !== b;
    case 'in': return contains(R, b, a);
    case 'not in': return !contains(R, b, a);
  }
  throw R.err('SystemError', 'bad comparison ' + op);
}

// ------------------------------------------------------------------ %-formatting

export function formatSpec(R: Runtime, v: Id, spec: string): string {
  if (spec === '') return str(R, v);
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(#)?(0)?(\d+)?(,|_)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw R.err('ValueError', `Invalid format specifier '${spec}'`);
  const [, fill0, align0, sign, , zero, width, grouping, precision, type] = m;
  let s: string;
  const isN = isNum(R, v);
  const x = isN ? num(R, v) : 0;
  const prec = precision !== undefined ? Number(precision) : undefined;
  switch (type) {
    case 'd': case 'n': s = String(Math.trunc(x)); break;
    case 'f': case 'F': s = x.toFixed(prec ?? 6); break;
    case 'e': case 'E': s = x.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); break;
    case 'g': case 'G': s = prec !== undefined ? String(Number(x.toPrecision(prec || 1))) : String(x); break;
    case '%': s = (x * 100).toFixed(prec ?? 6) + '%'; break;
    case 'x': s = Math.trunc(x).toString(16); break;
    case 'X': s = Math.trunc(x).toString(16).toUpperCase(); break;
    case 'o': s = Math.trunc(x).toString(8); break;
    case 'b': s = Math.trunc(x).toString(2); break;
    case 'c': s = String.fromCodePoint(x); break;
    case 's': s = str(R, v); break;
    default:
      if (isN && prec !== undefined) s = isFloat(R, v) ? x.toFixed(prec) : String(x);
      else if (prec !== undefined) s = str(R, v).slice(0, prec);
      else s = str(R, v);
  }
  if (grouping && isN) {
    const [ip, fp] = s.split('.');
    s = ip.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (fp !== undefined ? '.' + fp : '');
  }
  if (sign === '+' && isN && x >= 0) s = '+' + s;
  else if (sign === ' ' && isN && x >= 0) s = ' ' + s;
  const w = width ? Number(width) : 0;
  if (s.length < w) {
    const fill = fill0 ?? (zero ? '0' : ' ');
    const align = align0 ?? (zero ? '=' : isN ? '>' : '<');
    const pad = w - s.length;
    if (align === '<') s = s + fill.repeat(pad);
    else if (align === '>') s = fill.repeat(pad) + s;
    else if (align === '^') s = fill.repeat(pad >> 1) + s + fill.repeat(pad - (pad >> 1));
    else {
      const signCh = s[0] === '-' || s[0] === '+' ? s[0] : '';
      s = signCh + fill.repeat(pad) + s.slice(signCh.length);
    }
  }
  return s;
}

function percentFormat(R: Runtime, fmt: string, arg: Id): string {
  const h = R.heap;
  const isTuple = h.typeOf(arg) === R.T.tuple;
  const isDict = h.typeOf(arg) === R.T.dict;
  let idx = 0;
  const next = (): Id => {
    if (!isTuple) {
      if (idx++ > 0) throw R.err('TypeError', 'not enough arguments for format string');
      return arg;
    }
    if (idx >= h.refLen(arg)) throw R.err('TypeError', 'not enough arguments for format string');
    return h.getRef(arg, idx++);
  };
  const out = fmt.replace(/%(\([^)]*\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g, (_all, key: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    let v: Id;
    if (key && isDict) {
      const k = R.intern(key.slice(1, -1));
      v = R.dictLookup(arg, k);
      R.decref(k);
      if (!v) throw R.errWith('KeyError', k);
    } else v = next();
    let s: string;
    if (conv === 'r' || conv === 'a') s = repr(R, v);
    else if (conv === 's') s = str(R, v);
    else {
      if (!isNum(R, v)) throw R.err('TypeError', `%${conv} format: a real number is required, not ${R.typeName(v)}`);
      const spec = (flags.includes('+') ? '+' : '') + (prec !== undefined ? '.' + prec : '') + (conv === 'i' || conv === 'u' ? 'd' : conv);
      s = formatSpec(R, v, spec);
    }
    if (width && width !== '*') {
      const w = Number(width);
      if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && conv !== 's' && conv !== 'r' ? s.padStart(w, '0') : s.padStart(w);
    }
    return s;
  });
  if (isTuple && idx < h.refLen(arg)) throw R.err('TypeError', 'not all arguments converted during string formatting');
  if (!isTuple && !isDict && idx === 0 && !fmt.includes('%')) throw R.err('TypeError', 'not all arguments converted during string formatting');
  return out;
}

// ------------------------------------------------------------------ iteration

/** GET_ITER: a new iterator object. */
export function getIter(R: Runtime, v: Id): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(v);
  const sz = R.sz.iterator;
  let it: Id;
  switch (t) {
    case T.list: it = R.alloc(T.listiter, sz); break;
    case T.tuple: it = R.alloc(T.tupleiter, sz); break;
    case T.str: it = R.alloc(T.striter, sz); break;
    case T.dict: it = R.alloc(T.dictiter, 64); R.P[it] = { index: 0, mode: 0 } as IterPayload; h.appendRef(it, v); return it;
    case T.set: case T.frozenset: it = R.alloc(T.setiter, 64); break;
    case T.range: {
      const p = R.P[v];
      it = R.alloc(T.rangeiter, 48);
      R.P[it] = { index: p.start, stop: p.stop, step: p.step } as IterPayload;
      return it;
    }
    case T.dictview: {
      const p = R.P[v];
      const d = h.getRef(v, 0);
      it = R.alloc(p.mode === 2 ? T.dictitemiter : T.dictiter, 64);
      const ip: IterPayload = { index: 0, mode: p.mode };
      R.P[it] = ip;
      h.appendRef(it, d);
      if (p.mode === 2) {
        // dictiter_new preallocates the (key, value) result tuple it recycles.
        attachResultTuple(R, it, ip, 2);
      }
      return it;
    }
    case T.wvdict: return getIter(R, h.getRef(v, 0));
    case T.listiter: case T.tupleiter: case T.dictiter: case T.dictitemiter: case T.setiter: case T.striter: case T.rangeiter:
    case T.enumerate: case T.zip: case T.map: case T.filter: case T.reversed: case T.generator: case T.callableiter:
      return R.incref(v);
    default: {
      const cls = R.isUserInstance(v);
      if (cls) {
        const m = R.lookupClassAttr(cls, '__iter__');
        if (m) return callFunctionObj(R, m, [v], null);
      }
      throw R.err('TypeError', `'${R.typeName(v)}' object is not iterable`);
    }
  }
  R.P[it] = { index: 0 } as IterPayload;
  h.appendRef(it, v);
  return it;
}

/** tp_iternext: a new reference, or 0 when exhausted (no StopIteration is allocated). */
export function iterNext(R: Runtime, it: Id): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(it);
  const p = R.P[it] as IterPayload;
  switch (t) {
    case T.rangeiter: {
      const i = p.index;
      if (p.step! > 0 ? i >= p.stop! : i <= p.stop!) return 0;
      p.index = i + p.step!;
      return R.newInt(i);
    }
    case T.listiter: case T.tupleiter: {
      if (h.refLen(it) === 0) return 0;
      const seq = h.getRef(it, 0);
      if (p.index < h.refLen(seq)) return R.incref(h.getRef(seq, p.index++));
      h.clearRefs(it);
      return 0;
    }
    case T.reversed: {
      if (h.refLen(it) === 0) return 0;
      const seq = h.getRef(it, 0);
      if (p.index >= 0 && p.index < h.refLen(seq)) return R.incref(h.getRef(seq, p.index--));
      h.clearRefs(it);
      return 0;
    }
    case T.striter: {
      if (h.refLen(it) === 0) return 0;
      const s = R.P[h.getRef(it, 0)] as string;
      if (p.index < s.length) {
        const cp = s.codePointAt(p.index)!;
        const ch = String.fromCodePoint(cp);
        p.index += ch.length;
        return R.newStr(ch);
      }
      return 0;
    }
    case T.dictiter: case T.dictitemiter: {
      if (h.refLen(it) === 0) return 0;
      const d = h.getRef(it, 0);
      const dp = R.P[d] as DictPayload;
      while (p.index < dp.n) {
        const e = p.index++;
        const k = h.getRef(d, 2 * e);
        if (k === NULL) continue;
        const v = h.getRef(d, 2 * e + 1);
        if (p.mode === 1) return R.incref(v);
        if (p.mode === 2) return recycledPair(R, it, p, k, v);
        return R.incref(k);
      }
      return 0;
    }
    case T.setiter: {
      if (h.refLen(it) === 0) return 0;
      const s = h.getRef(it, 0);
      const sp = R.P[s] as SetPayload;
      while (p.index < sp.n) {
        const v = h.getRef(s, p.index++);
        if (v !== NULL) return R.incref(v);
      }
      return 0;
    }
    case T.generator: return genResume(R, it, 0);
    default:
      if (p && p.next) return p.next();
      {
        const cls = R.isUserInstance(it);
        if (cls) {
          const m = R.lookupClassAttr(cls, '__next__');
          if (m) {
            try {
              return callFunctionObj(R, m, [it], null);
            } catch (e) {
              if (e instanceof PyErr && R.isInstanceOf(e.exc, R.builtinClasses.get('StopIteration')!)) {
                R.decref(e.exc);
                return 0;
              }
              throw e;
            }
          }
        }
      }
      throw R.err('TypeError', `'${R.typeName(it)}' object is not an iterator`);
  }
}

/** enumerate / zip / dict.items(): reuse the result tuple when nobody else holds it. */
export function recycledPair(R: Runtime, it: Id, p: IterPayload, a: Id, b: Id): Id {
  const res = reusableResult(R, it, p);
  if (res) {
    R.heap.setRef(res, 0, a);
    R.heap.setRef(res, 1, b);
    return retrackResult(R, res);
  }
  return R.newTuple([R.incref(a), R.incref(b)]);
}

/** The constructor's preallocated result tuple (n × None), owned by the iterator as a referent. */
export function attachResultTuple(R: Runtime, it: Id, p: IterPayload, n: number): void {
  const res = R.newTuple(Array.from({ length: n }, () => R.none()));
  p.resultSlot = R.heap.refLen(it);
  R.heap.appendRef(it, res);
  R.decref(res);
}

/** The result tuple when only its iterator holds it (Py_REFCNT(result) == 1), else 0. */
export function reusableResult(R: Runtime, it: Id, p: IterPayload): Id {
  if (p.resultSlot === undefined || p.resultSlot >= R.heap.refLen(it)) return 0;
  const res = R.heap.getRef(it, p.resultSlot);
  return res && R.heap.refcount(res) === 1 ? res : 0;
}

/** A collection may have untracked the reused tuple: CPython re-tracks it before returning it. */
export function retrackResult(R: Runtime, res: Id): Id {
  if (!R.heap.isTracked(res)) R.heap.track(res);
  return R.incref(res);
}

/** Iterate in JS: yields new references the consumer must decref. */
export function* iterate(R: Runtime, v: Id): Generator<Id> {
  const it = getIter(R, v);
  try {
    for (;;) {
      R.step();
      const x = iterNext(R, it);
      if (!x) return;
      yield x;
    }
  } finally {
    R.decref(it);
  }
}

/** set_update_internal: a set or dict argument is merged after one presizing resize
 * (set_merge / the dict branch: (used + n)*2 when (fill + n)*5 >= mask*3); an empty target
 * takes a set's items with set_insert_clean (no further checks); other iterables add one by one. */
export function setUpdate(R: Runtime, s: Id, other: Id): void {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(other);
  if (t === T.set || t === T.frozenset || t === T.dict) {
    const isSet = t !== T.dict;
    const n = isSet ? (R.P[other] as SetPayload).map.size : (R.P[other] as DictPayload).map.size;
    if (other === s || n === 0) return;
    const p = R.P[s] as SetPayload;
    if ((p.fill + n) * 5 >= (p.table - 1) * 3) R.setTableResize(s, (p.map.size + n) * 2);
    if (isSet && p.fill === 0) {
      for (const x of R.setItems(other)) {
        p.map.set(R.hashKey(x), p.n++);
        h.appendRef(s, x);
        p.fill++;
      }
      return;
    }
  }
  for (const x of iterate(R, other)) {
    R.setAdd(s, x);
    R.decref(x);
  }
}

/** PySequence_Fast: a list or tuple itself, else PySequence_List (PyList_New(0) + list_extend). */
export function sequenceFast(R: Runtime, v: Id): Id {
  const t = R.heap.typeOf(v);
  if (t === R.T.list || t === R.T.tuple) return R.incref(v);
  const l = R.alloc(R.T.list, S.listSize(0), { freelist: true });
  R.P[l] = 0;
  try {
    listExtend(R, l, v);
  } catch (e) {
    R.decref(l);
    throw e;
  }
  return l;
}

/** Materialize an iterable as new references. */
export function toArray(R: Runtime, v: Id): Id[] {
  const h = R.heap;
  const t = h.typeOf(v);
  if (t === R.T.list || t === R.T.tuple) {
    const n = h.refLen(v);
    const out = new Array<Id>(n);
    for (let i = 0; i < n; i++) out[i] = R.incref(h.getRef(v, i));
    return out;
  }
  const out: Id[] = [];
  for (const x of iterate(R, v)) out.push(x);
  return out;
}

// ------------------------------------------------------------------ generators

export function genResume(R: Runtime, g: Id, sent: Id): Id {
  const p = R.P[g] as GenPayload;
  if (!p.it) return 0;
  if (p.running) throw R.err('ValueError', 'generator already executing');
  p.running = true;
  const saved = R.frame;
  p.frame.back = saved;
  R.frame = p.frame;
  R.depth++;
  if (R.depth > 900) {
    R.depth--;
    R.frame = saved;
    p.running = false;
    throw R.err('RecursionError', 'maximum recursion depth exceeded');
  }
  try {
    const r = p.it.next(sent);
    if (r.done) {
      finishGen(R, p);
      if (r.value) R.decref(r.value);
      return 0;
    }
    p.started = true;
    return r.value;
  } catch (e) {
    if (e instanceof PyErr) {
      addTraceback(R, e, p.frame);
      finishGen(R, p);
    }
    throw e;
  } finally {
    R.depth--;
    R.frame = saved;
    p.running = false;
  }
}

export function finishGen(R: Runtime, p: GenPayload): void {
  p.it = null;
  releaseFrame(R, p.frame);
}

// ------------------------------------------------------------------ frames and tracebacks

/**
 * take_ownership (3.11): a frame object that outlives its frame (held by a traceback) takes
 * over the frame's locals and links f_back to its caller's frame object, created if needed.
 */
function takeOwnership(R: Runtime, f: Frame, fo: Id): void {
  const h = R.heap;
  if (f.back) {
    if (!f.back.frameObj) f.back.frameObj = R.alloc(R.T.frame, frameObjectSize(R, f.back.code));
    h.appendRef(fo, f.back.frameObj);
  } else if (R.driverCaller && f.code.name === '<module>') {
    if (!R.driverFrameObj) R.driverFrameObj = R.alloc(R.T.frame, R.sz.frame + 8 * 3);
    h.appendRef(fo, R.driverFrameObj);
  }
  for (const v of f.fast) if (v) h.appendRef(fo, v);
  for (const v of f.cells) if (v) h.appendRef(fo, v);
}

export function releaseFrame(R: Runtime, f: Frame): void {
  const h = R.heap;
  if (f.frameObj && h.refcount(f.frameObj) > 1 && h.refLen(f.frameObj) === 0) takeOwnership(R, f, f.frameObj);
  const fast = f.fast;
  for (let i = 0; i < fast.length; i++) {
    const v = fast[i];
    if (v) {
      fast[i] = 0;
      h.decref(v);
    }
  }
  const cells = f.cells;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v) {
      cells[i] = 0;
      h.decref(v);
    }
  }
  if (f.frameObj) {
    const fo = f.frameObj;
    f.frameObj = 0;
    h.decref(fo);
  }
}

/** A frame object embeds a copy of its frame: locals plus the value stack (frame_sizeof). */
export function frameObjectSize(R: Runtime, code: CodeInfo): number {
  const stack = code.stackSize ?? 3;
  return R.sz.frame + 8 * (code.nLocals + code.nCells + code.nFree + stack);
}

/** PyTraceBack_Here: one traceback object per frame the exception passes through. */
export function addTraceback(R: Runtime, e: PyErr, f: Frame): void {
  if (e.lastFrame === f) return;
  e.lastFrame = f;
  if (!f.frameObj) f.frameObj = R.alloc(R.T.frame, frameObjectSize(R, f.code));
  const tb = R.alloc(R.T.traceback, R.sz.traceback);
  R.P[tb] = { filename: f.code.filename, line: f.line, name: f.code.name };
  const prev = R.getInstanceAttr(e.exc, '__traceback__');
  R.heap.appendRef(tb, prev || NULL);
  R.heap.appendRef(tb, f.frameObj);
  R.setAttr(e.exc, '__traceback__', tb);
  R.decref(tb);
}

export function formatTraceback(R: Runtime, exc: Id): string {
  const lines: string[] = ['Traceback (most recent call last):'];
  let tb = R.getInstanceAttr(exc, '__traceback__');
  const h = R.heap;
  const entries: { filename: string; line: number; name: string }[] = [];
  while (tb && tb !== R.NONE && h.typeOf(tb) === R.T.traceback) {
    entries.push(R.P[tb]);
    tb = h.getRef(tb, 0);
  }
  let repeats = 0;
  const flush = () => {
    if (repeats > 0) lines.push(`  [Previous line repeated ${repeats} more time${repeats === 1 ? '' : 's'}]`);
    repeats = 0;
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    // Like CPython, show a run of identical entries three times, then count the rest.
    let same = 0;
    for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
      const p = entries[j];
      if (p.filename === e.filename && p.line === e.line && p.name === e.name) same++;
      else break;
    }
    if (same >= 3) {
      repeats++;
      continue;
    }
    flush();
    lines.push(`  File "${e.filename}", line ${e.line}, in ${e.name}`);
    const src = R.sourceLines[e.line - 1];
    if (src !== undefined && e.filename === R.filename) lines.push('    ' + src.trim());
  }
  flush();
  lines.push(excMessage(R, exc));
  return lines.join('\n') + '\n';
}

export function excMessage(R: Runtime, exc: Id): string {
  const cls = R.classOf(exc);
  const s = str(R, exc);
  return s ? `${cls.name}: ${s}` : cls.name;
}


// ------------------------------------------------------------------ calls

export function callFunctionObj(R: Runtime, fn: Id, args: Id[], kw: Kw): Id {
  return call(R, fn, args, kw);
}

export type CallHandler = (callable: Id, args: Id[], kw: Kw) => Id;
/** Filled by builtins.ts: calling builtin types and objects. */

export function call(R: Runtime, fn: Id, args: Id[], kw: Kw): Id {
  const T = R.T;
  const h = R.heap;
  const t = h.typeOf(fn);
  if (t === T.function) return callPython(R, fn, args, kw, 0);
  if (t === T.method) return callPython(R, h.getRef(fn, 0), args, kw, h.getRef(fn, 1));
  if (t === T.builtin) return R.P[fn].fn(args, kw);
  if (t === T.boundbuiltin) return R.P[fn].fn(h.getRef(fn, 0), args, kw);
  if (t === T.type) return R.callClass!(R, fn, args, kw);
  if (t === T.weakref) {
    const target = h.weakrefTarget(fn);
    return R.incref(target || R.NONE);
  }
  const cls = R.isUserInstance(fn);
  if (cls) {
    const m = R.lookupClassAttr(cls, '__call__');
    if (m) return callPython(R, m, args, kw, fn);
  }
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
