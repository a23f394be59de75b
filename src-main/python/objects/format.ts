// format(value, spec) (Python/formatter_unicode.c) and printf-style `str % args` (PyUnicode_Format).
import type { Runtime, Id } from '../vm/runtime';
import { repr, str } from './abstract';
import { isFloat, isNum, num } from './number';

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

export function percentFormat(R: Runtime, fmt: string, arg: Id): string {
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
