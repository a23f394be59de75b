/* eslint-disable @typescript-eslint/no-explicit-any -- per-object payloads are heterogeneous by type */
// Over 600 lines: the Runtime class (the storage primitives compiled code calls as R.x: ints,
// strs, tuples, lists, dicts, sets, instances) and the types every file of python/ shares; the
// types refer to Runtime and Runtime to them, so splitting them would make an import cycle.
//
// The value model: every Python value is an engine object id. Referents (list items,
// dict slots, instance attributes, closures) live in the engine; this side keeps only the
// non-reference payload (int values, str text, key→slot maps) in `P`, indexed by id.
import { Heap, NULL, dictLog2ForSize, dictLog2Presized, dictUsable, setTableAfterAdd } from '../../sim';
import type { Profile } from '../../common/domain';
import * as S from '../../sim/sizes';
import { sizesFor, type ProfileSpec } from '../../sim/profile';
import { RunAbort } from '../errors';

export type Id = number;
export type Kw = Map<string, Id> | null;
export type BuiltinFn = (args: Id[], kw: Kw) => Id;
export type MethodFn = (self: Id, args: Id[], kw: Kw) => Id;

/** A raised Python exception travelling through JS frames; owns one reference to `exc`. */
export class PyErr {
  lastFrame: Frame | null = null;
  constructor(public exc: Id) {}
}

export interface ParamSpec {
  names: string[];
  /** Positional parameters (the first `nPositional` names). */
  nPositional: number;
  nKwOnly: number;
  varargs: boolean;
  varkw: boolean;
}

export interface CodeInfo {
  name: string;
  qualname: string;
  filename: string;
  firstLine: number;
  params: ParamSpec;
  nLocals: number;
  localNames: string[];
  /** Locals captured by inner scopes: local index → cell index. */
  cellOfLocal: Map<number, number>;
  nCells: number;
  /** Free variables: resolved from the function's closure into cells[nOwnCells + i]. */
  nFree: number;
  isGenerator: boolean;
  isComprehension: boolean;
  /** Estimated value-stack depth (generator frames are sized by it). */
  stackSize?: number;
  run: (f: Frame) => Id;
  gen?: (f: Frame) => Generator<Id, Id, Id>;
}

const NO_CELLS: Id[] = Object.freeze([]) as unknown as Id[];

export class Frame {
  fast: Id[];
  cells: Id[];
  line = 0;
  frameObj: Id = 0;
  /** Exceptions being handled (for bare `raise` and __context__). */
  handling: Id[] | null = null;
  ns: Map<string, Id> | null = null;
  ret: Id = 0;
  constructor(
    /** The runtime this frame runs on: compiled closures reach it as `f.rt`. */
    public rt: Runtime,
    public code: CodeInfo,
    public globals: Map<string, Id>,
    public back: Frame | null,
  ) {
    // Comprehension frames run no statements: they report the line of the code that called them.
    if (back) this.line = back.line;
    const n = code.nLocals;
    const fast = new Array<Id>(n);
    for (let i = 0; i < n; i++) fast[i] = 0;
    this.fast = fast;
    const c = code.nCells + code.nFree;
    this.cells = c === 0 ? NO_CELLS : new Array<Id>(c).fill(0);
  }
}

export interface ClassInfo {
  id: Id;
  name: string;
  /** The bases in order (one today: multiple inheritance is refused by the class statement). */
  bases: ClassInfo[];
  /** The method resolution order (C3), starting with the class itself. */
  mro: ClassInfo[];
  /** Class attribute name → referent index of the class object. */
  attrSlot: Map<string, number>;
  engineType: number;
  builtin: string | null;
  sharedKeys: Map<string, number>;
  slots: string[] | null;
  /** `__weakref__` among the __slots__ (here or in a base): one more pointer in tp_basicsize. */
  slotsWeakref: boolean;
  hasDel: boolean;
  isException: boolean;
  managedDict: boolean;
  /** dk_usable of the shared keys: shrinks with each instance (3.11 values arrays). */
  keysUsable: number;
  /** Cached __init__ lookup, valid while initVersion === Runtime.classVersion. */
  init: Id;
  initVersion: number;
  /** Instances of a user class whose dict was materialized. */
}

export interface FuncPayload {
  kind: 'func';
  code: CodeInfo;
  globals: Map<string, Id>;
  name: string;
  /** Number of default values (stored in the defaults tuple, referent 0). */
  nDefaults: number;
  kwDefaults: Map<string, Id> | null;
}

export interface BuiltinPayload {
  kind: 'builtin';
  name: string;
  fn: BuiltinFn;
}

export interface BoundBuiltinPayload {
  kind: 'boundbuiltin';
  name: string;
  fn: MethodFn;
}

export interface DictPayload {
  map: Map<any, number>;
  /** Entries used (deleted ones included): the next entry index. */
  n: number;
  log2: number;
  strKeys: boolean;
}

export interface SetPayload {
  map: Map<any, number>;
  n: number;
  table: number;
  fill: number;
}

export interface GenPayload {
  it: Generator<Id, Id, Id> | null;
  frame: Frame;
  running: boolean;
  started: boolean;
  name: string;
}

export interface IterPayload {
  index: number;
  /** For range iterators. */
  stop?: number;
  step?: number;
  /** Mapping-iterator variant. */
  mode?: number;
  next?: () => Id;
  /** Referent slot of the result tuple reused while nobody else holds it (enumerate/zip/dict
   * items): the iterator owns it and traverses it, as en_result / result / di_result in CPython. */
  resultSlot?: number;
}

export interface TbPayload {
  filename: string;
  line: number;
  name: string;
}

export interface Hooks {
  output(text: string, stream: 'stdout' | 'stderr'): void;
  tick(): boolean;
  /** tracemalloc.take_snapshot() was called. */
  scriptSnapshot?(): void;
}

/** The engine types the front end defines. */
export interface Types {
  int: number; float: number; str: number; bytes: number; bool: number; none: number;
  list: number; tuple: number; dict: number; set: number; frozenset: number;
  function: number; cell: number; method: number; builtin: number; boundbuiltin: number;
  type: number; generator: number; module: number; object: number; range: number;
  listiter: number; tupleiter: number; dictiter: number; dictitemiter: number; setiter: number;
  striter: number; rangeiter: number; enumerate: number; zip: number; map: number; filter: number;
  reversed: number; dictview: number; traceback: number; frame: number; weakref: number;
  descriptor: number; internal: number; slice: number; wvdict: number; snapshot: number; stat: number;
  staticmethod: number; classmethod: number; property: number; callableiter: number; super: number; dictkeys: number;
}

/** Rich comparison operators, numbered as CPython's Py_LT … Py_GE. */
export const Py_LT = 0;
export const Py_LE = 1;
export const Py_EQ = 2;
export const Py_NE = 3;
export const Py_GT = 4;
export const Py_GE = 5;
export type CompareOp = 0 | 1 | 2 | 3 | 4 | 5;

/** A binary operator slot: a new reference, or 0 for NotImplemented (the other operand's
 * slot is tried next, as binary_op1 does). */
export type BinarySlot = (R: Runtime, a: Id, b: Id) => Id;

/**
 * A type's slot table, modeled on CPython's PyTypeObject (tp_*, nb_*, sq_*, mp_*). The abstract
 * operations (objects/abstract.ts) dispatch through `R.slots[engineType]`; a missing slot means
 * the operation is not supported by the type. Slots never own their arguments; those returning
 * an Id return a new reference. Tables are per type, not per runtime (the runtime is passed).
 */
export interface TypeSlots {
  tp_name: string;
  /** repr(); containers pass depth + 1 to the repr of their items. */
  tp_repr?(R: Runtime, v: Id, depth: number): string;
  tp_str?(R: Runtime, v: Id): string;
  /** A JS key for the dict/set tables (equal keys ⇔ equal hashable values); throws if unhashable. */
  tp_hash?(R: Runtime, v: Id): any;
  /** true/false, or undefined for NotImplemented. */
  tp_richcompare?(R: Runtime, a: Id, b: Id, op: CompareOp): boolean | undefined;
  tp_iter?(R: Runtime, v: Id): Id;
  /** The next item (new reference), or 0 when exhausted (no StopIteration is allocated). */
  tp_iternext?(R: Runtime, it: Id): Id;
  tp_call?(R: Runtime, callable: Id, args: Id[], kw: Kw): Id;
  /** Attribute read (new reference); throws AttributeError. */
  tp_getattro?(R: Runtime, o: Id, name: string): Id;
  /** LOAD_METHOD + CALL (_PyObject_GetMethod): calls `o.name(*args)` without a bound method when it can. */
  tp_callmethod?(R: Runtime, o: Id, name: string, args: Id[], kw: Kw): Id;
  /** __length_hint__ of the builtin iterators (PyObject_LengthHint). */
  length_hint?(R: Runtime, v: Id): number | undefined;
  nb_bool?(R: Runtime, v: Id): boolean;
  /** sq_length / mp_length. */
  sq_length?(R: Runtime, v: Id): number;
  sq_contains?(R: Runtime, container: Id, item: Id): boolean;
  mp_subscript?(R: Runtime, o: Id, k: Id): Id;
  /** Store `v` at `k`, or delete `k` when v is 0. */
  mp_ass_subscript?(R: Runtime, o: Id, k: Id, v: Id): void;
  nb_add?: BinarySlot;
  nb_subtract?: BinarySlot;
  nb_multiply?: BinarySlot;
  nb_remainder?: BinarySlot;
  nb_true_divide?: BinarySlot;
  nb_floor_divide?: BinarySlot;
  nb_power?: BinarySlot;
  nb_matrix_multiply?: BinarySlot;
  nb_lshift?: BinarySlot;
  nb_rshift?: BinarySlot;
  nb_and?: BinarySlot;
  nb_or?: BinarySlot;
  nb_xor?: BinarySlot;
  /** In-place variants (a += b): mutate and return a new reference to `a`, or 0 to fall back to the binary slot. */
  nb_inplace_add?: BinarySlot;
  nb_inplace_subtract?: BinarySlot;
  nb_inplace_or?: BinarySlot;
  nb_negative?(R: Runtime, v: Id): Id;
  nb_positive?(R: Runtime, v: Id): Id;
  nb_invert?(R: Runtime, v: Id): Id;
}

/** The slot table of types that define nothing beyond object's defaults. */
export const NO_SLOTS: TypeSlots = Object.freeze({ tp_name: 'object' });

export const SITE_INTERNAL = 0;

const EXCEPTION_FIELDS: ReadonlySet<string> = new Set(['args', '__traceback__', '__context__', '__cause__', '__suppress_context__', '__notes__']);

export class Runtime {
  heap: Heap;
  profile: Profile;
  /** The profile's row of the version table (the one place versions differ). */
  spec: ProfileSpec;
  T: Types;
  P: any[] = [];
  sz: S.SizeTable;
  /** Engine type → ClassInfo, for every type whose instances Python can see. */
  classOfType: (ClassInfo | undefined)[] = [];
  builtinClasses = new Map<string, ClassInfo>();
  NONE: Id = 0;
  TRUE: Id = 0;
  FALSE: Id = 0;
  EMPTY_TUPLE: Id = 0;
  smallInts: Id[] = [];
  charCache = new Map<string, Id>();
  interned = new Map<string, Id>();
  builtins = new Map<string, Id>();
  modules = new Map<string, Id>();
  steps = 0;
  /** Bumped on every class attribute change (invalidates lookup caches). */
  classVersion = 0;
  /** Run under a driver function (the fidelity recorder's exec): the module frame has a caller. */
  driverCaller = false;
  driverFrameObj: Id = 0;
  /** Highest object id handed out (snapshots scan up to it). */
  maxId = 0;
  stepBudget: number;
  memoryLimit: number | null;
  tickEvery: number;
  nextTick: number;
  hooks: Hooks;
  line = 0;
  frame: Frame | null = null;
  filename: string;
  depth = 0;
  /** Pinned objects (freelist-independent singletons, modules, builtins). */
  gcGarbage: Id = 0;
  gcCallbacks: Id = 0;
  excInfo = new Map<Id, { context: Id }>();
  aborted: RunAbort | null = null;
  weakvalueDicts = new Set<Id>();
  sourceLines: string[];

  // Per-runtime registries and caches (filled by installBuiltins).
  /** Engine type → slot table (builtin types at install, each user class when it is created). */
  slots: TypeSlots[] = [];
  /** Methods of builtin types: engine type → name → implementation. */
  typeMethods = new Map<number, Map<string, MethodFn>>();
  /** Data attributes of builtin types (float.real…). */
  builtinAttrs = new Map<number, Map<string, (o: Id) => Id>>();
  /** Class-level methods of builtin classes (dict.fromkeys…). */
  builtinClassMethods = new Map<string, Map<string, Id>>();
  /** Constructors of builtin classes, by ClassInfo.builtin key. */
  constructors = new Map<string, BuiltinFn>();
  /** Weak references of user classes in their base's __subclasses__ (kept for the run). */
  subclassRefs: Id[] = [];
  /** Argument Clinic parsers whose keyword tuple exists, and those tuples. */
  clinicParsersReady = new Set<string>();
  clinicKeywordTuples: Id[] = [];
  /** Modules whose import cost was paid. */
  importedOnce = new Set<string>();
  /** time.sleep(): simulated nanoseconds slept. */
  sleptNs = 0;

  constructor(heap: Heap, profile: Profile, filename: string, source: string, opts: { stepBudget: number; memoryLimit: number | null; tickEvery: number; hooks: Hooks }) {
    this.heap = heap;
    this.profile = profile;
    this.spec = heap.spec;
    this.filename = filename;
    this.sourceLines = source.split('\n');
    this.sz = sizesFor(profile);
    this.stepBudget = opts.stepBudget;
    this.memoryLimit = opts.memoryLimit;
    this.tickEvery = opts.tickEvery;
    this.nextTick = opts.tickEvery;
    this.hooks = opts.hooks;
    const d = (name: string, gc: boolean, extra: Record<string, unknown> = {}) => heap.defineType({ name, gc, ...extra } as never);
    this.T = {
      int: d('int', false), float: d('float', false), str: d('str', false), bytes: d('bytes', false),
      bool: d('bool', false), none: d('NoneType', false),
      list: d('list', true, { kind: 'list', freelist: 'list' }),
      tuple: d('tuple', true, { kind: 'tuple', freelist: 'tuple' }),
      dict: d('dict', true, { kind: 'dict', freelist: 'dict' }),
      set: d('set', true, { kind: 'set' }), frozenset: d('frozenset', true, { kind: 'set' }),
      function: d('function', true, { kind: 'function' }), cell: d('cell', true, { kind: 'cell' }),
      method: d('method', true), builtin: d('builtin_function_or_method', true), boundbuiltin: d('builtin_function_or_method', true),
      type: d('type', true, { kind: 'class' }), generator: d('generator', true, { kind: 'generator', finalizer: true }),
      module: d('module', true, { kind: 'module' }), object: d('object', false), range: d('range', false),
      listiter: d('list_iterator', true), tupleiter: d('tuple_iterator', true), dictiter: d('dict_keyiterator', true),
      dictitemiter: d('dict_itemiterator', true), setiter: d('set_iterator', true), striter: d('str_ascii_iterator', true),
      rangeiter: d('range_iterator', false), enumerate: d('enumerate', true), zip: d('zip', true), map: d('map', true),
      filter: d('filter', true), reversed: d('list_reverseiterator', true), dictview: d('dict_items', true),
      traceback: d('traceback', true), frame: d('frame', true), weakref: d('weakref.ReferenceType', true, { kind: 'weakref' }),
      descriptor: d('getset_descriptor', true), internal: d('<interpreter>', true), slice: d('slice', true),
      wvdict: d('WeakValueDictionary', true), snapshot: d('Snapshot', true), stat: d('Statistic', true),
      staticmethod: d('staticmethod', true), classmethod: d('classmethod', true), property: d('property', true),
      callableiter: d('callable_iterator', true), super: d('super', true), dictkeys: d('<dict keys>', false),
    };
    heap.setHooks({ onFree: (id: number) => { this.P[id] = undefined; } });
    this.NONE = this.seen(heap.alloc(this.T.none, 16, SITE_INTERNAL));
    this.TRUE = this.seen(heap.alloc(this.T.bool, 28, SITE_INTERNAL));
    this.FALSE = this.seen(heap.alloc(this.T.bool, 28, SITE_INTERNAL));
    this.P[this.TRUE] = 1;
    this.P[this.FALSE] = 0;
    this.EMPTY_TUPLE = this.seen(heap.alloc(this.T.tuple, 40, SITE_INTERNAL, { track: false, freelist: false, nitems: 0 }));
    for (let v = -5; v <= 256; v++) {
      const id = this.seen(heap.alloc(this.T.int, S.intSize(v), SITE_INTERNAL));
      this.P[id] = v;
      this.smallInts.push(id);
    }
    this.charCache.set('', this.allocStr(''));
  }

  // ---------------------------------------------------------------- accounting

  step(): void {
    if (++this.steps >= this.nextTick) this.tickCheck();
  }

  tickCheck(): void {
    this.nextTick = this.steps + this.tickEvery;
    if (this.steps >= this.stepBudget) {
      throw new RunAbort('step-budget', `step budget of ${this.stepBudget} steps exhausted at ${this.filename}:${this.line}`);
    }
    if (!this.hooks.tick()) throw new RunAbort('stopped', 'stopped by the caller');
    this.checkMemory();
  }

  checkMemory(): void {
    if (this.memoryLimit !== null && this.heap.metrics().liveBytes > this.memoryLimit) {
      throw new RunAbort('memory-limit', `MemoryError: container memory limit of ${this.memoryLimit} bytes exceeded (OOM kill) at ${this.filename}:${this.line}`);
    }
  }

  alloc(type: number, size: number, opts?: { track?: boolean; freelist?: boolean; nitems?: number; extraBytes?: number }): Id {
    const id = this.heap.alloc(type, size, this.line, opts);
    if (id > this.maxId) this.maxId = id;
    return id;
  }

  /** Notes an id handed out by the engine directly (snapshots scan ids up to maxId). */
  /** The module globals dict's keys table (a PyMem block, traced when it is reallocated). */
  private globalsKeys = { id: 0, log2: 0, nentries: 0, hidden: 0 };

  /** The globals dict starts as the driver's literal of `n` str keys (presized), `hidden` of
   * which (__builtins__) the globals map does not hold. */
  initGlobalsKeys(n: number, hidden: number): void {
    const log2 = dictLog2Presized(n);
    this.globalsKeys = { id: this.alloc(this.T.dictkeys, S.dictSize(log2, true) - S.dictSize(0, true)), log2, nentries: n, hidden };
  }

  /** A new name in the module globals (`used` names before it): insertdict resizes the keys
   * table to GROWTH_RATE = used*3 when no entry is left (dummies of deleted names count). */
  noteGlobalInserted(used: number): void {
    const g = this.globalsKeys;
    if (!g.id) return;
    // No entry left (deleted names leave dummies): dictresize builds a new table even when
    // GROWTH_RATE gives the same size (it compacts).
    if (g.nentries >= dictUsable(g.log2)) {
      g.log2 = dictLog2ForSize((used + g.hidden) * 3);
      g.nentries = used + g.hidden;
      // dictresize allocates the new table before it frees the old one (both count in the peak).
      const old = g.id;
      g.id = this.alloc(this.T.dictkeys, S.dictSize(g.log2, true) - S.dictSize(0, true));
      this.decref(old);
    }
    g.nentries++;
  }

  seen(id: Id): Id {
    if (id > this.maxId) this.maxId = id;
    return id;
  }

  incref(id: Id): Id {
    this.heap.incref(id);
    return id;
  }

  decref(id: Id): void {
    this.heap.decref(id);
  }

  // ---------------------------------------------------------------- scalars

  newInt(v: number): Id {
    if (v >= -5 && v <= 256 && Number.isInteger(v)) return this.incref(this.smallInts[v + 5]);
    // Ints are JS numbers here: past 2**53 they would silently lose digits (or become Infinity).
    if (!Number.isSafeInteger(v)) throw this.intOutOfRange();
    const size = S.intSize(v);
    const id = this.alloc(this.T.int, size, size === 28 ? { extraBytes: 4 } : undefined);
    this.P[id] = v;
    return id;
  }

  private intOutOfRange(): RunAbort {
    const line = this.frame?.line ?? this.line;
    return new RunAbort('unsupported', `not supported yet: integers beyond ±2**53 (big integers) at ${this.filename}:${line}:1`);
  }

  newFloat(v: number): Id {
    const id = this.alloc(this.T.float, 24);
    this.P[id] = v;
    return id;
  }

  bool(b: boolean): Id {
    return this.incref(b ? this.TRUE : this.FALSE);
  }

  none(): Id {
    return this.incref(this.NONE);
  }

  private allocStr(s: string): Id {
    const id = this.alloc(this.T.str, this.sz.str(s));
    this.P[id] = s;
    return id;
  }

  newStr(s: string): Id {
    if (s.length <= 1) {
      const c = s.length === 0 ? this.charCache.get('') : this.charCache.get(s);
      if (c !== undefined) return this.incref(c);
      if (s.charCodeAt(0) < 256) {
        const id = this.allocStr(s);
        this.charCache.set(s, id);
        return this.incref(id);
      }
    }
    return this.allocStr(s);
  }

  /** Identifiers and constant strings: one shared object per text. */
  intern(s: string): Id {
    // Like CPython's mortal interned strings, the table itself holds no reference.
    const id = this.interned.get(s);
    if (id !== undefined) return this.incref(id);
    const fresh = s.length <= 1 ? this.newStr(s) : this.allocStr(s);
    this.interned.set(s, fresh);
    return fresh;
  }

  newBytes(b: string): Id {
    const id = this.alloc(this.T.bytes, 33 + b.length);
    this.P[id] = b;
    return id;
  }

  // ---------------------------------------------------------------- containers

  /** A tuple taking ownership of `items`. */
  newTuple(items: Id[]): Id {
    if (items.length === 0) return this.incref(this.EMPTY_TUPLE);
    const t = this.alloc(this.T.tuple, S.tupleSize(items.length), { freelist: true, nitems: items.length });
    const h = this.heap;
    for (let i = 0; i < items.length; i++) {
      h.appendRef(t, items[i]);
      h.decref(items[i]);
    }
    return t;
  }

  /** A tuple of borrowed references (each gets a new reference from the tuple). */
  newTupleOf(items: Id[]): Id {
    if (items.length === 0) return this.incref(this.EMPTY_TUPLE);
    const t = this.alloc(this.T.tuple, S.tupleSize(items.length), { freelist: true, nitems: items.length });
    for (let i = 0; i < items.length; i++) this.heap.appendRef(t, items[i]);
    return t;
  }

  /** A list from PyList_New (freelist) taking ownership of `items`. */
  newList(items: Id[], fromFreelist = true): Id {
    const l = this.alloc(this.T.list, S.listSize(items.length), { freelist: fromFreelist });
    this.P[l] = items.length;
    const h = this.heap;
    for (let i = 0; i < items.length; i++) {
      h.appendRef(l, items[i]);
      h.decref(items[i]);
    }
    return l;
  }

  listAppend(l: Id, v: Id): void {
    const h = this.heap;
    const len = h.refLen(l);
    const allocated = this.P[l] as number;
    const next = S.listResize(allocated, len, len + 1);
    if (next !== allocated) {
      this.P[l] = next;
      h.resize(l, S.listSize(next));
    }
    h.appendRef(l, v);
  }

  listSetLen(l: Id, newLen: number): void {
    const allocated = this.P[l] as number;
    const len = this.heap.refLen(l);
    const next = S.listResize(allocated, len, newLen);
    if (next !== allocated) {
      this.P[l] = next;
      this.heap.resize(l, S.listSize(next));
    }
  }

  newDict(presize = 0, fromFreelist = true): Id {
    const d = this.alloc(this.T.dict, 64, { freelist: fromFreelist });
    const log2 = presize > 0 ? S.dictLog2Presized(presize) : 0;
    this.P[d] = { map: new Map(), n: 0, log2, strKeys: true } as DictPayload;
    if (log2) this.heap.resize(d, S.dictSize(log2, true));
    return d;
  }

  newSet(frozen = false): Id {
    const s = this.alloc(frozen ? this.T.frozenset : this.T.set, 216);
    this.P[s] = { map: new Map(), n: 0, table: 8, fill: 0 } as SetPayload;
    return s;
  }

  // ---------------------------------------------------------------- type tests

  typeOf(id: Id): number {
    return this.heap.typeOf(id);
  }

  isInt(id: Id): boolean {
    const t = this.heap.typeOf(id);
    return t === this.T.int || t === this.T.bool;
  }

  isStr(id: Id): boolean {
    return this.heap.typeOf(id) === this.T.str;
  }

  classOf(id: Id): ClassInfo {
    const t = this.heap.typeOf(id);
    const c = this.classOfType[t];
    if (c) return c;
    return this.builtinClasses.get('object')!;
  }

  typeName(id: Id): string {
    return this.classOf(id).name;
  }

  isInstanceOf(id: Id, cls: ClassInfo): boolean {
    const c = this.classOf(id);
    if (c === cls) return true;
    if (cls.builtin === 'object') return true;
    if (cls.builtin === 'int' && this.heap.typeOf(id) === this.T.bool) return true;
    return c.mro.includes(cls);
  }

  classInfo(id: Id): ClassInfo | null {
    if (this.heap.typeOf(id) !== this.T.type) return null;
    return this.P[id] as ClassInfo;
  }

  // ---------------------------------------------------------------- exceptions

  /** Builds an exception of a builtin class with a message; returns the PyErr to throw. */
  err(className: string, message?: string | null): PyErr {
    const cls = this.builtinClasses.get(className)!;
    const args = message === undefined || message === null ? [] : [this.newStr(message)];
    return new PyErr(this.makeException(cls, args));
  }

  errWith(className: string, arg: Id): PyErr {
    const cls = this.builtinClasses.get(className)!;
    return new PyErr(this.makeException(cls, [this.incref(arg)]));
  }

  /** Instantiate an exception class; takes ownership of args. */
  makeException(cls: ClassInfo, args: Id[]): Id {
    // _PyObject_MakeTpCall packs the arguments into a tuple that BaseException_new keeps.
    const argsTuple = this.newTuple(args);
    const exc = this.newInstance(cls);
    this.setAttr(exc, 'args', argsTuple);
    this.decref(argsTuple);
    return exc;
  }

  // ---------------------------------------------------------------- instances

  newInstance(cls: ClassInfo): Id {
    let size: number;
    let extra = 0;
    // A Python subclass of an exception adds a __weakref__ slot (BaseException has none).
    if (cls.isException) size = this.sz.exception + (cls.builtin === null ? 8 : 0);
    else if (cls.slots) size = this.sz.slotsBase + 8 * (cls.slots.length + (cls.slotsWeakref ? 1 : 0));
    else {
      size = this.sz.instance;
      if (!this.spec.inlineValues) {
        // init_inline_values (3.11): a PyMem values array sized by the class's shared keys.
        const n = cls.sharedKeys.size + cls.keysUsable;
        extra = ((n + 2 + 7) & ~7) + 8 * n;
        if (cls.keysUsable > 1) cls.keysUsable--;
      } else size += 8 * Math.max(cls.sharedKeys.size, 1);
    }
    const id = this.alloc(cls.engineType, size, extra ? { extraBytes: extra } : undefined);
    this.heap.appendRef(id, cls.id);
    if (cls.slots) this.heap.setRefLen(id, 1 + cls.slots.length);
    return id;
  }

  /** Instance attribute slot (shared keys / __slots__), or -1. */
  private instanceSlot(obj: Id, cls: ClassInfo, name: string, create: boolean): number {
    if (cls.slots) {
      const i = cls.slots.indexOf(name);
      if (i >= 0) return 1 + i;
      for (let j = 1; j < cls.mro.length; j++) {
        const b = cls.mro[j];
        if (b.slots) {
          const j = b.slots.indexOf(name);
          if (j >= 0) return 1 + j;
        }
      }
      return -1;
    }
    let i = cls.sharedKeys.get(name);
    if (i === undefined) {
      if (!create) return -1;
      i = cls.sharedKeys.size;
      cls.sharedKeys.set(name, i);
      if (cls.keysUsable > 1) cls.keysUsable--;
    }
    return 1 + i;
  }

  isUserInstance(id: Id): ClassInfo | null {
    const c = this.classOfType[this.heap.typeOf(id)];
    return c && c.builtin === null ? c : c && c.isException ? c : null;
  }

  instanceDict(obj: Id): Id {
    return (this.P[obj] as Id | undefined) ?? 0;
  }

  getInstanceAttr(obj: Id, name: string): Id {
    const cls = this.classOf(obj);
    const dict = this.instanceDict(obj);
    if (dict) return this.dictGetStr(dict, name);
    const i = this.instanceSlot(obj, cls, name, false);
    if (i < 0 || i >= this.heap.refLen(obj)) return 0;
    return this.heap.getRef(obj, i);
  }

  setAttr(obj: Id, name: string, value: Id): void {
    const cls = this.classOf(obj);
    if (cls.builtin !== null && !cls.isException) {
      if (this.heap.typeOf(obj) === this.T.type) return this.setClassAttr(this.P[obj] as ClassInfo, name, value);
      if (this.heap.typeOf(obj) === this.T.function) {
        return;
      }
      throw this.err('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
    }
    let dict = this.instanceDict(obj);
    // BaseException keeps args, the traceback and the chaining in struct fields; any other
    // attribute goes into the instance dict, created on first use.
    if (!dict && cls.isException && !EXCEPTION_FIELDS.has(name)) dict = this.materializeDict(obj);
    if (dict) {
      const k = this.intern(name);
      this.dictSet(dict, k, value);
      this.decref(k);
      return;
    }
    const i = this.instanceSlot(obj, cls, name, true);
    if (i < 0) {
      if (name === '__dict__' || cls.slots) throw this.err('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
    }
    const h = this.heap;
    const n = h.refLen(obj);
    if (i === n) h.appendRef(obj, value);
    else {
      if (i > n) h.setRefLen(obj, i + 1);
      h.setRef(obj, i, value);
    }
  }

  delAttr(obj: Id, name: string): void {
    const cls = this.classOf(obj);
    const dict = this.instanceDict(obj);
    if (dict) {
      const k = this.intern(name);
      try {
        this.dictDel(dict, k);
      } finally {
        this.decref(k);
      }
      return;
    }
    const i = this.instanceSlot(obj, cls, name, false);
    if (i < 0 || i >= this.heap.refLen(obj) || this.heap.getRef(obj, i) === NULL) {
      throw this.err('AttributeError', `'${cls.name}' object has no attribute '${name}'`);
    }
    this.heap.setRef(obj, i, NULL);
  }

  /** obj.__dict__ / vars(obj): materializes a real dict that takes over the values (spec §5). */
  materializeDict(obj: Id): Id {
    let dict = this.instanceDict(obj);
    if (dict) return dict;
    const cls = this.classOf(obj);
    if (cls.slots) throw this.err('AttributeError', `'${cls.name}' object has no attribute '__dict__'`);
    dict = this.alloc(this.T.dict, 64, { freelist: true, track: false });
    this.P[dict] = { map: new Map(), n: 0, log2: 0, strKeys: true } as DictPayload;
    const h = this.heap;
    const names = [...cls.sharedKeys.entries()].sort((a, b) => a[1] - b[1]);
    let mayTrack = false;
    for (const [name, i] of names) {
      const slot = 1 + i;
      if (slot >= h.refLen(obj)) continue;
      const v = h.getRef(obj, slot);
      if (v === NULL) continue;
      const k = this.intern(name);
      this.dictSet(dict, k, v, false);
      this.decref(k);
      if (h.mayBeTracked(v)) mayTrack = true;
    }
    // The dict of an instance has 30-key shared keys: getsizeof reports 296 (spec §5).
    // getsizeof reports 296 (the split table it took over), but the allocation is only the
    // 64-byte dict object: the values array moves from the instance to the dict.
    (this.P[dict] as DictPayload).log2 = 6;
    h.resize(dict, 296);
    h.setExtraBytes(dict, 64 - 296 + h.extraBytes(obj));
    h.setExtraBytes(obj, 0);
    if (mayTrack) h.track(dict);
    h.setRefLen(obj, 1);
    h.appendRef(obj, dict);
    h.decref(dict);
    this.P[obj] = dict;
    return dict;
  }

  setClassAttr(cls: ClassInfo, name: string, value: Id): void {
    this.classVersion++;
    let i = cls.attrSlot.get(name);
    const h = this.heap;
    if (i === undefined) {
      i = h.refLen(cls.id);
      cls.attrSlot.set(name, i);
      h.appendRef(cls.id, value);
    } else h.setRef(cls.id, i, value);
    if (name === '__del__') cls.hasDel = true;
  }

  /** Borrowed class attribute along the MRO, or 0. */
  lookupClassAttr(cls: ClassInfo, name: string): Id {
    for (const c of cls.mro) {
      const i = c.attrSlot.get(name);
      if (i !== undefined) {
        const v = this.heap.getRef(c.id, i);
        if (v !== NULL) return v;
      }
    }
    return 0;
  }

  // ---------------------------------------------------------------- dicts

  /** A JS key for hashing; throws TypeError for unhashable values. */
  hashKey(k: Id): any {
    const t = this.heap.typeOf(k);
    const T = this.T;
    if (t === T.str) return this.P[k] as string;
    if (t === T.int || t === T.float || t === T.bool) return this.P[k] as number;
    if (t === T.none) return '\u0000None';
    if (t === T.tuple) {
      const n = this.heap.refLen(k);
      let s = '\u0000(';
      for (let i = 0; i < n; i++) {
        const hk = this.hashKey(this.heap.getRef(k, i));
        s += (typeof hk === 'number' ? 'n' + hk : 's' + hk) + '\u0001';
      }
      return s;
    }
    if (t === T.bytes) return '\u0000b' + (this.P[k] as string);
    if (t === T.list || t === T.dict || t === T.set) throw this.err('TypeError', `unhashable type: '${this.typeName(k)}'`);
    if (t === T.frozenset) return '\u0000f' + [...(this.P[k] as SetPayload).map.keys()].map(String).sort().join('\u0001');
    const hash = this.slots[t]?.tp_hash;
    if (hash) return hash(this, k);
    return '\u0000o' + k;
  }

  dictLookup(d: Id, k: Id): Id {
    const p = this.P[d] as DictPayload;
    const i = p.map.get(this.hashKey(k));
    return i === undefined ? 0 : this.heap.getRef(d, 2 * i + 1);
  }

  dictGetStr(d: Id, s: string): Id {
    const p = this.P[d] as DictPayload;
    const i = p.map.get(s);
    return i === undefined ? 0 : this.heap.getRef(d, 2 * i + 1);
  }

  dictSet(d: Id, k: Id, v: Id, maintainTracking = true): void {
    const p = this.P[d] as DictPayload;
    const h = this.heap;
    const hk = this.hashKey(k);
    const i = p.map.get(hk);
    if (i !== undefined) {
      h.setRef(d, 2 * i + 1, v);
      if (maintainTracking) h.maintainDictTracking(d, k, v);
      return;
    }
    if (p.strKeys && h.typeOf(k) !== this.T.str) {
      p.strKeys = false;
      if (p.log2) h.resize(d, S.dictSize(p.log2, false));
    }
    if (p.log2 === 0) {
      p.log2 = 3;
      h.resize(d, S.dictSize(3, p.strKeys));
    } else if (p.n >= S.dictUsable(p.log2)) {
      const used = p.map.size;
      p.log2 = S.dictLog2ForSize(used * 3);
      h.noteTransientAlloc(S.dictSize(p.log2, p.strKeys) - S.dictSize(0, true));
      h.resize(d, S.dictSize(p.log2, p.strKeys));
      if (p.n > used) this.compactDict(d, p);
    }
    const e = p.n++;
    p.map.set(hk, e);
    h.appendRef(d, k);
    h.appendRef(d, v);
    if (maintainTracking) h.maintainDictTracking(d, k, v);
  }

  private compactDict(d: Id, p: DictPayload): void {
    const h = this.heap;
    const pairs: Id[] = [];
    for (const e of p.map.values()) {
      pairs.push(h.getRef(d, 2 * e), h.getRef(d, 2 * e + 1));
    }
    for (const id of pairs) h.incref(id);
    h.clearRefs(d);
    p.map.clear();
    p.n = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      p.map.set(this.hashKey(pairs[i]), p.n++);
      h.appendRef(d, pairs[i]);
      h.appendRef(d, pairs[i + 1]);
    }
    for (const id of pairs) h.decref(id);
  }

  dictDel(d: Id, k: Id): void {
    const p = this.P[d] as DictPayload;
    const hk = this.hashKey(k);
    const i = p.map.get(hk);
    if (i === undefined) throw this.errWith('KeyError', k);
    p.map.delete(hk);
    const h = this.heap;
    const key = h.popRef(d, 2 * i);
    h.insertRef(d, 2 * i, NULL);
    const val = h.popRef(d, 2 * i + 1);
    h.insertRef(d, 2 * i + 1, NULL);
    h.decref(key);
    h.decref(val);
  }

  /** Live entries of a dict as [keyId, valueId] pairs (borrowed). */
  dictEntries(d: Id): [Id, Id][] {
    const p = this.P[d] as DictPayload;
    const h = this.heap;
    const out: [Id, Id][] = [];
    for (const e of p.map.values()) out.push([h.getRef(d, 2 * e), h.getRef(d, 2 * e + 1)]);
    return out;
  }

  // ---------------------------------------------------------------- sets

  setAdd(s: Id, v: Id): void {
    const p = this.P[s] as SetPayload;
    const hk = this.hashKey(v);
    if (p.map.has(hk)) return;
    const h = this.heap;
    p.map.set(hk, p.n++);
    h.appendRef(s, v);
    p.fill++;
    const next = setTableAfterAdd(p.table, p.fill, p.map.size);
    if (next !== p.table) {
      if (next > 8) h.noteTransientAlloc(S.setSize(next) - S.setSize(8));
      p.table = next;
      p.fill = p.map.size;
      h.resize(s, S.setSize(next));
    }
  }

  /** set_table_resize: the smallest power of two above minused (at least 8); dummies go. */
  setTableResize(s: Id, minused: number): void {
    const p = this.P[s] as SetPayload;
    let size = 8;
    while (size <= minused) size <<= 1;
    if (size > 8) this.heap.noteTransientAlloc(S.setSize(size) - S.setSize(8));
    p.table = size;
    p.fill = p.map.size;
    this.heap.resize(s, S.setSize(size));
  }

  setDiscard(s: Id, v: Id): boolean {
    const p = this.P[s] as SetPayload;
    const hk = this.hashKey(v);
    const i = p.map.get(hk);
    if (i === undefined) return false;
    p.map.delete(hk);
    this.heap.setRef(s, i, NULL);
    return true;
  }

  setItems(s: Id): Id[] {
    const p = this.P[s] as SetPayload;
    const out: Id[] = [];
    for (const i of p.map.values()) out.push(this.heap.getRef(s, i));
    return out;
  }

  // ---------------------------------------------------------------- output

  write(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.hooks.output(text, stream);
  }
}
