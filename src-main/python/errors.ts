import type { FailureKind, SourceLocation } from './program';

/** A compile-time failure: a syntax error or a construct the simulator does not model. */
export class CompileError {
  constructor(
    readonly kind: 'syntax' | 'unsupported',
    readonly message: string,
    readonly location: SourceLocation,
  ) {}
}

/** Ends a run without a Python exception: step budget, memory limit, the caller's stop, or a
 * value the simulator cannot represent exactly (a refusal, never a wrong answer). */
export class RunAbort {
  constructor(
    readonly kind: Extract<FailureKind, 'step-budget' | 'memory-limit' | 'stopped' | 'unsupported'>,
    readonly message: string,
  ) {}
}

export function locationOf(source: string, filename: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { filename, line, col: offset - lineStart + 1 };
}
