// Offsets to CPython positions (1-based lines, 0-based columns) through a line-start table.
import type { SourceLocation } from '../program';
import type { Pos } from './ast';

export class Positions {
  private readonly starts: number[] = [0];

  constructor(src: string) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** 0-based index of the line holding `offset`. */
  private lineIndex(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  span(from: number, to: number): Pos {
    const a = this.lineIndex(from);
    const b = to === from ? a : this.lineIndex(to);
    return { line: a + 1, col: from - this.starts[a], endLine: b + 1, endCol: to - this.starts[b] };
  }

  offset(line: number, col: number): number {
    return this.starts[line - 1] + col;
  }

  /** The app's file:line:col (1-based column). */
  location(filename: string, offset: number): SourceLocation {
    const i = this.lineIndex(offset);
    return { filename, line: i + 1, col: offset - this.starts[i] + 1 };
  }
}
