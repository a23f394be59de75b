// f-strings: FORMAT_VALUE with its conversion (!s, !r, !a) and format spec (itself an f-string),
// then BUILD_STRING. The `=` label is literal text placed by the parser.
import * as O from '../vm/ops';
import type * as A from '../parse/ast';
import type { Frame, Runtime, Id } from '../vm/runtime';
import type { C, Expr } from './context';

type Piece = string | { e: Expr; conv: number; spec: ((f: Frame) => string) | null };

function pieces(c: C, j: A.JoinedStr): Piece[] {
  return j.values.map((v): Piece => {
    if (v.type === 'Constant') return v.value.kind === 'str' ? v.value.value : '';
    const spec = v.formatSpec ? render(c, v.formatSpec) : null;
    return { e: c.expr(v.value), conv: v.conversion, spec };
  });
}

function ascii(s: string): string {
  return s.replace(/[^ -~\t\n\r]/gu, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) return ch;
    return cp <= 0xff ? '\\x' + cp.toString(16).padStart(2, '0') : cp <= 0xffff ? '\\u' + cp.toString(16).padStart(4, '0') : '\\U' + cp.toString(16).padStart(8, '0');
  });
}

/** format(conv(v), spec) as text. */
function formatted(R: Runtime, v: Id, conv: number, spec: string | null): string {
  if (conv === -1) return spec !== null ? O.formatSpec(R, v, spec) : O.str(R, v);
  const text = conv === 114 ? O.repr(R, v) : conv === 97 ? ascii(O.repr(R, v)) : O.str(R, v);
  if (spec === null) return text;
  const s = R.newStr(text);
  try {
    return O.formatSpec(R, s, spec);
  } finally {
    R.decref(s);
  }
}

function render(c: C, j: A.JoinedStr): (f: Frame) => string {
  const ps = pieces(c, j);
  return (f) => {
    const R = f.rt;
    let out = '';
    for (const p of ps) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = p.e(f);
      try {
        out += formatted(R, v, p.conv, p.spec ? p.spec(f) : null);
      } finally {
        R.decref(v);
      }
    }
    return out;
  };
}

export function compileJoinedStr(c: C, j: A.JoinedStr): Expr {
  const text = render(c, j);
  return (f) => f.rt.newStr(text(f));
}
