// Generators (genobject.c): a JS generator over the compiled body, resumed with its own frame.
import type { Runtime, Id, MethodFn, TypeSlots, GenPayload } from '../vm/runtime';
import { PyErr } from '../vm/runtime';
import { addTraceback, releaseFrame } from '../vm/frames';
import { addr, genericGetAttr } from './object';

export function genResume(R: Runtime, g: Id, sent: Id): Id {
  const p = R.P[g] as GenPayload;
  if (!p.it) return 0;
  if (p.running) throw R.err('ValueError', 'generator already executing');
  p.running = true;
  const saved = R.frame;
  p.frame.back = saved;
  R.frame = p.frame;
  R.depth++;
  if (R.depth > 900) {
    R.depth--;
    R.frame = saved;
    p.running = false;
    throw R.err('RecursionError', 'maximum recursion depth exceeded');
  }
  try {
    const r = p.it.next(sent);
    if (r.done) {
      finishGen(R, p);
      if (r.value) R.decref(r.value);
      return 0;
    }
    p.started = true;
    return r.value;
  } catch (e) {
    if (e instanceof PyErr) {
      addTraceback(R, e, p.frame);
      finishGen(R, p);
    }
    throw e;
  } finally {
    R.depth--;
    R.frame = saved;
    p.running = false;
  }
}

export function finishGen(R: Runtime, p: GenPayload): void {
  p.it = null;
  releaseFrame(R, p.frame);
}

export const generatorSlots: TypeSlots = {
  tp_name: 'generator',
  tp_repr: (R, v) => `<generator object ${(R.P[v] as GenPayload).name} at 0x${addr(v)}>`,
  tp_iter: (R, v) => R.incref(v),
  tp_iternext: (R, it) => genResume(R, it, 0),
  tp_getattro: (R, o, name) => (name === '__name__' ? R.newStr(R.P[o].name) : genericGetAttr(R, o, name)),
};

export function generatorMethods(R: Runtime): Map<string, MethodFn> {
  const m = new Map<string, MethodFn>();
  m.set('send', (self, args) => {
    const v = genResume(R, self, args[0] === R.NONE ? 0 : R.incref(args[0]));
    if (!v) throw R.err('StopIteration');
    return v;
  });
  m.set('close', (self) => {
    const p = R.P[self];
    if (p?.it) {
      p.it.return(0);
      finishGen(R, p);
    }
    return R.none();
  });
  return m;
}
