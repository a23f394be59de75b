// The weakref module: ref and WeakValueDictionary (the import's cost is in the registry).
import type { Runtime, Id } from '../vm/runtime';
import { makeModule } from '../objects/module';

export function weakrefModule(R: Runtime): Id {
  const a = new Map<string, Id | (() => Id)>();
  a.set('ref', R.builtinClasses.get('weakref.ref')!.id);
  a.set('WeakValueDictionary', R.builtinClasses.get('WeakValueDictionary')!.id);
  return makeModule(R, 'weakref', a);
}
