// The parse layer: Lezer's tree lowered to our AST, CPython's positions and SyntaxErrors.
// Expected positions and messages were measured with CPython's own `ast.parse` / `compile`
// (3.11.7 and 3.13.0 via pyenv; f-string piece positions are 3.12+'s, as 3.13.0 gives them).
import { describe, expect, it } from 'vitest';
import { parseModule } from './lower';
import { buildSymtable } from './symtable';
import type * as A from './ast';
import { CompileError } from '../errors';

declare global {
  interface ImportMeta {
    glob(pattern: string | string[], options: { query: string; import: string; eager: true }): Record<string, string>;
  }
}

const corpus = import.meta.glob(['../../../scenarios/*.py', '../../../fidelity/cases/*.py', '../../../../shared/fidelity/cases/*.py'], { query: '?raw', import: 'default', eager: true });

/** A compact rendering of the AST (CPython's class names, operators inline). */
function show(n: unknown): string {
  if (n === null || n === undefined) return '_';
  if (Array.isArray(n)) return '[' + n.map(show).join(', ') + ']';
  if (typeof n !== 'object') return String(n);
  const o = n as Record<string, unknown> & { type?: string };
  if (o.type === 'Name') return `${o.id}${o.ctx === 'Load' ? '' : '/' + o.ctx}`;
  if (o.type === 'Constant') {
    const v = o.value as A.ConstantValue;
    switch (v.kind) {
      case 'str': return JSON.stringify(v.value);
      case 'bytes': return 'b' + JSON.stringify(v.value);
      case 'int': return v.value.toString();
      case 'float': return String(v.value) + (Number.isInteger(v.value) ? '.0' : '');
      case 'complex': return `${v.imag}j`;
      case 'bool': return v.value ? 'True' : 'False';
      default: return v.kind;
    }
  }
  const skip = new Set(['type', 'line', 'col', 'endLine', 'endCol', 'ctx', 'parenthesized']);
  const fields = Object.entries(o).filter(([k]) => !skip.has(k)).map(([k, v]) => `${k}=${show(v)}`);
  return `${o.type ?? ''}(${fields.join(' ')})`;
}

const mod = (src: string) => parseModule(src, 't.py');
const stmt = (src: string) => mod(src).body[0];
const expr = (src: string) => (stmt(src) as A.ExprStmt).value;
const err = (src: string): string => {
  try {
    buildSymtable(mod(src), 't.py');
  } catch (e) {
    if (e instanceof CompileError) return e.message;
    throw e;
  }
  return 'no error';
};
const at = (n: A.Pos) => [n.line, n.col, n.endLine, n.endCol];

describe('every program of the corpora lowers', () => {
  it('finds the three corpora', () => {
    expect(Object.keys(corpus).length).toBeGreaterThanOrEqual(42);
  });
  for (const [path, src] of Object.entries(corpus)) {
    it(path.replace(/^(\.\.\/)+/, ''), () => {
      const m = parseModule(src, path);
      expect(m.body.length).toBeGreaterThan(0);
      expect(buildSymtable(m, path).top.kind).toBe('module');
    });
  }
});

describe('statements', () => {
  it('assignments', () => {
    expect(show(stmt('a = b = 1'))).toBe('Assign(targets=[a/Store, b/Store] value=1)');
    expect(show(stmt('a, *b = c'))).toBe('Assign(targets=[Tuple(elts=[a/Store, Starred(value=b/Store)])] value=c)');
    expect(show(stmt('x.y[0] += 2'))).toBe('AugAssign(target=Subscript(value=Attribute(value=x attr=y) slice=0) op=+ value=2)');
    expect(show(stmt('x: int = 3'))).toBe('AnnAssign(target=x/Store annotation=int value=3 simple=true)');
    expect(show(stmt('(y): int'))).toBe('AnnAssign(target=y/Store annotation=int value=_ simple=false)');
    expect(show(stmt('del a, b[0], c.d'))).toBe('Delete(targets=[a/Del, Subscript(value=b slice=0), Attribute(value=c attr=d)])');
    expect(show(stmt('a, (b, [c, *d]) = e'))).toBe('Assign(targets=[Tuple(elts=[a/Store, Tuple(elts=[b/Store, List(elts=[c/Store, Starred(value=d/Store)])])])] value=e)');
  });

  it('control flow', () => {
    expect(show(stmt('if a:\n  pass\nelif b:\n  pass\nelse:\n  x\n'))).toBe('If(test=a body=[Pass()] orelse=[If(test=b body=[Pass()] orelse=[Expr(value=x)])])');
    expect(show(stmt('while x:\n  break\nelse:\n  pass\n'))).toBe('While(test=x body=[Break()] orelse=[Pass()])');
    expect(show(stmt('for i, j in x:\n  continue\n'))).toBe('For(target=Tuple(elts=[i/Store, j/Store]) iter=x body=[Continue()] orelse=[])');
    expect(show(stmt('with a as b, c:\n  pass\n'))).toBe('With(items=[(contextExpr=a optionalVars=b/Store), (contextExpr=c optionalVars=_)] body=[Pass()])');
    expect(show(stmt('raise X from e'))).toBe('Raise(exc=X cause=e)');
    expect(show(stmt('assert x, "m"'))).toBe('Assert(test=x msg="m")');
    expect(show(stmt('try:\n  pass\nexcept (A, B) as e:\n  raise\nexcept:\n  pass\nelse:\n  pass\nfinally:\n  pass\n'))).toBe(
      'Try(body=[Pass()] handlers=[ExceptHandler(excType=Tuple(elts=[A, B]) name=e body=[Raise(exc=_ cause=_)]), ExceptHandler(excType=_ name=_ body=[Pass()])] orelse=[Pass()] finalbody=[Pass()])',
    );
    expect(show(stmt('try:\n  pass\nexcept* ValueError as eg:\n  pass\n'))).toBe('TryStar(body=[Pass()] handlers=[ExceptHandler(excType=ValueError name=eg body=[Pass()])] orelse=[] finalbody=[])');
  });

  it('imports and scope declarations', () => {
    expect(show(stmt('import a.b as c, d'))).toBe('Import(names=[(name=a.b asname=c), (name=d asname=_)])');
    expect(show(stmt('from ..pkg.sub import (x as y, z)'))).toBe('ImportFrom(module=pkg.sub names=[(name=x asname=y), (name=z asname=_)] level=2)');
    expect(show(stmt('from . import w'))).toBe('ImportFrom(module=_ names=[(name=w asname=_)] level=1)');
    expect(show(stmt('from m import *'))).toBe('ImportFrom(module=m names=[(name=* asname=_)] level=0)');
    expect(show(stmt('global p, q'))).toBe('Global(names=[p, q])');
    expect(show(mod('def f():\n  x = 1\n  def g():\n    nonlocal x\n').body[0]).includes('Nonlocal(names=[x])')).toBe(true);
  });

  it('functions, classes and decorators', () => {
    const f = stmt('@dec\n@mod.attr(1, k=2)\nasync def f(a, /, b: int = 1, *args, c, d=2, **kw) -> int:\n  await g\n') as A.AsyncFunctionDef;
    expect(f.type).toBe('AsyncFunctionDef');
    expect(show(f.decorators)).toBe('[dec, Call(func=Attribute(value=mod attr=attr) args=[1] keywords=[(arg=k value=2)])]');
    expect(show(f.args)).toBe(
      '(posonlyargs=[(arg=a annotation=_)] args=[(arg=b annotation=int)] vararg=(arg=args annotation=_) kwonlyargs=[(arg=c annotation=_), (arg=d annotation=_)] kwDefaults=[_, 2] kwarg=(arg=kw annotation=_) defaults=[1])',
    );
    expect(show(f.returns)).toBe('int');
    expect(show(f.body)).toBe('[Expr(value=Await(value=g))]');
    expect(show(stmt('class K(B, metaclass=M, **kw):\n  pass\n'))).toBe('ClassDef(name=K bases=[B] keywords=[(arg=metaclass value=M), (arg=_ value=kw)] body=[Pass()] decorators=[])');
    expect(show(expr('lambda a, *b, c=1, **d: a'))).toBe(
      'Lambda(args=(posonlyargs=[] args=[(arg=a annotation=_)] vararg=(arg=b annotation=_) kwonlyargs=[(arg=c annotation=_)] kwDefaults=[1] kwarg=(arg=d annotation=_) defaults=[]) body=a)',
    );
  });

  it('async statements', () => {
    const f = stmt('async def f():\n  async with x as y:\n    pass\n  async for i in y:\n    pass\n  return [i async for i in y]\n') as A.AsyncFunctionDef;
    expect(f.body.map((s) => s.type)).toEqual(['AsyncWith', 'AsyncFor', 'Return']);
    expect(show((f.body[2] as A.Return).value)).toBe('ListComp(elt=i generators=[(target=i/Store iter=y ifs=[] isAsync=true)])');
  });

  it('match', () => {
    const m = stmt(
      'match p:\n  case [1, *r] if r: pass\n  case {"a": 1, **kw}: pass\n  case P(x, y=2) | None as z: pass\n  case -1+2j: pass\n  case a.b: pass\n  case (1, 2): pass\n  case 1, 2: pass\n  case str(): pass\n  case []: pass\n  case _: pass\n',
    ) as A.Match;
    expect(m.cases.map((c) => show(c.pattern))).toEqual([
      'MatchSequence(patterns=[MatchValue(value=1), MatchStar(name=r)])',
      'MatchMapping(keys=["a"] patterns=[MatchValue(value=1)] rest=kw)',
      'MatchAs(pattern=MatchOr(patterns=[MatchClass(cls=P patterns=[MatchAs(pattern=_ name=x)] kwdAttrs=[y] kwdPatterns=[MatchValue(value=2)]), MatchSingleton(value=(kind=None))]) name=z)',
      'MatchValue(value=BinOp(left=UnaryOp(op=- operand=1) op=+ right=2j))',
      'MatchValue(value=Attribute(value=a attr=b))',
      'MatchSequence(patterns=[MatchValue(value=1), MatchValue(value=2)])',
      'MatchSequence(patterns=[MatchValue(value=1), MatchValue(value=2)])',
      'MatchClass(cls=str patterns=[] kwdAttrs=[] kwdPatterns=[])',
      'MatchSequence(patterns=[])',
      'MatchAs(pattern=_ name=_)',
    ]);
    expect(show(m.cases[0].guard)).toBe('r');
  });
});

describe('expressions', () => {
  it('operators, comparisons and boolean chains', () => {
    expect(show(expr('-x ** 2 + ~z - +w'))).toBe('BinOp(left=BinOp(left=UnaryOp(op=- operand=BinOp(left=x op=** right=2)) op=+ right=UnaryOp(op=~ operand=z)) op=- right=UnaryOp(op=+ operand=w))');
    expect(show(expr('a < b <= c is not d not in e'))).toBe('Compare(left=a ops=[<, <=, is not, not in] comparators=[b, c, d, e])');
    expect(show(expr('a and b and c or d'))).toBe('BoolOp(op=or values=[BoolOp(op=and values=[a, b, c]), d])');
    // Lezer groups `not a or b` as `not (a or b)`; Python binds `not` tighter
    expect(show(expr('not a < b or c and d'))).toBe('BoolOp(op=or values=[UnaryOp(op=not operand=Compare(left=a ops=[<] comparators=[b])), BoolOp(op=and values=[c, d])])');
    expect(show(expr('not a and b'))).toBe('BoolOp(op=and values=[UnaryOp(op=not operand=a), b])');
    expect(show(expr('not (a or b)'))).toBe('UnaryOp(op=not operand=BoolOp(op=or values=[a, b]))');
    expect(show(expr('a if b else c'))).toBe('IfExp(test=b body=a orelse=c)');
    expect(show(expr('(n := 10)'))).toBe('NamedExpr(target=n/Store value=10)');
  });

  it('displays, subscripts and calls', () => {
    expect(show(expr('{1, *a}, {**a, "b": 1}, [*a, b], (*a,), ()'))).toBe(
      'Tuple(elts=[Set(elts=[1, Starred(value=a)]), Dict(keys=[_, "b"] values=[a, 1]), List(elts=[Starred(value=a), b]), Tuple(elts=[Starred(value=a)]), Tuple(elts=[])])',
    );
    expect(show(expr('a[1:2, ::3, x]'))).toBe('Subscript(value=a slice=Tuple(elts=[Slice(lower=1 upper=2 step=_), Slice(lower=_ upper=_ step=3), x]))');
    expect(show(expr('a[...]'))).toBe('Subscript(value=a slice=Ellipsis)');
    expect(show(expr('fn(*a, k=1, **d)'))).toBe('Call(func=fn args=[Starred(value=a)] keywords=[(arg=k value=1), (arg=_ value=d)])');
    expect(show(expr('fn(x for x in y if x)'))).toBe('Call(func=fn args=[GeneratorExp(elt=x generators=[(target=x/Store iter=y ifs=[x] isAsync=false)])] keywords=[])');
    expect(show(expr('fn(a := 1)'))).toBe('Call(func=fn args=[NamedExpr(target=a/Store value=1)] keywords=[])');
    expect(show(expr('a.b[1](2).c'))).toBe('Attribute(value=Call(func=Subscript(value=Attribute(value=a attr=b) slice=1) args=[2] keywords=[]) attr=c)');
  });

  it('comprehensions', () => {
    expect(show(expr('{k: v for k, v in d.items() if v if k}'))).toBe(
      'DictComp(key=k value=v generators=[(target=Tuple(elts=[k/Store, v/Store]) iter=Call(func=Attribute(value=d attr=items) args=[] keywords=[]) ifs=[v, k] isAsync=false)])',
    );
    expect(show(expr('(x for x in y for z in x)'))).toBe('GeneratorExp(elt=x generators=[(target=x/Store iter=y ifs=[] isAsync=false), (target=z/Store iter=x ifs=[] isAsync=false)])');
    expect(show(expr('{x for x in y}'))).toBe('SetComp(elt=x generators=[(target=x/Store iter=y ifs=[] isAsync=false)])');
  });

  it('yield and await in every position', () => {
    const g = stmt('def g():\n  x = yield\n  y = yield 1\n  z = yield from g()\n  w = (yield a, b)\n  s += yield\n  print((yield))\n  yield\n') as A.FunctionDef;
    expect(g.body.map((s) => show(s))).toEqual([
      'Assign(targets=[x/Store] value=Yield(value=_))',
      'Assign(targets=[y/Store] value=Yield(value=1))',
      'Assign(targets=[z/Store] value=YieldFrom(value=Call(func=g args=[] keywords=[])))',
      'Assign(targets=[w/Store] value=Yield(value=Tuple(elts=[a, b])))',
      'AugAssign(target=s/Store op=+ value=Yield(value=_))',
      'Expr(value=Call(func=print args=[Yield(value=_)] keywords=[]))',
      'Expr(value=Yield(value=_))',
    ]);
  });

  it('literals: exact integers, floats, complex, strings and bytes', () => {
    expect(show(expr('0x1F, 0o17, 0b101, 1_000, 1.5e3, 2j, 12345678901234567890, 1.0'))).toBe('Tuple(elts=[31, 15, 5, 1000, 1500.0, 2j, 12345678901234567890, 1.0])');
    expect(show(expr('..., None, True, False'))).toBe('Tuple(elts=[Ellipsis, None, True, False])');
    expect(show(expr('"a\\tb" \'c\' """d"""'))).toBe('"a\\tbcd"');
    expect(show(expr('r"\\n" "\\n"'))).toBe('"\\\\n\\n"');
    expect(show(expr('b"x\\x41" b"y"'))).toBe('b"xAy"');
  });

  it('f-strings: conversions, nested format specs and the = label', () => {
    expect(show(expr('f"{x=}"'))).toBe('JoinedStr(values=["x=", FormattedValue(value=x conversion=114 formatSpec=_)])');
    expect(show(expr('f"{x = !s:>{w}}"'))).toBe('JoinedStr(values=["x = ", FormattedValue(value=x conversion=115 formatSpec=JoinedStr(values=[">", FormattedValue(value=w conversion=-1 formatSpec=_)]))])');
    expect(show(expr('f"{255:#x}"'))).toBe('JoinedStr(values=[FormattedValue(value=255 conversion=-1 formatSpec=JoinedStr(values=["#x"]))])');
    expect(show(expr('f"{x=:>5}"'))).toBe('JoinedStr(values=["x=", FormattedValue(value=x conversion=-1 formatSpec=JoinedStr(values=[">5"]))])');
    expect(show(expr('f"a{{b}}{c!r}" "d"'))).toBe('JoinedStr(values=["a{b}", FormattedValue(value=c conversion=114 formatSpec=_), "d"])');
    expect(show(expr('rf"\\n{a}"'))).toBe('JoinedStr(values=["\\\\n", FormattedValue(value=a conversion=-1 formatSpec=_)])');
  });
});

describe('positions (CPython 3.13.0 ast: lineno, col_offset, end_lineno, end_col_offset)', () => {
  it('statements end where their last statement ends', () => {
    const m = mod('class K:\n    def m(self):\n        return 1\n\n\nfor i in x:\n    pass\nelse:\n    y = 2  # c\n');
    expect(at(m.body[0])).toEqual([1, 0, 3, 16]);
    expect(at((m.body[0] as A.ClassDef).body[0])).toEqual([2, 4, 3, 16]);
    expect(at(m.body[1])).toEqual([6, 0, 9, 9]);
  });

  it('decorated functions start at def; elif is a nested If at the elif', () => {
    const m = mod('@d\ndef f():\n    pass\nif a:\n    pass\nelif b:\n    pass\n');
    expect(at(m.body[0])).toEqual([2, 0, 3, 8]);
    expect(at(((m.body[1] as A.If).orelse[0]))).toEqual([6, 0, 7, 8]);
  });

  it('expressions', () => {
    const e = expr('foo(a, b=[1, 2]).bar') as A.Attribute;
    expect(at(e)).toEqual([1, 0, 1, 20]);
    const call = e.value as A.Call;
    expect(at(call)).toEqual([1, 0, 1, 16]);
    expect(at(call.keywords[0])).toEqual([1, 7, 1, 15]);
    expect(at(call.keywords[0].value)).toEqual([1, 9, 1, 15]);
    const t = (stmt('x = 1, 2') as A.Assign).value;
    expect(at(t)).toEqual([1, 4, 1, 8]);
    expect(at(expr('(a)'))).toEqual([1, 1, 1, 2]);
  });

  it('f-string pieces', () => {
    const j = expr('f"ab{x!r:>{w}}cd"') as A.JoinedStr;
    expect(j.values.map(at)).toEqual([[1, 2, 1, 4], [1, 4, 1, 14], [1, 14, 1, 16]]);
    const fv = j.values[1] as A.FormattedValue;
    expect(at(fv.formatSpec!)).toEqual([1, 8, 1, 13]);
  });
});

describe("CPython's SyntaxErrors (messages and positions from 3.11.7's compile())", () => {
  it.each([
    ['f() = 1', "cannot assign to function call here. Maybe you meant '==' instead of '='? at t.py:1:1"],
    ['1 = x', "cannot assign to literal here. Maybe you meant '==' instead of '='? at t.py:1:1"],
    ['for f() in x: pass', 'cannot assign to function call at t.py:1:5'],
    ['del f()', 'cannot delete function call at t.py:1:5'],
    ['f() += 1', "'function call' is an illegal expression for augmented assignment at t.py:1:1"],
    ['a, b: int', 'only single target (not tuple) can be annotated at t.py:1:1'],
    ['x = yield', "'yield' outside function at t.py:1:5"],
    ['(a.b := 1)', 'cannot use assignment expressions with attribute at t.py:1:2'],
    ['def f():\n  x = [(yield) for x in y]', "'yield' inside list comprehension at t.py:2:9"],
    ['f(**k, b)', 'positional argument follows keyword argument unpacking at t.py:1:9'],
    ['f(x for x in y, 1)', 'Generator expression must be parenthesized at t.py:1:3'],
    ['f(a=1, b)', 'positional argument follows keyword argument at t.py:1:9'],
    ['f(**a, *b)', 'iterable argument unpacking follows keyword argument unpacking at t.py:1:8'],
    ['def f(a=1, b): pass', 'non-default argument follows default argument at t.py:1:12'],
    ['def f(a, a): pass', "duplicate argument 'a' in function definition at t.py:1:10"],
    ['break', "'break' outside loop at t.py:1:1"],
    ['continue', "'continue' not properly in loop at t.py:1:1"],
    ['return', "'return' outside function at t.py:1:1"],
    ['async def g():\n  yield 1\n  return 2', "'return' with value in async generator at t.py:3:3"],
    ['nonlocal x', 'nonlocal declaration not allowed at module level at t.py:1:1'],
    ['def f():\n  x = 1\n  global x', "name 'x' is assigned to before global declaration at t.py:3:3"],
    ['def f():\n  nonlocal x', "no binding for nonlocal 'x' found at t.py:2:3"],
    ['[(yield) for x in y]', "'yield' inside list comprehension at t.py:1:3"],
    ['def f():\n  [(yield) for x in y]', "'yield' inside list comprehension at t.py:2:5"],
    ['class A: yield 1', "'yield' outside function at t.py:1:10"],
    ['await x', "'await' outside function at t.py:1:1"],
    ['def f(): await x', "'await' outside async function at t.py:1:10"],
    ['def f(): [x async for x in y]', 'asynchronous comprehension outside of an asynchronous function at t.py:1:10'],
    ['"a" b"b"', 'cannot mix bytes and nonbytes literals at t.py:1:9'],
    ['try: pass\nexcept* A: pass\nexcept B: pass', "cannot have both 'except' and 'except*' on the same 'try' at t.py:3:1"],
    ['x = 0123', 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers at t.py:1:5'],
    ['print "x"', "Missing parentheses in call to 'print'. Did you mean print(...)? at t.py:1:1"],
    ['a, *b, *c = d', 'multiple starred expressions in assignment at t.py:1:1'],
    ['*a = b', 'starred assignment target must be in a list or tuple at t.py:1:1'],
    ['def f(*): pass', 'named arguments must follow bare * at t.py:1:7'],
    ['def f(**k, a): pass', 'arguments cannot follow var-keyword argument at t.py:1:12'],
  ])('%s', (src, msg) => {
    expect(err(src)).toBe('SyntaxError: ' + msg);
  });

  it('reports what Lezer cannot parse as not supported yet, with file:line:col', () => {
    expect(err('@x[0]\ndef f(): pass\n')).toBe('not supported yet: decorator expression (only dotted names and calls) at t.py:1:1');
    expect(err('with (open(a) as b, c):\n    pass\n')).toBe('not supported yet: parenthesized context managers at t.py:1:1');
    expect(err('x = 1\ny = )\n')).toBe('SyntaxError: invalid syntax at t.py:2:5');
  });
});

describe('symbol tables', () => {
  const scopes = (src: string) => buildSymtable(mod(src), 't.py').top;
  it('cells, free variables, generators and coroutines', () => {
    const top = scopes('def f(a):\n  b = 1\n  def g():\n    nonlocal b\n    b += a\n    yield b\n  return g\nasync def h():\n  await x\n');
    const [f, h] = top.children;
    const g = f.children[0];
    expect([...f.cells].sort()).toEqual(['a', 'b']);
    expect(g.frees.sort()).toEqual(['a', 'b']);
    expect(g.isGenerator).toBe(true);
    expect(g.isResumable).toBe(true);
    expect(f.isResumable).toBe(false);
    expect(h.isCoroutine).toBe(true);
  });

  it('comprehension scopes, and a walrus binding in the enclosing function', () => {
    const top = scopes('def f(xs):\n  [y := x for x in xs]\n  return y\n');
    const f = top.children[0];
    const comp = f.children[0];
    expect(comp.name).toBe('<listcomp>');
    expect(comp.params).toEqual(['.0']);
    expect(comp.isLocal('x')).toBe(true);
    expect(comp.frees).toEqual(['y']);
    expect([...f.cells]).toEqual(['y']);
    const mtop = scopes('[y := x for x in xs]\n');
    expect(mtop.children[0].globals.has('y')).toBe(true);
  });

  it('super() and __class__ ask for the class cell; class names are not visible to methods', () => {
    const top = scopes('class A:\n  v = 1\n  def m(self):\n    return super().m(v)\n');
    const m = top.children[0].children[0];
    expect(m.hasSuperCall).toBe(true);
    expect(m.frees).toEqual([]);
  });
});
