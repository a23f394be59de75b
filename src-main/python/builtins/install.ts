// A runtime's builtins: the builtin classes and their slot tables, the methods of builtin
// types, the constructors, the builtin functions and the modules, created in CPython's order
// (they exist before the workload and are part of the baseline heap).
import type { Runtime, Id, ClassInfo, MethodFn } from '../vm/runtime';
import { defineBuiltinClass, typeSlots } from '../objects/type';
import { boolSlots, floatSlots, intSlots } from '../objects/number';
import { noneSlots, objectSlots } from '../objects/object';
import { bytesSlots, strMethods, strSlots } from '../objects/str';
import { listMethods, listSlots } from '../objects/list';
import { tupleMethods, tupleSlots } from '../objects/tuple';
import { dictMethods, dictSlots, dictViewSlots } from '../objects/dict';
import { frozensetSlots, setMethods, setSlots } from '../objects/set';
import { rangeSlots } from '../objects/range';
import { sliceSlots } from '../objects/slice';
import { closureIterSlots, dictIterSlots, rangeIterSlots, reversedSlots, seqIterSlots, setIterSlots, strIterSlots } from '../objects/iterators';
import { generatorMethods, generatorSlots } from '../objects/generator';
import { boundBuiltinSlots, builtinSlots, functionSlots, methodSlots } from '../objects/func';
import { exceptionSlots } from '../objects/exceptions';
import { superSlots } from '../objects/super';
import { moduleSlots } from '../objects/module';
import { weakrefSlots, weakValueDictMethods, weakValueDictSlots } from '../objects/weakref';
import { statistic, statisticSlots } from '../modules/tracemalloc';
import { installModules } from '../modules/registry';
import { installConstructors } from './constructors';
import { installFunctions } from './functions';

/** The slot table of each builtin engine type. */
function installSlots(R: Runtime): void {
  const T = R.T;
  const s = R.slots;
  s[T.object] = objectSlots;
  s[T.none] = noneSlots;
  s[T.int] = intSlots;
  s[T.bool] = boolSlots;
  s[T.float] = floatSlots;
  s[T.str] = strSlots;
  s[T.bytes] = bytesSlots;
  s[T.list] = listSlots;
  s[T.tuple] = tupleSlots;
  s[T.dict] = dictSlots;
  s[T.dictview] = dictViewSlots;
  s[T.set] = setSlots;
  s[T.frozenset] = frozensetSlots;
  s[T.range] = rangeSlots;
  s[T.slice] = sliceSlots;
  s[T.type] = typeSlots;
  s[T.function] = functionSlots;
  s[T.method] = methodSlots;
  s[T.builtin] = builtinSlots;
  s[T.boundbuiltin] = boundBuiltinSlots;
  s[T.generator] = generatorSlots;
  s[T.module] = moduleSlots;
  s[T.super] = superSlots;
  s[T.weakref] = weakrefSlots;
  s[T.wvdict] = weakValueDictSlots;
  s[T.stat] = statisticSlots;
  s[T.listiter] = seqIterSlots;
  s[T.tupleiter] = seqIterSlots;
  s[T.reversed] = reversedSlots;
  s[T.rangeiter] = rangeIterSlots;
  s[T.striter] = strIterSlots;
  s[T.dictiter] = dictIterSlots;
  s[T.dictitemiter] = dictIterSlots;
  s[T.setiter] = setIterSlots;
  for (const t of [T.enumerate, T.zip, T.map, T.filter, T.callableiter]) s[t] = closureIterSlots;
  // Slot tables are shared by every runtime: none may change them.
  for (const table of s) if (table) Object.freeze(table);
}

export function installBuiltins(R: Runtime): void {
  const T = R.T;
  const h = R.heap;
  installSlots(R);
  const obj = defineBuiltinClass(R, 'object', null, T.object);
  const b = (name: string, t: number) => defineBuiltinClass(R, name, obj, t);
  b('int', T.int);
  b('bool', T.bool);
  b('float', T.float);
  b('str', T.str);
  b('bytes', T.bytes);
  b('list', T.list);
  b('tuple', T.tuple);
  b('dict', T.dict);
  b('set', T.set);
  b('frozenset', T.frozenset);
  b('type', T.type);
  b('range', T.range);
  b('enumerate', T.enumerate);
  b('zip', T.zip);
  b('map', T.map);
  b('filter', T.filter);
  b('reversed', T.reversed);
  b('staticmethod', T.staticmethod);
  b('classmethod', T.classmethod);
  b('property', T.property);
  defineBuiltinClass(R, 'NoneType', obj, T.none).builtin = 'NoneType';
  R.builtins.delete('NoneType');
  defineBuiltinClass(R, 'function', obj, T.function);
  R.builtins.delete('function');
  defineBuiltinClass(R, 'generator', obj, T.generator);
  R.builtins.delete('generator');
  defineBuiltinClass(R, 'builtin_function_or_method', obj, T.builtin);
  R.classOfType[T.boundbuiltin] = R.classOfType[T.builtin];
  R.builtins.delete('builtin_function_or_method');
  defineBuiltinClass(R, 'module', obj, T.module);
  R.builtins.delete('module');
  defineBuiltinClass(R, 'method', obj, T.method);
  R.builtins.delete('method');
  defineBuiltinClass(R, 'ReferenceType', obj, T.weakref, 'weakref.ref');
  R.builtins.delete('ReferenceType');
  defineBuiltinClass(R, 'WeakValueDictionary', obj, T.wvdict, 'WeakValueDictionary');
  R.builtins.delete('WeakValueDictionary');
  defineBuiltinClass(R, 'Snapshot', obj, T.snapshot, 'Snapshot');
  R.builtins.delete('Snapshot');
  defineBuiltinClass(R, 'Statistic', obj, T.stat, 'Statistic');
  R.builtins.delete('Statistic');
  for (const [n, t] of [['list_iterator', T.listiter], ['tuple_iterator', T.tupleiter], ['dict_keyiterator', T.dictiter], ['dict_itemiterator', T.dictitemiter], ['set_iterator', T.setiter], ['str_ascii_iterator', T.striter], ['range_iterator', T.rangeiter], ['dict_items', T.dictview], ['traceback', T.traceback], ['frame', T.frame], ['cell', T.cell], ['slice', T.slice], ['super', T.super], ['getset_descriptor', T.descriptor]] as const) {
    defineBuiltinClass(R, n, obj, t);
    R.builtins.delete(n);
  }
  // exceptions
  const exc = (name: string, base: ClassInfo | null) => {
    const t = h.defineType({ name, gc: true, kind: 'instance' });
    const c = defineBuiltinClass(R, name, base ?? obj, t);
    R.slots[t] = exceptionSlots;
    c.isException = true;
    c.mro = [c, ...(base ?? obj).mro];
    return c;
  };
  const be = exc('BaseException', null);
  exc('KeyboardInterrupt', be);
  exc('SystemExit', be);
  exc('GeneratorExit', be);
  const e = exc('Exception', be);
  for (const n of ['ArithmeticError', 'LookupError', 'TypeError', 'ValueError', 'AttributeError', 'NameError', 'RuntimeError', 'AssertionError', 'ZeroDivisionError', 'StopIteration', 'ImportError', 'NotImplementedError', 'MemoryError', 'OverflowError', 'OSError', 'RecursionError', 'UnboundLocalError', 'IndexError', 'KeyError', 'ModuleNotFoundError', 'SystemError', 'ReferenceError']) {
    const parent = n === 'IndexError' || n === 'KeyError' ? R.builtinClasses.get('LookupError')! : n === 'ZeroDivisionError' || n === 'OverflowError' ? R.builtinClasses.get('ArithmeticError')! : n === 'RecursionError' || n === 'NotImplementedError' ? R.builtinClasses.get('RuntimeError')! : n === 'UnboundLocalError' ? R.builtinClasses.get('NameError')! : n === 'ModuleNotFoundError' ? R.builtinClasses.get('ImportError')! : e;
    if (!parent) throw new Error('exception order ' + n);
    exc(n, parent);
  }

  R.typeMethods.set(T.list, listMethods(R));
  R.typeMethods.set(T.dict, dictMethods(R));
  R.typeMethods.set(T.set, setMethods(R));
  R.typeMethods.set(T.str, strMethods(R));
  R.typeMethods.set(T.tuple, tupleMethods(R));
  R.typeMethods.set(T.generator, generatorMethods(R));
  const fsM = new Map(setMethods(R));
  for (const k of ['add', 'discard', 'remove', 'pop', 'clear', 'update']) fsM.delete(k);
  R.typeMethods.set(T.frozenset, fsM);
  R.typeMethods.set(T.wvdict, weakValueDictMethods(R));
  const snapM = new Map<string, MethodFn>();
  const statsOf = (byLine: Map<number, { size: number; count: number }>) => [...byLine.entries()].sort((a, b) => b[1].size - a[1].size);
  snapM.set('statistics', (self) => {
    const rows = statsOf(R.P[self]);
    return R.newList(rows.map(([line, e]) => statistic(R, line, e.size, e.count)), false);
  });
  snapM.set('compare_to', (self, args) => {
    const now: Map<number, { size: number; count: number }> = R.P[self];
    const old: Map<number, { size: number; count: number }> = R.P[args[0]];
    const lines = new Set([...now.keys(), ...old.keys()]);
    const rows = [...lines].map((l) => {
      const a = now.get(l) ?? { size: 0, count: 0 };
      const o = old.get(l) ?? { size: 0, count: 0 };
      return { l, a, d: a.size - o.size, dc: a.count - o.count };
    }).sort((x, y) => Math.abs(y.d) - Math.abs(x.d) || y.a.size - x.a.size);
    return R.newList(rows.map((r) => statistic(R, r.l, r.a.size, r.a.count, r.d, r.dc)), false);
  });
  R.typeMethods.set(T.snapshot, snapM);
  const statAttrs = new Map<string, (o: Id) => Id>([
    ['size', (o) => R.newInt(R.P[o].size)],
    ['count', (o) => R.newInt(R.P[o].count)],
    ['size_diff', (o) => R.newInt(R.P[o].sizeDiff ?? 0)],
    ['count_diff', (o) => R.newInt(R.P[o].countDiff ?? 0)],
    ['traceback', (o) => R.newStr(`${R.filename}:${R.P[o].line}`)],
  ]);
  R.builtinAttrs.set(T.stat, statAttrs);
    R.builtinAttrs.set(T.float, new Map([['real', (o: Id) => R.incref(o)]]));
  R.builtinAttrs.set(T.int, new Map([['real', (o: Id) => R.incref(o)]]));
  installConstructors(R);
  installFunctions(R);
  R.builtins.set('None', R.NONE);
  R.builtins.set('True', R.TRUE);
  R.builtins.set('False', R.FALSE);
  R.builtins.set('NotImplemented', R.NONE);
  R.builtins.set('__name__', R.intern('__main__'));

  // gc.garbage and gc.callbacks are Python lists owned by the front end.
  R.gcGarbage = R.seen(R.heap.alloc(T.list, 56, 0, { freelist: false }));
  R.P[R.gcGarbage] = 0;
  R.gcCallbacks = R.seen(R.heap.alloc(T.list, 56, 0, { freelist: false }));
  R.P[R.gcCallbacks] = 0;
  installModules(R);
}
