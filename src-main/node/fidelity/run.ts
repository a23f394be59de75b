// Runs one fidelity case on the simulator, reproducing the recording driver's start state.
import { runProgram } from '../../python';
import { defaultRunSettings, type RunSettings } from '../../common/domain';
import { profileOf } from './compare';
import type { ExpectedCase, ObservedCase } from './compare';

/** The recordings ran unbounded: a case is never cut short by the default runaway guard. */
const FIDELITY_STEP_BUDGET = 2_000_000_000;

/** The corpora `npm run fidelity` and `npm test` run, relative to the repo: CPython 3.11 recordings of the
 * public corpus and of the project's own, and CPython 3.13 recordings of both (fidelity-3.13/). */
export const DEFAULT_CORPORA = ['../shared/fidelity', 'fidelity', 'fidelity-3.13'];

export function runCase(source: string, filename: string, exp: ExpectedCase): ObservedCase {
  const settings: RunSettings = {
    ...defaultRunSettings(profileOf(exp.python.version)),
    thresholds: [...exp.initial.threshold] as [number, number, number],
    stepBudget: FIDELITY_STEP_BUDGET,
  };
  // The driver reads gc.get_count() into `count0` just before exec(): that tuple is
  // allocated right after the reading and stays alive, so the workload starts one higher.
  const [c0, c1, c2] = exp.initial.count;
  const startState = { trackedObjects: exp.initial.tracked_objects, count: [c0 + 1, c1, c2] as [number, number, number] };
  const obs: ObservedCase = {
    collections: [0, 0, 0], collected: [0, 0, 0], uncollectable: [0, 0, 0], countEnd: [0, 0, 0],
    result: undefined, sequence: [], tracedPeak: null, failure: null, stdout: '',
  };
  const onOutput = (text: string, stream: 'stdout' | 'stderr') => {
    if (stream === 'stdout') obs.stdout += text;
  };
  const plain = runProgram(source, filename, settings, { onOutput }, {
    startState,
    onFinish(p) {
      obs.countEnd = p.gcCount();
      obs.result = p.globalJson('RESULT');
      obs.sequence = p.collections();
    },
  });
  obs.collections = plain.gcTotals.collections;
  obs.collected = plain.gcTotals.collected;
  obs.uncollectable = plain.gcTotals.uncollectable;
  if (plain.status !== 'complete') obs.failure = plain.failure?.message ?? plain.status;
  if (exp.memory) {
    runProgram(source, filename, settings, {}, {
      startState,
      traceMemory: true,
      onFinish(p) {
        obs.tracedPeak = p.tracedPeak();
      },
    });
  }
  return obs;
}
