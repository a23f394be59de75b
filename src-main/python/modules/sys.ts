// The sys module: getrefcount, getsizeof, _debugmallocstats, version facts.
import type { Runtime, Id } from '../vm/runtime';
import { strOf } from '../vm/args';
import { builtinFn } from '../objects/func';
import { makeModule } from '../objects/module';

export function sysModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  a.set('getrefcount', builtinFn(R, 'getrefcount', (args) => R.newInt(R.heap.refcount(args[0]))));
  a.set('getsizeof', builtinFn(R, 'getsizeof', (args) => R.newInt(R.heap.sizeOf(args[0]))));
  a.set('version', R.newStr(R.spec.sysVersion));
  a.set('version_info', R.newTuple(R.spec.versionInfo.map((n) => R.newInt(n))));
  a.set('maxsize', R.newInt(Number.MAX_SAFE_INTEGER));
  a.set('getrecursionlimit', builtinFn(R, 'getrecursionlimit', () => R.newInt(1000)));
  for (const stream of ['stdout', 'stderr'] as const) {
    const write = builtinFn(R, 'write', (args) => {
      const s = strOf(R, args[0]);
      R.write(s, stream);
      return R.newInt(s.length);
    });
    a.set(stream, makeModule(R, stream, new Map<string, Id | (() => Id)>([['write', write], ['flush', builtinFn(R, 'flush', () => R.none())]])));
  }
  return makeModule(R, 'sys', a);
}
