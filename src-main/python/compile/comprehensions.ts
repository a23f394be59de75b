// Comprehensions and generator expressions: a function of their own over the first iterator
// (3.11), or run inline without a function object where the profile says so (PEP 709, 3.12+).
import { NULL } from '../../sim';
import * as O from '../vm/ops';
import { Frame } from '../vm/runtime';
import type { Id, ParamSpec } from '../vm/runtime';
import type * as A from '../parse/ast';
import type { C, Expr } from './context';
import { closureLoader, makeCode, makeFunction } from './functions';

type Comp = A.ListComp | A.SetComp | A.DictComp | A.GeneratorExp;
const NAMES = { ListComp: '<listcomp>', SetComp: '<setcomp>', DictComp: '<dictcomp>', GeneratorExp: '<genexpr>' } as const;

/** iter(v), releasing the caller's reference to v whether or not v is iterable. */
export function getIterReleasing(f: Frame, v: Id): Id {
  try {
    return O.getIter(f.rt, v);
  } finally {
    f.rt.decref(v);
  }
}

export function compileComprehension(c: C, n: Comp): Expr {
  const clauses = n.generators;
  const outerIter = c.expr(clauses[0].iter);
  if (clauses.some((g) => g.isAsync)) throw c.unsupported(n, 'async comprehensions');
  const name = NAMES[n.type];
  const isGen = n.type === 'GeneratorExp';
  const spec: ParamSpec = { names: ['.0'], nPositional: 1, nKwOnly: 0, varargs: false, varkw: false };
  const code = c.enterScope(n, (scope) =>
    makeCode(c, scope, name, spec, n, (cd) => {
      cd.isComprehension = true;
      // One loop per `for`, innermost first; `if` clauses filter; the first iterator is argument .0.
      type Loop<T> = (f: Frame, acc: T) => void;
      if (isGen) {
        type GEmit = (f: Frame) => Generator<Id, void, Id>;
        const value = c.expr((n as A.GeneratorExp).elt);
        const build = (ci: number): GEmit => {
          if (ci === clauses.length) {
            return function* (f) {
              const v = value(f);
              const sent = yield v;
              if (sent) f.rt.decref(sent);
            };
          }
          const cl = clauses[ci];
          let inner = build(ci + 1);
          for (let k = cl.ifs.length - 1; k >= 0; k--) {
            const t = c.cond(cl.ifs[k]);
            const next = inner;
            inner = function* (f) {
              if (t(f)) yield* next(f);
            };
          }
          const store = c.target(cl.target);
          const iterExpr = ci === 0 ? null : c.expr(cl.iter);
          const body = inner;
          return function* (f) {
            const R = f.rt;
            let it: Id;
            if (!iterExpr) it = R.incref(f.fast[0]);
            else it = getIterReleasing(f, iterExpr(f));
            try {
              for (;;) {
                const x = O.iterNext(R, it);
                if (!x) break;
                store(f, x);
                yield* body(f);
              }
            } finally {
              R.decref(it);
            }
          };
        };
        const g = build(0);
        cd.gen = function* (f) {
          yield* g(f);
          return f.rt.none();
        };
        cd.isGenerator = true;
        return;
      }
      let add: Loop<Id>;
      if (n.type === 'DictComp') {
        const k = c.expr(n.key);
        const v = c.expr(n.value);
        add = (f, acc) => {
          const R = f.rt;
          const kk = k(f);
          const vv = v(f);
          try {
            R.dictSet(acc, kk, vv);
          } finally {
            R.decref(kk);
            R.decref(vv);
          }
        };
      } else {
        const value = c.expr((n as A.ListComp | A.SetComp).elt);
        add = n.type === 'SetComp'
          ? (f, acc) => {
              const x = value(f);
              try {
                f.rt.setAdd(acc, x);
              } finally {
                f.rt.decref(x);
              }
            }
          : (f, acc) => {
              const x = value(f);
              f.rt.listAppend(acc, x);
              f.rt.heap.decref(x);
            };
      }
      const build = (ci: number): Loop<Id> => {
        if (ci === clauses.length) return add;
        const cl = clauses[ci];
        let inner = build(ci + 1);
        for (let k = cl.ifs.length - 1; k >= 0; k--) {
          const t = c.cond(cl.ifs[k]);
          const next = inner;
          inner = (f, acc) => {
            if (t(f)) next(f, acc);
          };
        }
        const store = c.target(cl.target);
        const iterExpr = ci === 0 ? null : c.expr(cl.iter);
        const body = inner;
        return (f, acc) => {
          const R = f.rt;
          let it: Id;
          if (!iterExpr) it = R.incref(f.fast[0]);
          else it = getIterReleasing(f, iterExpr(f));
          try {
            for (;;) {
              const x = O.iterNext(R, it);
              if (!x) break;
              store(f, x);
              body(f, acc);
            }
          } finally {
            R.decref(it);
          }
        };
      };
      const loop = build(0);
      const kind = n.type;
      cd.run = (f) => {
        const R = f.rt;
        const acc = kind === 'DictComp' ? R.newDict() : kind === 'SetComp' ? R.newSet() : R.newList([], true);
        try {
          loop(f, acc);
        } catch (e) {
          R.decref(acc);
          throw e;
        }
        return acc;
      };
    }),
  );
  const scope = c.symtable.scopeOf(n);
  const closure = closureLoader(c, scope);
  return (f) => {
    const R = f.rt;
    // 3.11: MAKE_FUNCTION, GET_ITER, CALL; 3.12+ inlines list/dict/set comprehensions (PEP 709).
    const inline = !isGen && R.spec.inlinedComprehensions;
    const cl = closure ? closure(f) : 0;
    const fn = inline ? 0 : makeFunction(f, code, 0, cl, null, 0);
    let it = 0;
    try {
      it = getIterReleasing(f, outerIter(f));
      if (inline) {
        const fr = new Frame(R, code, f.globals, f);
        fr.fast[0] = it;
        it = 0;
        if (cl) for (let i = 0; i < code.nFree; i++) fr.cells[code.nCells + i] = R.incref(R.heap.getRef(cl, i));
        for (const cell of code.cellOfLocal.values()) {
          const cc = R.alloc(R.T.cell, R.sz.cell);
          R.heap.appendRef(cc, NULL);
          fr.cells[cell] = cc;
        }
        return O.runFrame(R, fr);
      }
      return O.callPython(R, fn, [it], null, 0);
    } finally {
      if (it) R.decref(it);
      if (fn) R.decref(fn);
      if (cl) R.decref(cl);
    }
  };
}
