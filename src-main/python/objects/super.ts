// super objects (typeobject.c's super_getattro): the next class after the defining one in the
// MRO of the instance.
import type { Runtime, Id, Kw, ClassInfo, CodeInfo, Frame, TypeSlots } from '../vm/runtime';
import { call, callPython } from '../vm/call';
import { boundMethod } from './func';

/** super(): allocates a super object bound to the defining class and the first argument. */
export function superLookup(R: Runtime, f: Frame, code: CodeInfo, selfIdx: number): Id {
  const holder = (code as CodeInfo & { classHolder?: { cls: ClassInfo | null } }).classHolder;
  if (!holder?.cls) throw R.err('RuntimeError', 'super(): __class__ cell not found');
  const self = f.fast[selfIdx] || (code.cellOfLocal.has(selfIdx) ? R.heap.getRef(f.cells[code.cellOfLocal.get(selfIdx)!], 0) : 0);
  if (!self) throw R.err('RuntimeError', 'super(): no arguments');
  const s = R.alloc(R.T.super, 48);
  R.heap.appendRef(s, holder.cls.id);
  R.heap.appendRef(s, self);
  return s;
}

/** super().name(*args): the method found after the defining class, bound first (3.11 has no
 * LOAD_METHOD shortcut through super); object.__init__ and BaseException.__init__ built in. */
function superCallMethod(R: Runtime, o: Id, name: string, args: Id[], kw: Kw): Id {
  const h = R.heap;
  const T = R.T;
  const start = R.P[h.getRef(o, 0)] as ClassInfo;
  const self = h.getRef(o, 1);
  const selfCls = R.classOf(self);
  const mro = selfCls.mro;
  const i = mro.indexOf(start);
  for (const c of mro.slice(i + 1)) {
    const slot = c.attrSlot.get(name);
    if (slot !== undefined) {
      const fn = h.getRef(c.id, slot);
      if (h.typeOf(fn) === T.function) {
        // 3.11 has no LOAD_METHOD shortcut through super: the method is bound first.
        const bm = boundMethod(R, fn, self);
        try {
          return callPython(R, fn, args, kw, self);
        } finally {
          R.decref(bm);
        }
      }
      return call(R, fn, args, kw);
    }
    if (c.builtin === 'object' && name === '__init__') return R.none();
    if (c.isException && c.builtin && name === '__init__') {
      const tup = R.newTuple(args.map((a) => R.incref(a)));
      R.setAttr(self, 'args', tup);
      R.decref(tup);
      return R.none();
    }
  }
  throw R.err('AttributeError', `'super' object has no attribute '${name}'`);
}

export const superSlots: TypeSlots = { tp_name: 'super', tp_callmethod: superCallMethod };
