// int, bool and float (longobject.c, boolobject.c, floatobject.c): values are JS numbers in
// R.P. The arithmetic here is the fast path the abstract operations take for two numbers.
import type { Runtime, Id, TypeSlots, CompareOp } from '../vm/runtime';

export function num(R: Runtime, v: Id): number {
  return R.P[v] as number;
}

export function isNum(R: Runtime, v: Id): boolean {
  const t = R.heap.typeOf(v);
  return t === R.T.int || t === R.T.float || t === R.T.bool;
}

export function isFloat(R: Runtime, v: Id): boolean {
  return R.heap.typeOf(v) === R.T.float;
}

export function mkNum(R: Runtime, x: number, float: boolean): Id {
  if (float) return R.newFloat(x);
  if (!Number.isSafeInteger(x) && Number.isFinite(x)) return R.newInt(x);
  return R.newInt(x);
}

function pyMod(a: number, b: number): number {
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? m + b : m;
}

export function floatRepr(x: number): string {
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

/** Arithmetic on two numbers (int, bool or float); 0 when the operator is not numeric ('@'). */
export function numericBinop(R: Runtime, op: string, a: Id, b: Id): Id {
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
  return 0;
}

/** Comparison of two numbers. */
export function numericCompare(x: number, y: number, op: CompareOp): boolean {
  switch (op) {
    case 0: return x < y;
    case 1: return x <= y;
    case 2: return x === y;
    case 3: return x !== y;
    case 4: return x > y;
    default: return x >= y;
  }
}

/** -x, +x, ~x on a number. */
export function numericUnary(R: Runtime, op: string, a: Id): Id {
  const x = num(R, a);
  if (op === '-') return mkNum(R, -x, isFloat(R, a));
  if (op === '+') return mkNum(R, x, isFloat(R, a));
  if (op === '~' && !isFloat(R, a)) return R.newInt(-x - 1);
  return 0;
}

function numberCompare(R: Runtime, a: Id, b: Id, op: CompareOp): boolean | undefined {
  if (!isNum(R, a) || !isNum(R, b)) return undefined;
  return numericCompare(num(R, a), num(R, b), op);
}

const numberHash = (R: Runtime, v: Id): number => R.P[v] as number;

export const intSlots: TypeSlots = {
  tp_name: 'int',
  tp_repr: (R, v) => String(R.P[v]),
  tp_hash: numberHash,
  tp_richcompare: numberCompare,
  nb_bool: (R, v) => R.P[v] !== 0,
};

export const boolSlots: TypeSlots = {
  ...intSlots,
  tp_name: 'bool',
  tp_repr: (R, v) => (v === R.TRUE ? 'True' : 'False'),
};

export const floatSlots: TypeSlots = {
  tp_name: 'float',
  tp_repr: (R, v) => floatRepr(R.P[v] as number),
  tp_hash: numberHash,
  tp_richcompare: numberCompare,
  nb_bool: (R, v) => R.P[v] !== 0,
};
