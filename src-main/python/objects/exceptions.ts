// BaseException and its subclasses (exceptions.c): args, repr and str; instances otherwise
// behave as instances of Python classes.
import type { Runtime, Id, TypeSlots } from '../vm/runtime';
import { repr, str } from './abstract';
import { instanceSlots } from './instance';

function excRepr(R: Runtime, v: Id): string {
  const h = R.heap;
  const cls = R.classOf(v);
  const args = R.getInstanceAttr(v, 'args');
  const n = args ? h.refLen(args) : 0;
  const inner = n === 1 ? repr(R, h.getRef(args, 0)) : n === 0 ? '' : repr(R, args).slice(1, -1);
  return `${cls.name}(${inner})`;
}

function excStr(R: Runtime, v: Id): string {
  const cls = R.classOf(v);
  const args = R.getInstanceAttr(v, 'args');
  const n = args ? R.heap.refLen(args) : 0;
  if (n === 0) return '';
  if (n === 1) return cls.name === 'KeyError' || cls.mro.some((c) => c.name === 'KeyError' && c.builtin) ? repr(R, R.heap.getRef(args, 0)) : str(R, R.heap.getRef(args, 0));
  return repr(R, args);
}

export const exceptionSlots: TypeSlots = { ...instanceSlots, tp_name: 'BaseException', tp_repr: excRepr, tp_str: excStr };
