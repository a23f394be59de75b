// A test double of python's runProgram: a scripted program of `steps` steps whose live
// bytes follow `liveAt(step)`, collecting every `collectEvery` steps.
import type { GcEvent, GcTotals, RunSettings, Sample } from '../../common/domain';
import type { ProgramState, RunFailure, RunHooks, RunOptions, RunOutcome } from '../../python/program';
import type { RunProgramFn } from '../recorder/recorder';

export interface FakeProgram {
  steps: number;
  liveAt?: (step: number) => number;
  collectEvery?: number;
  /** Printed at the start. */
  print?: string[];
  /** Fail at the end with this failure. */
  failure?: RunFailure;
  /** Throw a JS error at this step (a runner bug). */
  throwAt?: number;
  /** Called at each tick, e.g. to request a stop from the test. */
  onStep?: (step: number) => void;
}

export const NS_PER_STEP = 50;

export function fakeRunner(program: FakeProgram): RunProgramFn & { calls: { source: string; filename: string; settings: RunSettings }[] } {
  const calls: { source: string; filename: string; settings: RunSettings }[] = [];
  const run = (source: string, filename: string, settings: RunSettings, hooks: RunHooks, options?: RunOptions): RunOutcome => {
    calls.push({ source, filename, settings });
    const tickEvery = options?.tickEvery ?? 1000;
    const liveAt = program.liveAt ?? ((s: number) => 1000 + s);
    const totals: GcTotals = { collections: [0, 0, 0], collected: [0, 0, 0], uncollectable: [0, 0, 0] };
    let step = 0;
    let seq = 0;
    const state: ProgramState = {
      get steps() {
        return step;
      },
      get timeNs() {
        return step * NS_PER_STEP;
      },
      sample(): Sample {
        return { t: step * NS_PER_STEP, liveBytes: liveAt(step), arenaBytes: 262144, objects: step, gen0: step % 700, gen1: 1, gen2: 2, count0: step % 700 };
      },
      gcTotals: () => structuredClone(totals),
    };
    const outcome = (status: RunOutcome['status'], failure: RunFailure | null): RunOutcome => ({
      status,
      failure,
      steps: step,
      timeNs: step * NS_PER_STEP,
      gcTotals: structuredClone(totals),
    });
    for (const line of program.print ?? []) hooks.onOutput?.(line + '\n', 'stdout');
    while (step < program.steps) {
      step++;
      if (program.throwAt === step) throw new Error('runner exploded');
      if (program.collectEvery && step % program.collectEvery === 0) {
        const generation = (seq % 3) as 0 | 1 | 2;
        totals.collections[generation]++;
        totals.collected[generation] += 5;
        const event: GcEvent = { seq: ++seq, t: step * NS_PER_STEP, generation, collected: 5, uncollectable: 0, explicit: false, sizes: [700, 3, 9, 0] };
        hooks.onCollection?.(event, state);
      }
      if (step % tickEvery === 0) {
        program.onStep?.(step);
        if (hooks.onTick && !hooks.onTick(state)) {
          return outcome('stopped', { kind: 'stopped', message: 'stopped', traceback: null, location: null });
        }
      }
    }
    if (program.failure) {
      if (program.failure.traceback) hooks.onOutput?.(program.failure.traceback, 'stderr');
      return outcome('failed', program.failure);
    }
    hooks.onTick?.(state);
    return outcome('complete', null);
  };
  return Object.assign(run, { calls });
}
