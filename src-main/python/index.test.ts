import { describe, expect, it } from 'vitest';
import { checkSyntax, runProgram } from './index';
import type { RunOptions } from './program';
import type { RunSettings } from '../common/domain';

const SETTINGS: RunSettings = { profile: '3.11', thresholds: [700, 10, 10], stepBudget: 10_000_000, memoryLimitBytes: null, snapshotEveryMs: null };

function run(src: string, settings: Partial<RunSettings> = {}, options: RunOptions = {}) {
  let out = '';
  let result: unknown;
  let count: [number, number, number] = [0, 0, 0];
  const outcome = runProgram(src, 'test.py', { ...SETTINGS, ...settings }, { onOutput: (t) => (out += t) }, {
    ...options,
    onFinish(p) {
      result = p.globalJson('RESULT');
      count = p.gcCount();
      options.onFinish?.(p);
    },
  });
  return { outcome, out, result, count };
}

const py = (lines: string[]) => lines.join('\n') + '\n';

describe('reference counting', () => {
  it('walks through x = "Chadura"; y = x; del y with sys.getrefcount', () => {
    const { out, outcome } = run(py(['import sys', 'x = "Chadura"', 'print(sys.getrefcount(x))', 'y = x', 'print(sys.getrefcount(x))', 'del y', 'print(sys.getrefcount(x))']));
    expect(outcome.status).toBe('complete');
    // CPython 3.11: the constant (co_consts), the name and the call argument.
    expect(out).toBe('3\n4\n3\n');
  });

  it('frees an object as soon as its last reference goes (weakref callback fires)', () => {
    const { out } = run(py(['import weakref', 'class A:', '    pass', 'a = A()', 'r = weakref.ref(a, lambda w: print("gone"))', 'print(r() is a)', 'del a', 'print(r())']));
    expect(out).toBe('True\ngone\nNone\n');
  });
});

describe('statements and expressions', () => {
  it('runs assignment forms, unpacking, augmented and subscript assignment', () => {
    const { result } = run(py(['a, *b = [1, 2, 3]', 'c = d = 5', 'c += 2', 'x = [0, 1, 2]', 'x[1] += 10', 'x[0:1] = [7, 8]', 'class P:', '    pass', 'p = P()', 'p.v = 1', 'p.v *= 3', 'RESULT = [a, b, c, d, x, p.v]']));
    expect(result).toEqual([1, [2, 3], 7, 5, [7, 8, 11, 2], 3]);
  });

  it('runs if/elif/else, while/for with break, continue and else', () => {
    const { result } = run(py([
      'out = []',
      'for i in range(10):',
      '    if i % 2 == 0:',
      '        continue',
      '    elif i > 7:',
      '        break',
      '    else:',
      '        out.append(i)',
      'else:',
      '    out.append("no")',
      'n = 0',
      'while n < 3:',
      '    n += 1',
      'else:',
      '    out.append("done")',
      'RESULT = out',
    ]));
    expect(result).toEqual([1, 3, 5, 7, 'done']);
  });

  it('releases the container and the key when del d[k] or d[k] += v fails', () => {
    const src = py([
      'import sys',
      'd = {}',
      'k = "missing-" + str(7)',
      'before = (sys.getrefcount(d), sys.getrefcount(k))',
      'try:',
      '    del d[k]',
      'except KeyError:',
      '    pass',
      'try:',
      '    d[k] += 1',
      'except KeyError:',
      '    pass',
      'RESULT = [before == (sys.getrefcount(d), sys.getrefcount(k)), len(d)]',
    ]);
    expect(run(src).result).toEqual([true, 0]);
  });

  it('deletes names, items and attributes', () => {
    const { result, out } = run(py(['d = {"a": 1, "b": 2}', 'del d["a"]', 'l = [1, 2, 3]', 'del l[0]', 'class C:', '    pass', 'c = C()', 'c.x = 1', 'del c.x', 'print(hasattr(c, "x"))', 'z = 1', 'del z', 'RESULT = [d, l]']));
    expect(result).toEqual([{ b: 2 }, [2, 3]]);
    expect(out).toBe('False\n');
  });

  it('formats with %, f-strings and str.format', () => {
    const { out } = run(py(['x = 3.14159', 'print("%d items, %s, %.2f" % (3, "ok", x))', 'print(f"{x:.1f}|{42:>5}|{\'s\'!r}")', 'print("{} and {name}".format(1, name="n"))']));
    expect(out).toBe("3 items, ok, 3.14\n3.1|   42|'s'\n1 and n\n");
  });

  it('evaluates comprehensions, slicing, sorted, min/max, any/all, zip, enumerate, map, filter', () => {
    const { result } = run(py([
      'l = [5, 3, 8, 1]',
      'RESULT = [[x * 2 for x in l if x > 2], {k: v for k, v in zip("ab", l)}, sorted({x % 3 for x in l}),',
      '          l[::-1], l[1:3], sorted(l, reverse=True), min(l), max(l, key=lambda v: -v),',
      '          any(x > 7 for x in l), all(x > 0 for x in l), list(enumerate("xy", 1)),',
      '          list(map(str, l)), list(filter(None, [0, 1, 2])), sum(l), len("héllo")]',
    ]));
    expect(result).toEqual([[10, 6, 16], { a: 5, b: 3 }, [0, 1, 2], [1, 8, 3, 5], [3, 8], [8, 5, 3, 1], 1, 1, true, true, [[1, 'x'], [2, 'y']], ['5', '3', '8', '1'], [1, 2], 17, 5]);
  });
});

describe('functions and classes', () => {
  it('handles defaults, *args, **kwargs, keyword-only arguments and lambdas', () => {
    const { result } = run(py(['def f(a, b=2, *args, c=3, **kw):', '    return [a, b, list(args), c, kw]', 'g = lambda x, y=1: x + y', 'RESULT = [f(1), f(1, 5, 6, 7, c=0, z=9), g(1), g(1, 2)]']));
    expect(result).toEqual([[1, 2, [], 3, {}], [1, 5, [6, 7], 0, { z: 9 }], 2, 3]);
  });

  it('supports closures with nonlocal and global', () => {
    const { result } = run(py(['total = 0', 'def counter():', '    n = 0', '    def inc():', '        nonlocal n', '        global total', '        n += 1', '        total += 10', '        return n', '    return inc', 'c = counter()', 'c()', 'c()', 'RESULT = [c(), total]']));
    expect(result).toEqual([3, 30]);
  });

  it('supports inheritance, super(), class attributes, __slots__, properties and __del__', () => {
    const { result, out } = run(py([
      'class Base:',
      '    kind = "base"',
      '    def __init__(self, v):',
      '        self.v = v',
      '    def describe(self):',
      '        return self.kind + str(self.v)',
      'class Child(Base):',
      '    kind = "child"',
      '    def __init__(self, v):',
      '        super().__init__(v * 2)',
      '    def __del__(self):',
      '        print("del", self.v)',
      'class S:',
      '    __slots__ = ("a",)',
      '    def __init__(self):',
      '        self.a = 1',
      'c = Child(2)',
      's = S()',
      'RESULT = [c.describe(), isinstance(c, Base), s.a, Base.kind]',
      'c = None',
    ]));
    expect(result).toEqual(['child4', true, 1, 'base']);
    expect(out).toBe('del 4\n');
  });

  it('runs generators and generator expressions lazily', () => {
    const { result } = run(py(['log = []', 'def gen(n):', '    for i in range(n):', '        log.append(i)', '        yield i * i', 'g = gen(3)', 'first = next(g)', 'RESULT = [first, list(log), list(g), sum(x for x in range(4))]']));
    expect(result).toEqual([0, [0], [1, 4], 6]);
  });
});

describe('exceptions', () => {
  it('runs try/except/else/finally, raise and with', () => {
    const { result } = run(py([
      'out = []',
      'class Ctx:',
      '    def __enter__(self):',
      '        out.append("enter")',
      '        return self',
      '    def __exit__(self, t, v, tb):',
      '        out.append("exit")',
      '        return True',
      'try:',
      '    {}["missing"]',
      'except KeyError as e:',
      '    out.append("key " + str(e))',
      'else:',
      '    out.append("else")',
      'finally:',
      '    out.append("finally")',
      'with Ctx():',
      '    raise ValueError("suppressed")',
      'try:',
      '    pass',
      'except Exception:',
      '    pass',
      'else:',
      '    out.append("else2")',
      'RESULT = out',
    ]));
    expect(result).toEqual(["key 'missing'", 'finally', 'enter', 'exit', 'else2']);
  });

  it('reports an uncaught exception with a Python-style traceback', () => {
    const { outcome, out } = run(py(['def inner():', '    return 1 / 0', 'def outer():', '    return inner()', 'outer()']));
    expect(outcome.status).toBe('failed');
    expect(outcome.failure?.kind).toBe('exception');
    expect(outcome.failure?.message).toBe('ZeroDivisionError: division by zero');
    expect(out).toBe([
      'Traceback (most recent call last):',
      '  File "test.py", line 5, in <module>',
      '    outer()',
      '  File "test.py", line 4, in outer',
      '    return inner()',
      '  File "test.py", line 2, in inner',
      '    return 1 / 0',
      'ZeroDivisionError: division by zero',
      '',
    ].join('\n'));
  });
});

describe('errors, budgets and limits', () => {
  it('reports syntax errors with file:line:col', () => {
    const { outcome } = run('x = 1\ny = )\n');
    expect(outcome.status).toBe('failed');
    expect(outcome.failure?.kind).toBe('syntax');
    expect(outcome.failure?.location?.line).toBe(2);
    expect(outcome.failure?.message).toMatch(/^SyntaxError: invalid syntax at test\.py:\d+:\d+$/);
    expect(checkSyntax('def f(:\n', 'a.py')?.location).toEqual({ filename: 'a.py', line: 1, col: 7 });
    expect(checkSyntax('x = 1\n', 'a.py')).toBeNull();
    expect(checkSyntax('def f():\n    return 1\nimport json\n', 'a.py')).toMatchObject({ kind: 'unsupported', location: { line: 3, col: 8 } });
  });

  it('reports unsupported constructs with file:line:col', () => {
    const { outcome } = run('x = 1\nasync def f():\n    pass\n');
    expect(outcome.failure?.kind).toBe('unsupported');
    expect(outcome.failure?.message).toBe('not supported yet: async def at test.py:2:1');
    expect(outcome.failure?.location).toEqual({ filename: 'test.py', line: 2, col: 1 });
  });

  it('stops a runaway loop at the step budget', () => {
    const { outcome } = run('while True:\n    pass\n', { stepBudget: 5000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.failure?.kind).toBe('step-budget');
    expect(outcome.steps).toBeLessThan(7000);
  });

  it('ends a growing program at the memory limit like an OOM kill', () => {
    const { outcome } = run('hog = []\nwhile True:\n    hog.append("x" * 1000)\n', { memoryLimitBytes: 2_000_000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.failure?.kind).toBe('memory-limit');
    expect(outcome.failure?.message).toMatch(/OOM/);
  });

  it('never freezes on one huge allocation', () => {
    expect(run('x = list(range(10**9))\n', { memoryLimitBytes: 100_000_000 }).outcome.failure?.kind).toBe('memory-limit');
    expect(run('x = [0] * 10**9\n').outcome.failure?.message).toMatch(/^MemoryError/);
  });

  it('stops when onTick returns false', () => {
    let ticks = 0;
    const outcome = runProgram('while True:\n    pass\n', 't.py', SETTINGS, { onTick: () => ++ticks < 3 }, { tickEvery: 100 });
    expect(outcome.status).toBe('stopped');
    expect(outcome.failure?.kind).toBe('stopped');
  });
});

describe('gc, sys and tracemalloc modules', () => {
  it('collects cycles and reports collections, counts and thresholds', () => {
    const events: number[] = [];
    const outcome = runProgram(py([
      'import gc',
      'class N:',
      '    def __init__(self):',
      '        self.me = self',
      'gc.set_threshold(100, 10, 10)',
      'for i in range(1000):',
      '    N()',
      'r = gc.collect()',
      'print(gc.get_threshold(), gc.isenabled(), len(gc.get_stats()), r >= 0)',
      'gc.disable()',
      'print(gc.isenabled())',
      'gc.freeze()',
      'print(gc.get_count(), gc.get_freeze_count() > 0)',
    ]), 't.py', SETTINGS, { onCollection: (e) => events.push(e.generation), onOutput: () => undefined });
    expect(outcome.status).toBe('complete');
    expect(outcome.gcTotals.collected.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(events.length).toBe(outcome.gcTotals.collections.reduce((a, b) => a + b, 0));
    expect(events[events.length - 1]).toBe(2);
  });

  it('prints gc.get_count and runs gc.callbacks', () => {
    const { out } = run(py(['import gc', 'seen = []', 'def cb(phase, info):', '    seen.append((phase, info["generation"]))', 'gc.callbacks.append(cb)', 'gc.collect(1)', 'gc.callbacks.remove(cb)', 'print(seen)']));
    expect(out).toBe("[('start', 1), ('stop', 1)]\n");
  });

  it('reports sys.getsizeof values of CPython 3.11', () => {
    const { result } = run(py([
      'import sys',
      'class M:',
      '    pass',
      'class S:',
      '    __slots__ = ("a", "b", "c")',
      'def f():',
      '    pass',
      'def g():',
      '    yield 1',
      'RESULT = [sys.getsizeof(x) for x in [1, 2**40, 1.5, "abc", "", [], [1], (1, 2), {}, {"a": 1}, set(), M(), S(), f, g(), range(10), object(), True, None, b"ab"]]',
    ]));
    expect(result).toEqual([28, 32, 24, 52, 49, 56, 64, 56, 64, 184, 216, 56, 56, 152, 176, 48, 16, 28, 16, 35]);
  });

  it('traces memory with tracemalloc', () => {
    const { result } = run(py(['import tracemalloc', 'tracemalloc.start()', 'data = [str(i) * 10 for i in range(1000)]', 'cur, peak = tracemalloc.get_traced_memory()', 'snap = tracemalloc.take_snapshot()', 'top = snap.statistics("lineno")[0]', 'del data', 'cur2, peak2 = tracemalloc.get_traced_memory()', 'RESULT = [cur > 50000, peak >= cur, cur2 < cur, peak2 >= peak, top.size > 50000]']));
    expect(result).toEqual([true, true, true, true, true]);
  });

  it('simulates time.perf_counter deterministically', () => {
    const a = run('import time\nt = time.perf_counter()\nx = [i for i in range(1000)]\nRESULT = time.perf_counter() - t\n');
    const b = run('import time\nt = time.perf_counter()\nx = [i for i in range(1000)]\nRESULT = time.perf_counter() - t\n');
    expect(a.result).toBe(b.result);
    expect(a.result as number).toBeGreaterThan(0);
  });
});

describe('allocation fidelity (CPython 3.11 generation-0 counts)', () => {
  const count = (src: string) => run(src, {}, { startState: { trackedObjects: 0, count: [0, 0, 0] } }).count[0];

  it('counts a class definition, its methods and instances like CPython', () => {
    // Measured on 3.11.7 (freelists empty): 10 for an empty class, +1 per method, +1 per instance;
    // +1 for the module function object while the module runs (freed at the end).
    expect(count('class A:\n    pass\n')).toBe(10);
    expect(count('class A:\n    def f(self): pass\nclass B:\n    def f(self): pass\n')).toBe(19);
    expect(count('class A:\n    pass\na = A()\nb = A()\n')).toBe(12);
  });

  it('does not count freelist reuse: [] churn vs list() churn', () => {
    expect(count('for i in range(1000):\n    x = []\n')).toBe(2);
    expect(count('for i in range(1000):\n    x = list()\n')).toBe(81);
  });

  it('creates a function object per list comprehension in 3.11 but inlines it in 3.13 (PEP 709)', () => {
    // With empty freelists: the get_count() tuple, the result list and (3.11 only) the function.
    const src = 'import gc\nbefore = gc.get_count()[0]\nRESULT = [gc.get_count()[0] - before for i in range(1)]\n';
    const start = { startState: { trackedObjects: 0, count: [0, 0, 0] as [number, number, number] } };
    expect(run(src, {}, start).result).toEqual([3]);
    expect(run(src, { profile: '3.13', thresholds: [2000, 10, 10] }, start).result).toEqual([2]);
  });

  it('counts super(), keyword-argument calls and raised exceptions like CPython', () => {
    // Measured on 3.11.7: super() adds the __class__ cell and a closure tuple; A(x=1) with
    // **kw also builds a kwnames tuple; a caught exception leaves the module frame object.
    expect(count('class B:\n    def __init__(self, v):\n        self.v = v\nclass C(B):\n    def __init__(self, v):\n        super().__init__(v)\nc = C(1)\n')).toBe(22);
    expect(count('class A:\n    def __init__(self, **kw):\n        self.kw = kw\na = A(x=1)\n')).toBe(13);
    expect(count('def f():\n    raise KeyError(1)\ntry:\n    f()\nexcept KeyError as e:\n    pass\n')).toBe(2);
  });

  it('releases what a suspended generator holds when it is dropped', () => {
    expect(count('l = [1, 2, 3]\ng = (x for x in l)\nnext(g)\ndel g\n')).toBe(1);
    expect(count('def gen(items):\n    for x in items:\n        yield x\ng = gen([1, 2])\nnext(g)\ng = None\n')).toBe(2);
  });
});

describe('more modules and diagnostics', () => {
  it('reports unknown modules as unsupported at file:line:col', () => {
    const { outcome } = run('x = 1\nimport json\n');
    expect(outcome.failure?.kind).toBe('unsupported');
    expect(outcome.failure?.message).toBe("not supported yet: module 'json' at test.py:2:8");
  });

  it('prints tracemalloc statistics per line', () => {
    const { out } = run(py(['import tracemalloc', 'tracemalloc.start()', 'data = [str(i) * 10 for i in range(500)]', 'for s in tracemalloc.take_snapshot().statistics("lineno")[:1]:', '    print(s)']));
    expect(out).toMatch(/^test\.py:3: size=\d+(\.\d)? KiB, count=\d+, average=\d+ B\n$/);
  });

  it('drops WeakValueDictionary entries when the value dies', () => {
    const { result } = run(py(['import weakref', 'class V:', '    pass', 'd = weakref.WeakValueDictionary()', 'v = V()', 'd["k"] = v', 'a = len(d)', 'del v', 'RESULT = [a, len(d), d.get("k")]']));
    expect(result).toEqual([1, 0, null]);
  });

  it('writes DEBUG_STATS lines to stderr', () => {
    let err = '';
    runProgram('import gc\ngc.set_debug(gc.DEBUG_STATS)\ngc.collect()\n', 't.py', SETTINGS, { onOutput: (t, s) => { if (s === 'stderr') err += t; } });
    expect(err).toMatch(/gc: collecting generation 2/);
    expect(err).toMatch(/gc: done/);
  });
});

describe('snapshots', () => {
  it('groups live objects by type and line, keeps the graph and names the roots', () => {
    const snaps: import('./program').ProgramSnapshot[] = [];
    runProgram(py(['import tracemalloc', 'class Node:', '    def __init__(self):', '        self.kids = []', 'tracemalloc.start()', 'keep = [Node() for i in range(50)]', 'snap = tracemalloc.take_snapshot()']), 'snap.py', SETTINGS, {
      onSnapshot: (s) => snaps.push(s),
    });
    expect(snaps.length).toBe(1);
    const s = snaps[0];
    expect(s.reason).toBe('script');
    const nodes = s.groups.find((g) => g.type === 'Node' && g.line === 6);
    expect(nodes?.count).toBe(50);
    expect(nodes?.generations.reduce((a, b) => a + b, 0)).toBe(50);
    const kids = s.groups.find((g) => g.type === 'list' && g.line === 4);
    expect(kids?.count).toBe(50);
    expect(s.graph).not.toBeNull();
    const g = s.graph!;
    expect(g.edgeStart.length).toBe(g.group.length + 1);
    const keepRoot = g.roots.find((r) => r.label === "global 'keep'");
    expect(keepRoot).toBeDefined();
    const keepIndex = keepRoot!.index;
    expect(g.edgeStart[keepIndex + 1] - g.edgeStart[keepIndex]).toBe(50);
  });

  it('omits the graph above maxGraphObjects', () => {
    let omitted: string | null = null;
    runProgram('x = [[] for i in range(100)]\ny = 1\n', 't.py', SETTINGS, {
      onTick: (state) => {
        const snap = (state as unknown as import('./program').SnapshotCapable).snapshot('user', { maxGraphObjects: 10 });
        omitted = snap.graphOmitted;
        return true;
      },
    }, { tickEvery: 1 });
    expect(omitted).toMatch(/more than the graph limit of 10/);
  });
});
