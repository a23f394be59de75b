// str (unicodeobject.c): text in R.P, its slots and methods.
import type { Runtime, Id, MethodFn, TypeSlots, CompareOp } from '../vm/runtime';
import { clinicKeywords, guardSize, intArg, kwGet, strOf } from '../vm/args';
import { listSize } from '../../sim/sizes';
import { formatSpec, percentFormat } from './format';
import { repr, str } from './abstract';
import { numericCompare } from './number';
import { seqIndex, sliceRange } from './slice';
import { seqIter } from './iterators';
import { sequenceFast } from './list';

export function strRepr(s: string): string {
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

function textCompare(R: Runtime, a: Id, b: Id, op: CompareOp): boolean | undefined {
  const t = R.heap.typeOf(a);
  if (R.heap.typeOf(b) !== t) return undefined;
  const x = R.P[a] as string;
  const y = R.P[b] as string;
  return numericCompare(x < y ? -1 : x > y ? 1 : 0, 0, op);
}

/** str % args: PyUnicode_Format writes into a buffer of len(format) + 100 characters (and
 * formats numbers through a temporary), then shrinks it into the result: a transient peak. */
function strRemainder(R: Runtime, a: Id, b: Id): Id {
  if (!R.isStr(a)) return 0;
  const fmt = R.P[a] as string;
  const text = percentFormat(R, fmt, b);
  const scratch = R.alloc(R.T.str, 49 + fmt.length + 100 + (/%[-+ #0\d.]*[diouxXeEfFgGc]/.test(fmt) ? 32 : 0));
  R.decref(scratch);
  return R.newStr(text);
}

/** sq_repeat of str, either operand order. */
function strRepeat(R: Runtime, a: Id, b: Id): Id {
  const [s, n] = R.isStr(a) ? [a, b] : [b, a];
  if (!R.isStr(s) || !R.isInt(n)) return 0;
  const k = Math.max(0, R.P[n] as number);
  guardSize(R, (R.P[s] as string).length * k, 1);
  return R.newStr((R.P[s] as string).repeat(k));
}

export const strSlots: TypeSlots = {
  tp_name: 'str',
  tp_repr: (R, v) => strRepr(R.P[v] as string),
  tp_str: (R, v) => R.P[v] as string,
  tp_hash: (R, v) => R.P[v] as string,
  tp_richcompare: textCompare,
  nb_bool: (R, v) => (R.P[v] as string).length > 0,
  sq_length: (R, v) => [...(R.P[v] as string)].length,
  sq_contains(R, c, item) {
    if (!R.isStr(item)) throw R.err('TypeError', "'in <string>' requires string as left operand");
    return (R.P[c] as string).includes(R.P[item]);
  },
  tp_iter: (R, v) => seqIter(R, R.T.striter, R.sz.iterator, v),
  mp_subscript(R, o, k) {
    const chars = [...(R.P[o] as string)];
    if (R.heap.typeOf(k) === R.T.slice) return R.newStr(sliceRange(R, k, chars.length).map((i) => chars[i]).join(''));
    return R.newStr(chars[seqIndex(R, k, chars.length, 'string index out of range')]);
  },
  nb_add: (R, a, b) => (R.isStr(a) && R.isStr(b) ? R.newStr((R.P[a] as string) + (R.P[b] as string)) : 0),
  nb_multiply: strRepeat,
  nb_remainder: strRemainder,
};

export const bytesSlots: TypeSlots = {
  tp_name: 'bytes',
  tp_repr: (R, v) => 'b' + strRepr(R.P[v] as string),
  tp_hash: (R, v) => '\u0000b' + (R.P[v] as string),
  tp_richcompare: textCompare,
  nb_bool: (R, v) => (R.P[v] as string).length > 0,
  sq_length: (R, v) => (R.P[v] as string).length,
  mp_subscript(R, o, k) {
    const s = R.P[o] as string;
    if (R.heap.typeOf(k) === R.T.slice) return R.newBytes(sliceRange(R, k, s.length).map((i) => s[i]).join(''));
    return R.newInt(s.charCodeAt(seqIndex(R, k, s.length, 'index out of range')));
  },
  nb_add: (R, a, b) => (R.heap.typeOf(a) === R.T.bytes && R.heap.typeOf(b) === R.T.bytes ? R.newBytes((R.P[a] as string) + (R.P[b] as string)) : 0),
};

export function strMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  const s = (id: Id) => R.P[id] as string;
  m.set('upper', (self) => R.newStr(s(self).toUpperCase()));
  m.set('lower', (self) => R.newStr(s(self).toLowerCase()));
  // unicode_result_unchanged: an exact str comes back as itself when nothing changes.
  const same = (self: Id, text: string): Id => (text === s(self) ? R.incref(self) : R.newStr(text));
  m.set('strip', (self, args) => same(self, args[0] && args[0] !== R.NONE ? stripChars(s(self), s(args[0]), 3) : s(self).trim()));
  m.set('lstrip', (self, args) => same(self, args[0] && args[0] !== R.NONE ? stripChars(s(self), s(args[0]), 1) : s(self).trimStart()));
  m.set('rstrip', (self, args) => same(self, args[0] && args[0] !== R.NONE ? stripChars(s(self), s(args[0]), 2) : s(self).trimEnd()));
  m.set('split', (self, args, kw) => (clinicKeywords(R, 'str.split', ['sep', 'maxsplit'], kw), splitToList(R, self, args[0] ?? kwGet(kw, 'sep'), args[1] ?? kwGet(kw, 'maxsplit'), false)));
  m.set('join', (self, args) => {
    // PyUnicode_Join: PySequence_Fast (a list built from any other iterable), and a sequence of
    // one exact str returns that str.
    const seq = sequenceFast(R, args[0]);
    try {
      const n = R.heap.refLen(seq);
      if (n === 1 && R.heap.typeOf(R.heap.getRef(seq, 0)) === R.T.str) return R.incref(R.heap.getRef(seq, 0));
      return R.newStr(R.heap.refsOf(seq).map((x) => strOf(R, x)).join(s(self)));
    } finally {
      R.decref(seq);
    }
  });
  m.set('replace', (self, args) => same(self, s(self).split(s(args[0])).join(s(args[1]))));
  m.set('count', (self, args) => R.newInt(s(self).split(s(args[0])).length - 1));
  m.set('format', (self, args, kw) => {
    let auto = 0;
    const out = s(self).replace(/\{\{|\}\}|\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}/g, (all, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
      if (all === '{{') return '{';
      if (all === '}}') return '}';
      let v: Id;
      if (field === '' || field === undefined) v = args[auto++];
      else if (/^\d+$/.test(field)) v = args[Number(field)];
      else v = kw?.get(field) ?? 0;
      if (!v) throw R.err('IndexError', 'Replacement index out of range');
      if (conv === 'r') return repr(R, v);
      return spec ? formatSpec(R, v, spec) : str(R, v);
    });
    return R.newStr(out);
  });
  m.set('isdigit', (self) => R.bool(/^\d+$/.test(s(self))));
  m.set('title', (self) => R.newStr(s(self).replace(/\b\w/g, (c) => c.toUpperCase())));
  m.set('encode', (self) => R.newBytes(unescape(encodeURIComponent(s(self)))));
  m.set('zfill', (self, args) => R.newStr(s(self).padStart(intArg(R, args[0]), '0')));
  m.set('ljust', (self, args) => R.newStr(s(self).padEnd(intArg(R, args[0]), args[1] ? s(args[1]) : ' ')));
  m.set('rjust', (self, args) => R.newStr(s(self).padStart(intArg(R, args[0]), args[1] ? s(args[1]) : ' ')));
  m.set('rsplit', (self, args, kw) => (clinicKeywords(R, 'str.rsplit', ['sep', 'maxsplit'], kw), splitToList(R, self, args[0] ?? kwGet(kw, 'sep'), args[1] ?? kwGet(kw, 'maxsplit'), true)));
  m.set('splitlines', (self) => {
    const parts = s(self).split(/\r\n|\n|\r/);
    if (parts.length && parts[parts.length - 1] === '') parts.pop();
    return R.newList(parts.map((p) => R.newStr(p)), true);
  });
  const partition = (self: Id, sepId: Id, fromRight: boolean): Id => {
    const text = s(self);
    const sep = s(sepId);
    const at = fromRight ? text.lastIndexOf(sep) : text.indexOf(sep);
    if (at < 0) {
      const empty = R.newStr('');
      return R.newTuple(fromRight ? [empty, R.newStr(''), R.incref(self)] : [R.incref(self), empty, R.newStr('')]);
    }
    return R.newTuple([R.newStr(text.slice(0, at)), R.incref(sepId), R.newStr(text.slice(at + sep.length))]);
  };
  m.set('partition', (self, args) => partition(self, args[0], false));
  m.set('rpartition', (self, args) => partition(self, args[0], true));
  const position = (self: Id, args: Id[], fromRight: boolean): number => {
    const text = s(self);
    const start = args[1] && args[1] !== R.NONE ? intArg(R, args[1]) : 0;
    const end = args[2] && args[2] !== R.NONE ? intArg(R, args[2]) : text.length;
    const lo = start < 0 ? Math.max(0, text.length + start) : start;
    const hi = end < 0 ? Math.max(0, text.length + end) : Math.min(end, text.length);
    const part = text.slice(lo, hi);
    const at = fromRight ? part.lastIndexOf(s(args[0])) : part.indexOf(s(args[0]));
    return at < 0 ? -1 : at + lo;
  };
  m.set('find', (self, args) => R.newInt(position(self, args, false)));
  m.set('rfind', (self, args) => R.newInt(position(self, args, true)));
  const indexOf = (self: Id, args: Id[], fromRight: boolean): Id => {
    const at = position(self, args, fromRight);
    if (at < 0) throw R.err('ValueError', 'substring not found');
    return R.newInt(at);
  };
  m.set('index', (self, args) => indexOf(self, args, false));
  m.set('rindex', (self, args) => indexOf(self, args, true));
  const affix = (self: Id, args: Id[], atEnd: boolean): Id => {
    const text = s(self);
    const probe = args[0];
    const options = R.heap.typeOf(probe) === R.T.tuple ? R.heap.refsOf(probe).map(s) : [s(probe)];
    return R.bool(options.some((o) => (atEnd ? text.endsWith(o) : text.startsWith(o))));
  };
  m.set('startswith', (self, args) => affix(self, args, false));
  m.set('endswith', (self, args) => affix(self, args, true));
  const predicate = (name: string, re: RegExp) => m.set(name, (self) => R.bool(re.test(s(self))));
  predicate('isspace', /^\s+$/);
  predicate('isalnum', /^[\p{L}\p{N}]+$/u);
  predicate('isalpha', /^\p{L}+$/u);
  predicate('isdecimal', /^\p{Nd}+$/u);
  predicate('isnumeric', /^\p{N}+$/u);
  predicate('isidentifier', /^[\p{L}_][\p{L}\p{N}_]*$/u);
  m.set('islower', (self) => R.bool(/\p{Ll}/u.test(s(self)) && !/\p{Lu}/u.test(s(self))));
  m.set('isupper', (self) => R.bool(/\p{Lu}/u.test(s(self)) && !/\p{Ll}/u.test(s(self))));
  m.set('capitalize', (self) => R.newStr(s(self).charAt(0).toUpperCase() + s(self).slice(1).toLowerCase()));
  m.set('swapcase', (self) => R.newStr([...s(self)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('')));
  m.set('casefold', (self) => R.newStr(s(self).toLowerCase()));
  m.set('center', (self, args) => {
    const text = s(self);
    const width = intArg(R, args[0]);
    const fill = args[1] ? s(args[1]) : ' ';
    if (width <= text.length) return R.incref(self);
    const total = width - text.length;
    const left = Math.floor(total / 2) + (total & width & 1);
    return R.newStr(fill.repeat(left) + text + fill.repeat(total - left));
  });
  m.set('removeprefix', (self, args) => (s(self).startsWith(s(args[0])) && s(args[0]) ? R.newStr(s(self).slice(s(args[0]).length)) : R.incref(self)));
  m.set('removesuffix', (self, args) => (s(self).endsWith(s(args[0])) && s(args[0]) ? R.newStr(s(self).slice(0, s(self).length - s(args[0]).length)) : R.incref(self)));
  return m;
}

/** str.split / str.rsplit (stringlib/split.h): the list is PyList_New(PREALLOC_SIZE(maxsplit))
 * (at most 12 slots, from the freelist) and keeps its preallocation; more parts append. When
 * nothing splits, the exact str itself is the only item. */
function splitToList(R: Runtime, self: Id, sepArg: Id | undefined, maxArg: Id | undefined, fromRight: boolean): Id {
  const text = R.P[self] as string;
  const sep = sepArg && sepArg !== R.NONE ? (R.P[sepArg] as string) : null;
  if (sep === '') throw R.err('ValueError', 'empty separator');
  const max = maxArg ? intArg(R, maxArg) : -1;
  const limit = max < 0 ? Infinity : max;
  let parts: string[];
  if (sep === null) {
    const words = text.split(/\s+/).filter((x) => x !== '');
    if (words.length > limit + 1) {
      if (fromRight) {
        const tail = words.slice(words.length - limit);
        const headText = text.trimEnd();
        let cut = headText.length;
        for (let i = 0; i < limit; i++) cut = headText.slice(0, cut).trimEnd().lastIndexOf(tail[tail.length - 1 - i]);
        parts = [headText.slice(0, cut).trimEnd(), ...tail];
      } else {
        let rest = text.trimStart();
        parts = [];
        for (let i = 0; i < limit; i++) {
          const m = /\s+/.exec(rest)!;
          parts.push(rest.slice(0, m.index));
          rest = rest.slice(m.index + m[0].length);
        }
        parts.push(rest);
      }
    } else parts = words;
  } else {
    parts = text.split(sep);
    if (parts.length > limit + 1) {
      parts = fromRight
        ? [parts.slice(0, parts.length - limit).join(sep), ...parts.slice(parts.length - limit)]
        : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
    }
  }
  const prealloc = max < 0 || max >= 12 ? 12 : max + 1;
  const l = R.alloc(R.T.list, listSize(prealloc), { freelist: true });
  R.P[l] = prealloc;
  const unsplit = parts.length === 1 && parts[0] === text;
  for (const p of parts) {
    const item = unsplit ? R.incref(self) : R.newStr(p);
    if (R.heap.refLen(l) < prealloc) R.heap.appendRef(l, item);
    else R.listAppend(l, item);
    R.decref(item);
  }
  return l;
}

function stripChars(s: string, chars: string, mode: number): string {
  let a = 0;
  let b = s.length;
  if (mode & 1) while (a < b && chars.includes(s[a])) a++;
  if (mode & 2) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}
