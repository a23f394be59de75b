// The time module: a simulated clock (deterministic, derived from the work done).
import type { Runtime, Id } from '../vm/runtime';
import { builtinFn } from '../objects/func';
import { makeModule } from '../objects/module';

/** Simulated clock: ~35 ns per interpreter step and ~25 ns per allocation (CPython-like speeds). */
export function simulatedNs(R: Runtime): number {
  return Math.round(R.steps * 35 + R.heap.time * 25 + R.sleptNs);
}

export function timeModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  const now = () => R.newFloat(simulatedNs(R) / 1e9);
  a.set('perf_counter', builtinFn(R, 'perf_counter', now));
  a.set('time', builtinFn(R, 'time', now));
  a.set('monotonic', builtinFn(R, 'monotonic', now));
  a.set('perf_counter_ns', builtinFn(R, 'perf_counter_ns', () => R.newInt(simulatedNs(R))));
  a.set('sleep', builtinFn(R, 'sleep', (args) => {
    R.sleptNs += (R.P[args[0]] as number) * 1e9;
    return R.none();
  }));
  return makeModule(R, 'time', a);
}
