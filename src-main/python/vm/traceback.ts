// Printing an uncaught exception: the traceback, CPython's repeated-line folding, the message line.
import type { Runtime, Id } from './runtime';
import { str } from '../objects/abstract';

export function formatTraceback(R: Runtime, exc: Id): string {
  const lines: string[] = ['Traceback (most recent call last):'];
  let tb = R.getInstanceAttr(exc, '__traceback__');
  const h = R.heap;
  const entries: { filename: string; line: number; name: string }[] = [];
  while (tb && tb !== R.NONE && h.typeOf(tb) === R.T.traceback) {
    entries.push(R.P[tb]);
    tb = h.getRef(tb, 0);
  }
  let repeats = 0;
  const flush = () => {
    if (repeats > 0) lines.push(`  [Previous line repeated ${repeats} more time${repeats === 1 ? '' : 's'}]`);
    repeats = 0;
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    // Like CPython, show a run of identical entries three times, then count the rest.
    let same = 0;
    for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
      const p = entries[j];
      if (p.filename === e.filename && p.line === e.line && p.name === e.name) same++;
      else break;
    }
    if (same >= 3) {
      repeats++;
      continue;
    }
    flush();
    lines.push(`  File "${e.filename}", line ${e.line}, in ${e.name}`);
    const src = R.sourceLines[e.line - 1];
    if (src !== undefined && e.filename === R.filename) lines.push('    ' + src.trim());
  }
  flush();
  lines.push(excMessage(R, exc));
  return lines.join('\n') + '\n';
}

export function excMessage(R: Runtime, exc: Id): string {
  const cls = R.classOf(exc);
  const s = str(R, exc);
  return s ? `${cls.name}: ${s}` : cls.name;
}
