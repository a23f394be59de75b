// Argument helpers for builtin functions and methods (PyArg_Parse*'s checks).
import { RunAbort } from '../errors';
import type { Runtime, Id, Kw } from './runtime';

export const argErr = (R: Runtime, name: string, msg: string) => R.err('TypeError', `${name}() ${msg}`);

export function intArg(R: Runtime, v: Id, what = 'an integer'): number {
  if (!R.isInt(v)) throw R.err('TypeError', `'${R.typeName(v)}' object cannot be interpreted as ${what}`);
  return R.P[v] as number;
}

export function strOf(R: Runtime, v: Id): string {
  if (!R.isStr(v)) throw R.err('TypeError', `expected str, got ${R.typeName(v)}`);
  return R.P[v] as string;
}

export function kwGet(kw: Kw, name: string): Id {
  return kw?.get(name) ?? 0;
}

export function normIndex(i: number, n: number, clamp: boolean): number {
  if (i < 0) i += n;
  if (clamp) return Math.max(0, Math.min(n, i));
  return i;
}

/** A single huge allocation: the container's OOM kill, or MemoryError past what the simulator holds. */
export function guardSize(R: Runtime, items: number, bytesEach: number): void {
  const bytes = items * bytesEach;
  if (R.memoryLimit !== null && R.heap.metrics().liveBytes + bytes > R.memoryLimit) {
    throw new RunAbort('memory-limit', `MemoryError: container memory limit of ${R.memoryLimit} bytes exceeded (OOM kill) at ${R.filename}:${R.line}`);
  }
  if (items > 50_000_000) throw R.err('MemoryError', `not supported yet: a single object of ${items} items`);
}

/** Argument Clinic parsers (3.11) build their tuple of keyword names lazily, on the first call
 * that passes keywords; the tuple then lives as long as the interpreter. */
export function clinicKeywords(R: Runtime, parser: string, names: string[], kw: Kw): void {
  if (!kw || kw.size === 0 || R.clinicParsersReady.has(parser)) return;
  R.clinicParsersReady.add(parser);
  R.clinicKeywordTuples.push(R.newTuple(names.map((n) => R.intern(n))));
}

/** A call that CPython makes through a tuple of the positional arguments (tp_call without
 * vectorcall, METH_VARARGS): the tuple lives for the duration of the call. */
export function withArgsTuple(R: Runtime, args: Id[], body: () => Id): Id {
  const argsTuple = R.newTupleOf(args);
  try {
    return body();
  } finally {
    R.decref(argsTuple);
  }
}
