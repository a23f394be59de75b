// Compiles the lezer tree once into closures. Expressions return NEW references;
// statements return a completion code. Generator bodies compile to JS generators.
import type { SyntaxNode } from '@lezer/common';
import { NULL } from '../sim';
import { CompileError, locationOf } from './errors';
import { Frame, PyErr } from './vm/runtime';
import type { Runtime, CodeInfo, Id, Kw, ClassInfo, FuncPayload, ParamSpec, MethodFn } from './vm/runtime';

interface ClassHolder {
  cls: ClassInfo | null;
  /** The implicit __class__ cell while the class body runs (0 when none is needed). */
  cell: Id;
}
import { Scope, ScopeBuilder, children } from './scope';
import * as O from './vm/ops';
import { builtinMethodOf, callMethod, getAttr, getItem, setItem, delItem } from './objects/abstract';
import { buildClass } from './objects/type';
import { superLookup } from './objects/super';
import { makeSlice } from './objects/slice';
import { importModule } from './modules/registry';

export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;

type Expr = (f: Frame) => Id;
type Cond = (f: Frame) => boolean;
type Stmt = (f: Frame) => number;
type GStmt = (f: Frame) => Generator<Id, number, Id>;
type Store = (f: Frame, v: Id) => void;

interface ArgSpec {
  pos: { expr: Expr; star: boolean }[];
  kw: { name: string; expr: Expr }[];
  starstar: Expr[];
  simple: boolean;
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';']);

export class Compiler {
  private sb: ScopeBuilder;
  /** Constants are created once and kept alive by the compiled code (co_consts). */
  readonly constants: Id[] = [];
  private scope!: Scope;
  private code!: CodeInfo;
  private localIndex = new Map<string, number>();
  private cellIndex = new Map<string, number>();
  private classStack: { holder: ClassHolder }[] = [];

  constructor(
    /** The runtime that owns the constants (co_consts) created while compiling. */
    readonly R: Runtime,
    private readonly src: string,
    readonly filename: string,
  ) {
    this.sb = new ScopeBuilder(src);
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  line(n: SyntaxNode): number {
    return locationOf(this.src, this.filename, n.from).line;
  }

  unsupported(n: SyntaxNode, what: string): CompileError {
    const loc = locationOf(this.src, this.filename, n.from);
    return new CompileError('unsupported', `not supported yet: ${what} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  syntax(n: SyntaxNode | number, msg = 'invalid syntax'): CompileError {
    const loc = locationOf(this.src, this.filename, typeof n === 'number' ? n : n.from);
    return new CompileError('syntax', `SyntaxError: ${msg} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  // ------------------------------------------------------------------ module

  compileModule(root: SyntaxNode): CodeInfo {
    checkErrors(root, this);
    const scope = this.sb.build(root);
    this.scope = scope;
    this.localIndex = new Map();
    this.cellIndex = new Map();
    const code: CodeInfo = {
      name: '<module>', qualname: '<module>', filename: this.filename, firstLine: 1,
      params: { names: [], nPositional: 0, nKwOnly: 0, varargs: false, varkw: false },
      nLocals: 0, localNames: [], cellOfLocal: new Map(), nCells: 0, nFree: 0,
      isGenerator: false, isComprehension: false, run: () => 0,
    };
    this.code = code;
    code.stackSize = this.stackEstimate(root) + 1;
    const body = this.block(children(root));
    code.run = (f) => {
      const R = f.rt;
      body(f);
      return R.none();
    };
    return code;
  }

  // ------------------------------------------------------------------ names

  private loadName(name: string): Expr {
    const s = this.scope;
    const li = this.localIndex.get(name);
    if (li !== undefined && s.kind === 'function') {
      return (f) => {
        const R = f.rt;
        const v = f.fast[li];
        if (!v) throw R.err('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
        R.heap.incref(v);
        return v;
      };
    }
    const ci = this.cellIndex.get(name);
    if (ci !== undefined) {
      const inClass = s.kind === 'class';
      return (f) => {
        const R = f.rt;
        if (inClass) {
          const v = f.ns!.get(name);
          if (v !== undefined) return R.incref(v);
        }
        const v = R.heap.getRef(f.cells[ci], 0);
        if (!v) throw R.err('NameError', `free variable '${name}' referenced before assignment in enclosing scope`);
        R.heap.incref(v);
        return v;
      };
    }
    if (s.kind === 'class') {
      return (f) => {
        const R = f.rt;
        const v = f.ns!.get(name) ?? f.globals.get(name) ?? R.builtins.get(name);
        if (v === undefined) throw R.err('NameError', `name '${name}' is not defined`);
        return R.incref(v);
      };
    }
    return (f) => {
      const R = f.rt;
      const v = f.globals.get(name) ?? R.builtins.get(name);
      if (v === undefined) throw R.err('NameError', `name '${name}' is not defined`);
      R.heap.incref(v);
      return v;
    };
  }

  private storeName(name: string): Store {
    const s = this.scope;
    const li = this.localIndex.get(name);
    if (li !== undefined && s.kind === 'function') {
      return (f, v) => {
        const R = f.rt;
        const old = f.fast[li];
        f.fast[li] = v;
        if (old) R.heap.decref(old);
      };
    }
    const ci = this.cellIndex.get(name);
    if (ci !== undefined && s.kind !== 'class') {
      return (f, v) => {
        const R = f.rt;
        R.heap.setRef(f.cells[ci], 0, v);
        R.heap.decref(v);
      };
    }
    if (s.kind === 'class' && !s.globals.has(name)) {
      return (f, v) => {
        const R = f.rt;
        const old = f.ns!.get(name);
        f.ns!.set(name, v);
        if (old) R.decref(old);
      };
    }
    return (f, v) => {
      const R = f.rt;
      const old = f.globals.get(name);
      if (old === undefined) R.noteGlobalInserted(f.globals.size);
      f.globals.set(name, v);
      if (old) R.decref(old);
    };
  }

  private deleteName(name: string): (f: Frame) => void {
    const s = this.scope;
    const li = this.localIndex.get(name);
    if (li !== undefined && s.kind === 'function') {
      return (f) => {
        const R = f.rt;
        const old = f.fast[li];
        if (!old) throw R.err('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
        f.fast[li] = 0;
        R.decref(old);
      };
    }
    const ci = this.cellIndex.get(name);
    if (ci !== undefined && s.kind !== 'class') {
      return (f) => f.rt.heap.setRef(f.cells[ci], 0, NULL);
    }
    const map = (f: Frame) => (s.kind === 'class' && !s.globals.has(name) ? f.ns! : f.globals);
    return (f) => {
      const R = f.rt;
      const m = map(f);
      const old = m.get(name);
      if (old === undefined) throw R.err('NameError', `name '${name}' is not defined`);
      m.delete(name);
      R.decref(old);
    };
  }

  // ------------------------------------------------------------------ statements

  block(nodes: SyntaxNode[]): Stmt {
    const stmts: Stmt[] = [];
    for (const n of nodes) {
      if (PUNCT.has(n.name) || n.name === 'Comment') continue;
      if (n.name === 'StatementGroup') {
        for (const c of children(n)) if (!PUNCT.has(c.name)) stmts.push(this.statement(c));
        continue;
      }
      stmts.push(this.statement(n));
    }
    const n = stmts.length;
    if (n === 0) return () => NORMAL;
    if (n === 1) return stmts[0];
    return (f) => {
      for (let i = 0; i < n; i++) {
        const c = stmts[i](f);
        if (c !== NORMAL) return c;
      }
      return NORMAL;
    };
  }

  private body(n: SyntaxNode | null): Stmt {
    if (!n) return () => NORMAL;
    return this.block(children(n));
  }

  private statement(n: SyntaxNode): Stmt {
    const inner = this.statementInner(n);
    const line = this.line(n);
    if (n.name === 'FunctionDefinition' || n.name === 'ClassDefinition' || n.name === 'DecoratedStatement' || n.name === 'IfStatement' || n.name === 'ForStatement' || n.name === 'WhileStatement' || n.name === 'TryStatement' || n.name === 'WithStatement') {
      return (f) => {
        const R = f.rt;
        f.line = line;
        R.line = line;
        return inner(f);
      };
    }
    return (f) => {
      const R = f.rt;
      f.line = line;
      R.line = line;
      if (++R.steps >= R.nextTick) R.tickCheck();
      return inner(f);
    };
  }

  private statementInner(n: SyntaxNode): Stmt {
    switch (n.name) {
      case 'ExpressionStatement': {
        const e = this.expr(n.firstChild!);
        return (f) => {
          const R = f.rt;
          R.heap.decref(e(f));
          return NORMAL;
        };
      }
      case 'AssignStatement': return this.assign(n);
      case 'UpdateStatement': return this.augAssign(n);
      case 'PassStatement': return () => NORMAL;
      case 'BreakStatement': return () => BREAK;
      case 'ContinueStatement': return () => CONTINUE;
      case 'ReturnStatement': {
        const cs = children(n).slice(1);
        if (this.scope.kind !== 'function') throw this.syntax(n, "'return' outside function");
        const e = cs.length ? this.exprList(cs) : null;
        return (f) => {
          const R = f.rt;
          f.ret = e ? e(f) : R.none();
          return RETURN;
        };
      }
      case 'IfStatement': return this.ifStmt(n);
      case 'WhileStatement': return this.whileStmt(n);
      case 'ForStatement': return this.forStmt(n);
      case 'FunctionDefinition': return this.funcDef(n, []);
      case 'ClassDefinition': return this.classDef(n, []);
      case 'DecoratedStatement': {
        const decs = children(n).filter((c) => c.name === 'Decorator').map((d) => this.expr(children(d).filter((c) => c.name !== 'At')[0]));
        const def = children(n).find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition')!;
        return def.name === 'FunctionDefinition' ? this.funcDef(def, decs) : this.classDef(def, decs);
      }
      case 'ScopeStatement': return () => NORMAL;
      case 'DeleteStatement': return this.delStmt(n);
      case 'RaiseStatement': return this.raiseStmt(n);
      case 'TryStatement': return this.tryStmt(n);
      case 'AssertStatement': {
        const cs = children(n).filter((c) => c.name !== 'assert' && c.name !== ',');
        const test = this.cond(cs[0]);
        const msg = cs[1] ? this.expr(cs[1]) : null;
        return (f) => {
          const R = f.rt;
          if (!test(f)) {
            const cls = R.builtinClasses.get('AssertionError')!;
            throw new PyErr(R.makeException(cls, msg ? [msg(f)] : []));
          }
          return NORMAL;
        };
      }
      case 'ImportStatement': return this.importStmt(n);
      case 'WithStatement': return this.withStmt(n);
      case 'YieldStatement':
        throw this.unsupported(n, 'yield outside a generator body statement');
      case 'PrintStatement':
        throw this.syntax(n, "Missing parentheses in call to 'print'");
      default:
        throw this.unsupported(n, n.name);
    }
  }

  private exprList(nodes: SyntaxNode[]): Expr {
    const items = nodes.filter((c) => c.name !== ',');
    if (items.length === 1 && !nodes.some((c) => c.name === ',')) return this.expr(items[0]);
    return this.tupleOf(items);
  }

  private assign(n: SyntaxNode): Stmt {
    const cs = children(n);
    const ops = cs.map((c, i) => (c.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
    if (cs.some((c) => c.name === 'TypeDef')) {
      // annotated assignment `x: T = v` (a bare annotation does nothing at run time)
      if (ops.length === 0) return () => NORMAL;
      const target = this.target([cs[0]], cs[0]);
      const value = this.exprList(cs.slice(ops[0] + 1));
      return (f) => {
        target(f, value(f));
        return NORMAL;
      };
    }
    const groups: SyntaxNode[][] = [];
    let start = 0;
    for (const i of ops) {
      groups.push(cs.slice(start, i));
      start = i + 1;
    }
    const rhsNodes = cs.slice(start);
    if (rhsNodes.length === 1 && (rhsNodes[0].name === 'YieldExpression')) throw this.unsupported(rhsNodes[0], 'yield expression outside a generator');
    // a, b = x, y with up to 3 names: CPython swaps on the stack without building a tuple.
    if (groups.length === 1) {
      const lhs = groups[0].filter((c) => c.name !== ',');
      const rhs = rhsNodes.filter((c) => c.name !== ',');
      const lhsIsTuple = groups[0].some((c) => c.name === ',') || (lhs.length === 1 && (lhs[0].name === 'TupleExpression'));
      const rhsIsTuple = rhsNodes.some((c) => c.name === ',');
      if (lhsIsTuple && rhsIsTuple && lhs.length === rhs.length && lhs.length <= 3 && !rhs.some((c) => c.name === '*') && !lhs.some((c) => c.name === '*') && lhs[0].name !== 'TupleExpression') {
        const values = rhs.map((r) => this.expr(r));
        const stores = lhs.map((l) => this.target([l], l));
        const k = values.length;
        return (f) => {
          const vs = new Array<Id>(k);
          for (let i = 0; i < k; i++) vs[i] = values[i](f);
          for (let i = 0; i < k; i++) stores[i](f, vs[i]);
          return NORMAL;
        };
      }
      const target = this.target(groups[0], groups[0][0]);
      const value = this.exprList(rhsNodes);
      return (f) => {
        target(f, value(f));
        return NORMAL;
      };
    }
    const targets = groups.map((g) => this.target(g, g[0]));
    const value = this.exprList(rhsNodes);
    return (f) => {
      const R = f.rt;
      const v = value(f);
      for (let i = 0; i < targets.length; i++) {
        R.heap.incref(v);
        targets[i](f, v);
      }
      R.heap.decref(v);
      return NORMAL;
    };
  }

  /** A store for an assignment target list (consumes the value). */
  target(nodes: SyntaxNode[], at: SyntaxNode): Store {
    const items = nodes.filter((c) => c.name !== ',');
    const isTuple = nodes.some((c) => c.name === ',');
    if (!isTuple && items.length === 1) return this.singleTarget(items[0]);
    if (items.length === 0) throw this.syntax(at);
    return this.unpackTarget(nodes);
  }

  private unpackTarget(nodes: SyntaxNode[]): Store {
    const parts: { store: Store; star: boolean }[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const c = nodes[i];
      if (c.name === ',' || PUNCT.has(c.name)) continue;
      if (c.name === '*') {
        parts.push({ store: this.singleTarget(nodes[i + 1]), star: true });
        i++;
      } else parts.push({ store: this.singleTarget(c), star: false });
    }
    const starAt = parts.findIndex((p) => p.star);
    const n = parts.length;
    return (f, v) => {
      const R = f.rt;
      const items = O.toArray(R, v);
      R.decref(v);
      if (starAt < 0) {
        if (items.length !== n) {
          for (const x of items) R.decref(x);
          throw R.err('ValueError', items.length > n ? `too many values to unpack (expected ${n})` : `not enough values to unpack (expected ${n}, got ${items.length})`);
        }
        for (let i = 0; i < n; i++) parts[i].store(f, items[i]);
        return;
      }
      const after = n - starAt - 1;
      if (items.length < n - 1) {
        for (const x of items) R.decref(x);
        throw R.err('ValueError', `not enough values to unpack (expected at least ${n - 1}, got ${items.length})`);
      }
      for (let i = 0; i < starAt; i++) parts[i].store(f, items[i]);
      const mid = items.slice(starAt, items.length - after);
      parts[starAt].store(f, R.newList(mid, true));
      for (let i = 0; i < after; i++) parts[starAt + 1 + i].store(f, items[items.length - after + i]);
    };
  }

  private singleTarget(n: SyntaxNode): Store {
    switch (n.name) {
      case 'VariableName': return this.storeName(this.text(n));
      case 'TupleExpression':
      case 'ArrayExpression':
        return this.unpackTarget(children(n).filter((c) => !['(', ')', '[', ']'].includes(c.name)));
      case 'ParenthesizedExpression': return this.singleTarget(children(n)[1]);
      case 'MemberExpression': {
        const cs = children(n);
        const obj = this.expr(cs[0]);
        if (cs[1].name === '.') {
          const name = this.text(cs[2]);
          return (f, v) => {
            const R = f.rt;
            let o = 0;
            try {
              o = obj(f);
              R.setAttr(o, name, v);
            } finally {
              R.decref(v);
              if (o) R.decref(o);
            }
          };
        }
        const key = this.subscript(cs.slice(1));
        return (f, v) => {
          const R = f.rt;
          let o = 0;
          let k = 0;
          try {
            o = obj(f);
            k = key(f);
            setItem(R, o, k, v);
          } finally {
            R.decref(v);
            if (k) R.decref(k);
            if (o) R.decref(o);
          }
        };
      }
      default:
        throw this.syntax(n, 'cannot assign to expression');
    }
  }

  private augAssign(n: SyntaxNode): Stmt {
    const cs = children(n);
    const t = cs[0];
    const op = this.text(cs[1]).slice(0, -1);
    const value = this.exprList(cs.slice(2));
    if (t.name === 'VariableName') {
      const load = this.loadName(this.text(t));
      const store = this.storeName(this.text(t));
      return (f) => {
        const R = f.rt;
        const a = load(f);
        let b = 0;
        let r: Id;
        try {
          b = value(f);
          r = O.inplace(R, op, a, b);
        } finally {
          R.decref(a);
          if (b) R.decref(b);
        }
        store(f, r);
        return NORMAL;
      };
    }
    if (t.name === 'MemberExpression') {
      const ms = children(t);
      const obj = this.expr(ms[0]);
      if (ms[1].name === '.') {
        const name = this.text(ms[2]);
        return (f) => {
          const R = f.rt;
          const o = obj(f);
          try {
            const a = getAttr(R, o, name);
            let b = 0;
            let r: Id;
            try {
              b = value(f);
              r = O.inplace(R, op, a, b);
            } finally {
              R.decref(a);
              if (b) R.decref(b);
            }
            R.setAttr(o, name, r);
            R.decref(r);
          } finally {
            R.decref(o);
          }
          return NORMAL;
        };
      }
      const key = this.subscript(ms.slice(1));
      return (f) => {
        const R = f.rt;
        withObjectAndKey(f, obj, key, (o, k) => {
          const a = getItem(R, o, k);
          let b = 0;
          let r: Id;
          try {
            b = value(f);
            r = O.inplace(R, op, a, b);
          } finally {
            R.decref(a);
            if (b) R.decref(b);
          }
          setItem(R, o, k, r);
          R.decref(r);
        });
        return NORMAL;
      };
    }
    throw this.syntax(t, "'expression' is an illegal expression for augmented assignment");
  }

  private delStmt(n: SyntaxNode): Stmt {
    const dels: ((f: Frame) => void)[] = [];
    for (const c of children(n)) {
      if (c.name === 'del' || c.name === ',') continue;
      dels.push(this.delTarget(c));
    }
    return (f) => {
      for (const d of dels) d(f);
      return NORMAL;
    };
  }

  private delTarget(c: SyntaxNode): (f: Frame) => void {
    if (c.name === 'VariableName') return this.deleteName(this.text(c));
    if (c.name === 'TupleExpression' || c.name === 'ParenthesizedExpression') {
      const parts = children(c).filter((x) => !PUNCT.has(x.name)).map((x) => this.delTarget(x));
      return (f) => parts.forEach((p) => p(f));
    }
    if (c.name === 'MemberExpression') {
      const ms = children(c);
      const obj = this.expr(ms[0]);
      if (ms[1].name === '.') {
        const name = this.text(ms[2]);
        return (f) => {
          const R = f.rt;
          const o = obj(f);
          try {
            R.delAttr(o, name);
          } finally {
            R.decref(o);
          }
        };
      }
      const key = this.subscript(ms.slice(1));
      return (f) => withObjectAndKey(f, obj, key, (o, k) => delItem(f.rt, o, k));
    }
    throw this.syntax(c, 'cannot delete expression');
  }

  private ifStmt(n: SyntaxNode): Stmt {
    const cs = children(n);
    const branches: { test: Cond | null; body: Stmt }[] = [];
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === 'if' || c.name === 'elif') {
        branches.push({ test: this.cond(cs[i + 1]), body: this.body(cs[i + 2]) });
        i += 2;
      } else if (c.name === 'else') {
        branches.push({ test: null, body: this.body(cs[i + 1]) });
        i++;
      }
    }
    if (branches.length === 1) {
      const t = branches[0].test!;
      const b = branches[0].body;
      return (f) => (t(f) ? b(f) : NORMAL);
    }
    if (branches.length === 2 && branches[1].test === null) {
      const t = branches[0].test!;
      const b = branches[0].body;
      const e = branches[1].body;
      return (f) => (t(f) ? b(f) : e(f));
    }
    return (f) => {
      for (const br of branches) if (!br.test || br.test(f)) return br.body(f);
      return NORMAL;
    };
  }

  private whileStmt(n: SyntaxNode): Stmt {
    const cs = children(n);
    const test = this.cond(cs[1]);
    const body = this.body(cs[2]);
    const elseIdx = cs.findIndex((c) => c.name === 'else');
    const orelse = elseIdx >= 0 ? this.body(cs[elseIdx + 1]) : null;
    const line = this.line(n);
    return (f) => {
      const R = f.rt;
      for (;;) {
        f.line = line;
        if (++R.steps >= R.nextTick) R.tickCheck();
        if (R.profile !== '3.11') R.heap.checkpoint();
        if (!test(f)) break;
        const c = body(f);
        if (c === BREAK) return NORMAL;
        if (c === RETURN) return c;
      }
      return orelse ? orelse(f) : NORMAL;
    };
  }

  private forParts(n: SyntaxNode): { target: Store; iter: Expr; body: SyntaxNode; orelse: SyntaxNode | null } {
    const cs = children(n);
    let i = 1;
    const tnodes: SyntaxNode[] = [];
    while (cs[i].name !== 'in') tnodes.push(cs[i++]);
    const iterNodes: SyntaxNode[] = [];
    i++;
    while (cs[i].name !== 'Body') iterNodes.push(cs[i++]);
    const body = cs[i];
    const elseIdx = cs.findIndex((c) => c.name === 'else');
    return { target: this.target(tnodes, cs[0]), iter: this.iterable(iterNodes), body, orelse: elseIdx >= 0 ? cs[elseIdx + 1] : null };
  }

  /** `for x in [a, b]` / `x in [a, b]`: CPython turns a constant list display into a tuple. */
  private iterable(nodes: SyntaxNode[]): Expr {
    const items = nodes.filter((c) => c.name !== ',');
    if (items.length === 1 && items[0].name === 'ArrayExpression' && !nodes.some((c) => c.name === ',')) {
      const inner = children(items[0]).filter((c) => !PUNCT.has(c.name));
      const k = this.constValue(items[0], true);
      if (k !== null) return (f) => f.rt.incref(k);
      return this.tupleOf(inner);
    }
    return this.exprList(nodes);
  }

  private forStmt(n: SyntaxNode): Stmt {
    const { target, iter, body: bodyNode, orelse: elseNode } = this.forParts(n);
    const body = this.body(bodyNode);
    const orelse = elseNode ? this.body(elseNode) : null;
    const line = this.line(n);
    return (f) => {
      const R = f.rt;
      const it = getIterReleasing(R, iter(f));
      try {
        for (;;) {
          f.line = line;
          if (R.profile !== '3.11') R.heap.checkpoint();
          const x = O.iterNext(R, it);
          if (!x) break;
          target(f, x);
          const c = body(f);
          if (c === BREAK) return NORMAL;
          if (c === RETURN) return c;
        }
      } finally {
        R.decref(it);
      }
      return orelse ? orelse(f) : NORMAL;
    };
  }

  private raiseStmt(n: SyntaxNode): Stmt {
    const cs = children(n).filter((c) => c.name !== 'raise');
    const fromIdx = cs.findIndex((c) => c.name === 'from');
    const excNode = fromIdx === 0 ? null : cs[0] ?? null;
    const exc = excNode ? this.expr(excNode) : null;
    const cause = fromIdx >= 0 ? this.expr(cs[fromIdx + 1]) : null;
    return (f) => {
      const R = f.rt;
      if (!exc) {
        const cur = f.handling && f.handling.length ? f.handling[f.handling.length - 1] : 0;
        if (!cur) throw R.err('RuntimeError', 'No active exception to reraise');
        const e = new PyErr(R.incref(cur));
        e.lastFrame = f;
        throw e;
      }
      const v = exc(f);
      let inst = v;
      const cls = R.classInfo(v);
      if (cls) {
        if (!cls.isException) {
          R.decref(v);
          throw R.err('TypeError', 'exceptions must derive from BaseException');
        }
        inst = O.call(R, v, [], null);
        R.decref(v);
      } else if (!R.classOf(v).isException) {
        R.decref(v);
        throw R.err('TypeError', 'exceptions must derive from BaseException');
      }
      if (cause) {
        const c = cause(f);
        R.setAttr(inst, '__cause__', c);
        R.decref(c);
      }
      const cur = f.handling && f.handling.length ? f.handling[f.handling.length - 1] : 0;
      if (cur && cur !== inst) R.setAttr(inst, '__context__', cur);
      throw new PyErr(inst);
    };
  }

  private handlerMatch(f: Frame, typeExpr: Expr | null, exc: Id): boolean {
    const R = f.rt;
    if (!typeExpr) return true;
    const t = typeExpr(f);
    try {
      if (R.heap.typeOf(t) === R.T.tuple) {
        for (let i = 0; i < R.heap.refLen(t); i++) {
          const c = R.classInfo(R.heap.getRef(t, i));
          if (c && R.isInstanceOf(exc, c)) return true;
        }
        return false;
      }
      const c = R.classInfo(t);
      if (!c) throw R.err('TypeError', 'catching classes that do not inherit from BaseException is not allowed');
      return R.isInstanceOf(exc, c);
    } finally {
      R.decref(t);
    }
  }

  private tryStmt(n: SyntaxNode): Stmt {
    const cs = children(n);
    const body = this.body(cs[1]);
    const handlers: { type: Expr | null; name: Store | null; del: ((f: Frame) => void) | null; body: Stmt }[] = [];
    let orelse: Stmt | null = null;
    let fin: Stmt | null = null;
    for (let i = 2; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === 'except') {
        let j = i + 1;
        let type: Expr | null = null;
        let name: Store | null = null;
        let del: ((f: Frame) => void) | null = null;
        if (cs[j].name === '*') throw this.unsupported(cs[j], 'except*');
        if (cs[j].name !== 'Body') {
          type = this.expr(cs[j]);
          j++;
          if (cs[j].name === 'as') {
            const nm = this.text(cs[j + 1]);
            name = this.storeName(nm);
            del = this.deleteName(nm);
            j += 2;
          }
        }
        handlers.push({ type, name, del, body: this.body(cs[j]) });
        i = j;
      } else if (c.name === 'else') {
        orelse = this.body(cs[++i]);
      } else if (c.name === 'finally') {
        fin = this.body(cs[++i]);
      }
    }
    const run = (f: Frame): number => {
      const R = f.rt;
      let code: number;
      try {
        code = body(f);
      } catch (e) {
        if (!(e instanceof PyErr) || handlers.length === 0) throw e;
        O.addTraceback(R, e, f);
        const exc = e.exc;
        let h = null;
        for (const hd of handlers) {
          if (this.handlerMatch(f, hd.type, exc)) {
            h = hd;
            break;
          }
        }
        if (!h) throw e;
        (f.handling ??= []).push(exc);
        try {
          if (h.name) h.name(f, R.incref(exc));
          return h.body(f);
        } catch (e2) {
          if (e2 instanceof PyErr && e2.exc !== exc && !R.getInstanceAttr(e2.exc, '__context__')) R.setAttr(e2.exc, '__context__', exc);
          throw e2;
        } finally {
          f.handling.pop();
          if (h.name) {
            try {
              h.del!(f);
            } catch {
              /* already deleted by the handler */
            }
          }
          R.decref(exc);
        }
      }
      if (code === NORMAL && orelse) return orelse(f);
      return code;
    };
    if (!fin) return run;
    const finBody = fin;
    return (f) => {
      const R = f.rt;
      let code: number;
      try {
        code = run(f);
      } catch (e) {
        const c = finBody(f);
        if (c !== NORMAL) {
          if (e instanceof PyErr) R.decref(e.exc);
          return c;
        }
        throw e;
      }
      const c = finBody(f);
      return c !== NORMAL ? c : code;
    };
  }

  private withStmt(n: SyntaxNode): Stmt {
    const cs = children(n);
    const items: { ctx: Expr; as: Store | null }[] = [];
    let i = 1;
    while (cs[i].name !== 'Body') {
      if (cs[i].name === ',') {
        i++;
        continue;
      }
      const ctx = this.expr(cs[i]);
      let as: Store | null = null;
      if (cs[i + 1]?.name === 'as') {
        as = this.singleTarget(cs[i + 2]);
        i += 3;
      } else i++;
      items.push({ ctx, as });
    }
    let body = this.body(cs[i]);
    for (let k = items.length - 1; k >= 0; k--) {
      const inner = body;
      const { ctx, as } = items[k];
      body = (f) => {
        const R = f.rt;
        const mgr = ctx(f);
        let exit: Id;
        try {
          const enter = callMethod(R, mgr, '__enter__', [], null);
          exit = getAttr(R, mgr, '__exit__');
          if (as) as(f, enter);
          else R.decref(enter);
        } finally {
          R.decref(mgr);
        }
        let code: number;
        try {
          code = inner(f);
        } catch (e) {
          if (!(e instanceof PyErr)) {
            R.decref(exit);
            throw e;
          }
          O.addTraceback(R, e, f);
          const tb = R.getInstanceAttr(e.exc, '__traceback__') || R.NONE;
          const r = O.call(R, exit, [R.classOf(e.exc).id, e.exc, tb], null);
          R.decref(exit);
          const suppress = O.truthy(R, r);
          R.decref(r);
          if (suppress) {
            R.decref(e.exc);
            return NORMAL;
          }
          throw e;
        }
        const r = O.call(R, exit, [R.NONE, R.NONE, R.NONE], null);
        R.decref(exit);
        R.decref(r);
        return code;
      };
    }
    return body;
  }

  private importStmt(n: SyntaxNode): Stmt {
    const R = this.R;
    const cs = children(n);
    if (cs[0].name === 'from') {
      const imp = cs.findIndex((c) => c.name === 'import');
      const modName = cs.slice(1, imp).map((c) => this.text(c)).join('');
      if (!R.modules.has(modName)) throw this.unsupported(n, `module '${modName}'`);
      const names: { name: string; store: Store }[] = [];
      for (let i = imp + 1; i < cs.length; i++) {
        const c = cs[i];
        if (c.name === '*') throw this.unsupported(c, 'from-import *');
        if (c.name !== 'VariableName') continue;
        const name = this.text(c);
        if (cs[i + 1]?.name === 'as') {
          names.push({ name, store: this.storeName(this.text(cs[i + 2])) });
          i += 2;
        } else names.push({ name, store: this.storeName(name) });
      }
      const at = n;
      return (f) => {
        const R = f.rt;
        const m = importModule(R, modName, at, this);
        try {
          for (const { name, store } of names) store(f, getAttr(R, m, name));
        } finally {
          R.decref(m);
        }
        return NORMAL;
      };
    }
    const parts: { mod: string; store: Store }[] = [];
    for (let i = 1; i < cs.length; i++) {
      if (cs[i].name !== 'VariableName') continue;
      let mod = this.text(cs[i]);
      while (cs[i + 1]?.name === '.') {
        mod += '.' + this.text(cs[i + 2]);
        i += 2;
      }
      if (!R.modules.has(mod)) throw this.unsupported(cs[i], `module '${mod}'`);
      if (cs[i + 1]?.name === 'as') {
        parts.push({ mod, store: this.storeName(this.text(cs[i + 2])) });
        i += 2;
      } else parts.push({ mod, store: this.storeName(mod.split('.')[0]) });
    }
    return (f) => {
      const R = f.rt;
      for (const p of parts) p.store(f, importModule(R, p.mod, n, this));
      return NORMAL;
    };
  }

  // ------------------------------------------------------------------ functions and classes

  private enterScope<T>(node: SyntaxNode, fn: (scope: Scope) => T): T {
    const saved = { scope: this.scope, code: this.code, li: this.localIndex, ci: this.cellIndex };
    const scope = this.sb.byNode.get(this.sb.key(node));
    if (!scope) throw this.unsupported(node, 'scope');
    this.scope = scope;
    try {
      return fn(scope);
    } finally {
      this.scope = saved.scope;
      this.code = saved.code;
      this.localIndex = saved.li;
      this.cellIndex = saved.ci;
    }
  }

  private paramSpec(list: SyntaxNode | null): { spec: ParamSpec; defaults: { name: string; expr: SyntaxNode }[]; kwDefaults: { name: string; expr: SyntaxNode }[] } {
    const pos: string[] = [];
    const kwonly: string[] = [];
    let varargs: string | null = null;
    let varkw: string | null = null;
    const defaults: { name: string; expr: SyntaxNode }[] = [];
    const kwDefaults: { name: string; expr: SyntaxNode }[] = [];
    let afterStar = false;
    if (list) {
      const cs = children(list);
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (c.name === '*') {
          afterStar = true;
          if (cs[i + 1]?.name === 'VariableName') {
            varargs = this.text(cs[i + 1]);
            i++;
          }
        } else if (c.name === '**') {
          varkw = this.text(cs[i + 1]);
          i++;
        } else if (c.name === 'VariableName') {
          const name = this.text(c);
          (afterStar ? kwonly : pos).push(name);
          let j = i + 1;
          if (cs[j]?.name === 'TypeDef') j++;
          if (cs[j]?.name === 'AssignOp') {
            (afterStar ? kwDefaults : defaults).push({ name, expr: cs[j + 1] });
            j += 2;
          }
          i = j - 1;
        } else if (c.name === '/' ) {
          continue;
        }
      }
    }
    const names = [...pos, ...kwonly];
    if (varargs) names.push(varargs);
    if (varkw) names.push(varkw);
    return { spec: { names, nPositional: pos.length, nKwOnly: kwonly.length, varargs: !!varargs, varkw: !!varkw }, defaults, kwDefaults };
  }

  /** Builds the CodeInfo of a function-like scope; body compiled by `compileBody`. */
  private makeCode(scope: Scope, name: string, spec: ParamSpec, node: SyntaxNode, compileBody: (code: CodeInfo) => void): CodeInfo {
    const localNames: string[] = [...spec.names];
    for (const a of scope.assigned) if (!localNames.includes(a) && !scope.globals.has(a) && !scope.nonlocals.has(a)) localNames.push(a);
    this.localIndex = new Map(localNames.map((n, i) => [n, i]));
    this.cellIndex = new Map();
    const cellOfLocal = new Map<number, number>();
    let ci = 0;
    for (const c of scope.cells) {
      cellOfLocal.set(this.localIndex.get(c)!, ci);
      this.cellIndex.set(c, ci++);
    }
    for (const c of scope.cells) this.localIndex.delete(c);
    for (const fr of scope.frees) this.cellIndex.set(fr, ci++);
    const parentQual = this.code?.qualname && this.code.qualname !== '<module>' ? this.code.qualname + '.' : '';
    const code: CodeInfo = {
      name, qualname: parentQual + name, filename: this.filename, firstLine: this.line(node), params: spec,
      nLocals: localNames.length, localNames, cellOfLocal, nCells: scope.cells.size, nFree: scope.frees.length,
      isGenerator: scope.isGenerator, isComprehension: false, run: () => 0,
    };
    this.code = code;
    compileBody(code);
    return code;
  }

  /** MAKE_FUNCTION: the closure tuple holds the enclosing cells the scope needs. */
  private closureLoader(scope: Scope): ((f: Frame) => Id) | null {
    if (!scope.frees.length) return null;
    const idx = scope.frees.map((name) => {
      const i = this.cellIndex.get(name);
      if (i === undefined) throw this.unsupported(scope.node, `closure over '${name}'`);
      return i;
    });
    return (f) => f.rt.newTuple(idx.map((i) => f.rt.incref(f.cells[i])));
  }

  makeFunction(f: Frame, code: CodeInfo, defaults: Id, closure: Id, kwDefaults: Map<string, Id> | null, nDefaults: number): Id {
    const R = f.rt;
    const fn = R.alloc(R.T.function, R.sz.function);
    R.heap.appendRef(fn, defaults || NULL);
    R.heap.appendRef(fn, closure || NULL);
    if (kwDefaults) for (const v of kwDefaults.values()) R.heap.appendRef(fn, v);
    const p: FuncPayload = { kind: 'func', code, globals: f.globals, name: code.name, nDefaults, kwDefaults };
    R.P[fn] = p;
    return fn;
  }

  private functionMaker(node: SyntaxNode, name: string, paramList: SyntaxNode | null, bodyOf: (scope: Scope, code: CodeInfo) => void): Expr {
    const { spec, defaults, kwDefaults } = this.paramSpec(paramList);
    const defaultsExpr = defaults.length ? this.tupleOf(defaults.map((d) => d.expr)) : null;
    const kwExprs = kwDefaults.map((d) => ({ name: d.name, expr: this.expr(d.expr) }));
    const classHolder = this.scope.kind === 'class' ? this.classStack[this.classStack.length - 1]?.holder : undefined;
    let closure: ((f: Frame) => Id) | null = null;
    const code = this.enterScope(node, (scope) => {
      const c = this.makeCode(scope, name, spec, node, (cd) => bodyOf(scope, cd));
      return c;
    });
    const scope = this.sb.byNode.get(this.sb.key(node))!;
    closure = this.closureLoader(scope);
    if (classHolder) (code as CodeInfo & { classHolder?: unknown }).classHolder = classHolder;
    if (classHolder && scope.hasSuperCall) {
      // super() needs the implicit __class__ cell: it joins the function's closure tuple.
      const frees = closure;
      closure = (f) => {
        const R = f.rt;
        const items: Id[] = [];
        if (frees) {
          const t = frees(f);
          for (let i = 0; i < R.heap.refLen(t); i++) items.push(R.incref(R.heap.getRef(t, i)));
          R.decref(t);
        }
        items.push(R.incref(classHolder.cell));
        return R.newTuple(items);
      };
    }
    const nDefaults = defaults.length;
    return (f) => {
      const R = f.rt;
      const d = defaultsExpr ? defaultsExpr(f) : 0;
      let kw: Map<string, Id> | null = null;
      if (kwExprs.length) {
        kw = new Map();
        for (const k of kwExprs) kw.set(k.name, k.expr(f));
      }
      const cl = closure ? closure(f) : 0;
      const fn = this.makeFunction(f, code, d, cl, kw, nDefaults);
      if (d) R.decref(d);
      if (cl) R.decref(cl);
      if (kw) for (const v of kw.values()) R.decref(v);
      return fn;
    };
  }

  /** A rough co_stacksize for generator frames: loop iterators plus the widest display or call. */
  private stackEstimate(body: SyntaxNode | null): number {
    let loops = 0;
    let widest = 0;
    const walk = (n: SyntaxNode, depth: number) => {
      let d = depth;
      if (n.name === 'ForStatement' || n.name === 'WhileStatement') d++;
      if (d > loops) loops = d;
      if (n.name === 'ArgList' || n.name === 'TupleExpression' || n.name === 'ArrayExpression' || n.name === 'SetExpression') {
        widest = Math.max(widest, children(n).filter((x) => !PUNCT.has(x.name)).length);
      } else if (n.name === 'DictionaryExpression') {
        widest = Math.max(widest, children(n).filter((x) => x.name === ':').length);
      }
      if (n.name === 'FunctionDefinition' || n.name === 'LambdaExpression' || n.name === 'ClassDefinition') return;
      for (let ch = n.firstChild; ch; ch = ch.nextSibling) walk(ch, d);
    };
    if (body) for (const ch of children(body)) walk(ch, 0);
    const est = loops + widest + 1;
    return loops > 0 ? Math.max(3, est) : est;
  }

  private funcBody(scope: Scope, code: CodeInfo, bodyNode: SyntaxNode | null): void {
    if (scope.isGenerator) {
      code.stackSize = this.stackEstimate(bodyNode);
      const g = this.genBlock(bodyNode ? children(bodyNode) : []);
      code.gen = function* (f: Frame) {
        const R = f.rt;
        const c = yield* g(f);
        return c === RETURN ? f.ret : R.none();
      };
      return;
    }
    code.stackSize = this.stackEstimate(bodyNode) + 1;
    const body = this.body(bodyNode);
    code.run = (f) => {
      const R = f.rt;
      const c = body(f);
      if (c === RETURN) return f.ret;
      return R.none();
    };
  }

  private funcDef(n: SyntaxNode, decorators: Expr[]): Stmt {
    const cs = children(n);
    if (cs[0].name === 'async') throw this.unsupported(n, 'async def');
    const name = this.text(n.getChild('VariableName')!);
    const make = this.functionMaker(n, name, n.getChild('ParamList'), (scope, code) => this.funcBody(scope, code, n.getChild('Body')));
    const store = this.storeName(name);
    return (f) => {
      const R = f.rt;
      const decs = decorators.map((d) => d(f));
      let fn = make(f);
      for (let i = decs.length - 1; i >= 0; i--) {
        const r = O.call(R, decs[i], [fn], null);
        R.decref(fn);
        R.decref(decs[i]);
        fn = r;
      }
      store(f, fn);
      return NORMAL;
    };
  }

  private classDef(n: SyntaxNode, decorators: Expr[]): Stmt {
    const name = this.text(n.getChild('VariableName')!);
    const argList = n.getChild('ArgList');
    const bases: Expr[] = [];
    const kws: string[] = [];
    if (argList) {
      for (const c of children(argList)) {
        if (PUNCT.has(c.name)) continue;
        if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
          kws.push(this.text(c));
          break;
        }
        bases.push(this.expr(c));
      }
    }
    if (kws.length) throw this.unsupported(n, 'class keyword arguments (metaclass)');
    const holder: ClassHolder = { cls: null, cell: 0 };
    this.classStack.push({ holder });
    let bodyStmt: Stmt;
    let scopeOf: Scope;
    try {
      bodyStmt = this.enterScope(n, (scope) => {
        scopeOf = scope;
        // A class body keeps the enclosing function's locals and cells.
        this.cellIndex = new Map(this.cellIndex);
        this.localIndex = new Map();
        return this.body(n.getChild('Body'));
      });
    } finally {
      this.classStack.pop();
    }
    const store = this.storeName(name);
    const qual = (this.code?.qualname && this.code.qualname !== '<module>' ? this.code.qualname + '.' : '') + name;
    const classCode: CodeInfo = {
      name, qualname: qual, filename: this.filename, firstLine: this.line(n),
      params: { names: [], nPositional: 0, nKwOnly: 0, varargs: false, varkw: false },
      nLocals: 0, localNames: [], cellOfLocal: new Map(), nCells: 0, nFree: 0, isGenerator: false, isComprehension: false,
      run: () => 0,
    };
    const needsClassCell = scopeOf!.children.some((s) => s.hasSuperCall);
    return (f) => {
      const R = f.rt;
      const decs = decorators.map((d) => d(f));
      const baseIds = bases.map((b) => b(f));
      let cls: Id;
      if (needsClassCell) {
        holder.cell = R.alloc(R.T.cell, R.sz.cell);
        R.heap.appendRef(holder.cell, NULL);
      }
      try {
        cls = buildClass(R, f, classCode, name, baseIds, (bf) => {
          // The class body shares the enclosing frame's cells (for closures over function locals).
          bf.cells = f.cells;
          bodyStmt(bf);
        }, holder);
      } finally {
        for (const b of baseIds) R.decref(b);
        if (needsClassCell) {
          // __classcell__: the cell now points at the class; the closures keep it alive.
          if (holder.cls) R.heap.setRef(holder.cell, 0, holder.cls.id);
          R.decref(holder.cell);
          holder.cell = 0;
        }
      }
      for (let i = decs.length - 1; i >= 0; i--) {
        const r = O.call(R, decs[i], [cls], null);
        R.decref(cls);
        R.decref(decs[i]);
        cls = r;
      }
      store(f, cls);
      return NORMAL;
    };
  }

  // ------------------------------------------------------------------ generator statements

  private containsYield(n: SyntaxNode): boolean {
    if (n.name === 'YieldStatement' || n.name === 'YieldExpression') return true;
    if (n.name === 'FunctionDefinition' || n.name === 'LambdaExpression' || n.name === 'ClassDefinition') return false;
    for (let c = n.firstChild; c; c = c.nextSibling) if (this.containsYield(c)) return true;
    return false;
  }

  private genBlock(nodes: SyntaxNode[]): GStmt {
    const stmts: GStmt[] = [];
    for (const n of nodes) {
      if (PUNCT.has(n.name) || n.name === 'Comment') continue;
      if (n.name === 'StatementGroup') {
        for (const c of children(n)) if (!PUNCT.has(c.name)) stmts.push(this.genStatement(c));
        continue;
      }
      stmts.push(this.genStatement(n));
    }
    return function* (f) {
      for (const s of stmts) {
        const c = yield* s(f);
        if (c !== NORMAL) return c;
      }
      return NORMAL;
    };
  }

  private genBody(n: SyntaxNode | null): GStmt {
    return this.genBlock(n ? children(n) : []);
  }

  private genStatement(n: SyntaxNode): GStmt {
    if (!this.containsYield(n)) {
      const s = this.statement(n);
      // eslint-disable-next-line require-yield
      return function* (f) {
        return s(f);
      };
    }
    const line = this.line(n);
    const inner = this.genStatementInner(n);
    return function* (f) {
      const R = f.rt;
      f.line = line;
      R.line = line;
      if (++R.steps >= R.nextTick) R.tickCheck();
      return yield* inner(f);
    };
  }

  private yieldValue(n: SyntaxNode): GStmt | null {
    // `yield x`, `yield from x`, `yield`: the value sent back is discarded.
    const cs = children(n);
    if (cs[1]?.name === 'from') {
      const src = this.expr(cs[2]);
      return function* (f) {
        const R = f.rt;
        const it = getIterReleasing(R, src(f));
        try {
          for (;;) {
            const x = O.iterNext(R, it);
            if (!x) break;
            const sent = yield x;
            if (sent) R.decref(sent);
          }
        } finally {
          R.decref(it);
        }
        return NORMAL;
      };
    }
    const rest = cs.slice(1);
    const e = rest.length ? this.exprList(rest) : null;
    return function* (f) {
      const R = f.rt;
      const v = e ? e(f) : R.none();
      const sent = yield v;
      if (sent) R.decref(sent);
      return NORMAL;
    };
  }

  private genStatementInner(n: SyntaxNode): GStmt {
    switch (n.name) {
      case 'YieldStatement':
        return this.yieldValue(n)!;
      case 'ExpressionStatement':
        if (n.firstChild!.name === 'YieldExpression') return this.yieldValue(n.firstChild!)!;
        break;
      case 'AssignStatement': {
        const cs = children(n);
        const last = cs[cs.length - 1];
        if (last.name === 'YieldExpression' && cs.length === 3) {
          const target = this.target([cs[0]], cs[0]);
          const ys = children(last);
          const e = ys.length > 1 ? this.exprList(ys.slice(1)) : null;
          return function* (f) {
            const R = f.rt;
            const v = e ? e(f) : R.none();
            const sent = yield v;
            target(f, sent || R.none());
            return NORMAL;
          };
        }
        break;
      }
      case 'IfStatement': {
        const cs = children(n);
        const branches: { test: Cond | null; body: GStmt }[] = [];
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i];
          if (c.name === 'if' || c.name === 'elif') {
            if (this.containsYield(cs[i + 1])) throw this.unsupported(cs[i + 1], 'yield inside a condition');
            branches.push({ test: this.cond(cs[i + 1]), body: this.genBody(cs[i + 2]) });
            i += 2;
          } else if (c.name === 'else') {
            branches.push({ test: null, body: this.genBody(cs[i + 1]) });
            i++;
          }
        }
        return function* (f) {
          for (const br of branches) if (!br.test || br.test(f)) return yield* br.body(f);
          return NORMAL;
        };
      }
      case 'WhileStatement': {
        const cs = children(n);
        const test = this.cond(cs[1]);
        const body = this.genBody(cs[2]);
        const elseIdx = cs.findIndex((c) => c.name === 'else');
        const orelse = elseIdx >= 0 ? this.genBody(cs[elseIdx + 1]) : null;
        return function* (f) {
          const R = f.rt;
          for (;;) {
            if (++R.steps >= R.nextTick) R.tickCheck();
            if (!test(f)) break;
            const c = yield* body(f);
            if (c === BREAK) return NORMAL;
            if (c === RETURN) return c;
          }
          return orelse ? yield* orelse(f) : NORMAL;
        };
      }
      case 'ForStatement': {
        const { target, iter, body: bodyNode, orelse: elseNode } = this.forParts(n);
        const body = this.genBody(bodyNode);
        const orelse = elseNode ? this.genBody(elseNode) : null;
        return function* (f) {
          const R = f.rt;
          const it = getIterReleasing(R, iter(f));
          try {
            for (;;) {
              const x = O.iterNext(R, it);
              if (!x) break;
              target(f, x);
              const c = yield* body(f);
              if (c === BREAK) return NORMAL;
              if (c === RETURN) return c;
            }
          } finally {
            R.decref(it);
          }
          return orelse ? yield* orelse(f) : NORMAL;
        };
      }
      case 'TryStatement': {
        const cs = children(n);
        const body = this.genBody(cs[1]);
        const handlers: { type: Expr | null; name: Store | null; body: GStmt }[] = [];
        let fin: GStmt | null = null;
        let orelse: GStmt | null = null;
        for (let i = 2; i < cs.length; i++) {
          const c = cs[i];
          if (c.name === 'except') {
            let j = i + 1;
            let type: Expr | null = null;
            let name: Store | null = null;
            if (cs[j].name !== 'Body') {
              type = this.expr(cs[j]);
              j++;
              if (cs[j].name === 'as') {
                name = this.storeName(this.text(cs[j + 1]));
                j += 2;
              }
            }
            handlers.push({ type, name, body: this.genBody(cs[j]) });
            i = j;
          } else if (c.name === 'else') orelse = this.genBody(cs[++i]);
          else if (c.name === 'finally') fin = this.genBody(cs[++i]);
        }
        const match = (f: Frame, t: Expr | null, exc: Id) => this.handlerMatch(f, t, exc);
        return function* (f) {
          const R = f.rt;
          let code: number;
          try {
            try {
              code = yield* body(f);
            } catch (e) {
              if (!(e instanceof PyErr) || handlers.length === 0) throw e;
              O.addTraceback(R, e, f);
              const h = handlers.find((hd) => match(f, hd.type, e.exc));
              if (!h) throw e;
              (f.handling ??= []).push(e.exc);
              try {
                if (h.name) h.name(f, R.incref(e.exc));
                return yield* h.body(f);
              } finally {
                f.handling.pop();
                R.decref(e.exc);
              }
            }
            if (code === NORMAL && orelse) code = yield* orelse(f);
          } finally {
            if (fin) {
              const c = yield* fin(f);
              if (c !== NORMAL) code = c;
            }
          }
          return code;
        };
      }
      case 'WithStatement':
        throw this.unsupported(n, 'yield inside with');
    }
    throw this.unsupported(n, 'yield in this position');
  }

  // ------------------------------------------------------------------ expressions

  /** A condition evaluated without allocating a bool. */
  cond(n: SyntaxNode): Cond {
    if (n.name === 'ParenthesizedExpression') return this.cond(children(n)[1]);
    if (n.name === 'UnaryExpression' && n.firstChild!.name === 'not') {
      const inner = this.cond(children(n)[1]);
      return (f) => !inner(f);
    }
    if (n.name === 'BinaryExpression') {
      const cs = children(n);
      const op = cs[1].name;
      if (op === 'and') {
        const a = this.cond(cs[0]);
        const b = this.cond(cs[2]);
        return (f) => a(f) && b(f);
      }
      if (op === 'or') {
        const a = this.cond(cs[0]);
        const b = this.cond(cs[2]);
        return (f) => a(f) || b(f);
      }
      const cmp = this.comparison(n);
      if (cmp) return cmp;
    }
    const e = this.expr(n);
    return (f) => {
      const R = f.rt;
      const v = e(f);
      const b = O.truthy(R, v);
      R.heap.decref(v);
      return b;
    };
  }

  private compareOp(cs: SyntaxNode[], i: number): { op: string; next: number } | null {
    const c = cs[i];
    if (c.name === 'CompareOp') return { op: this.text(c), next: i + 1 };
    if (c.name === 'in') return { op: 'in', next: i + 1 };
    if (c.name === 'not' && cs[i + 1]?.name === 'in') return { op: 'not in', next: i + 2 };
    if (c.name === 'is') {
      if (cs[i + 1]?.name === 'not') return { op: 'is not', next: i + 2 };
      return { op: 'is', next: i + 1 };
    }
    return null;
  }

  /** Comparisons (chained ones come nested on the left in lezer's tree). */
  private comparison(n: SyntaxNode): Cond | null {
    const operands: SyntaxNode[] = [];
    const ops: string[] = [];
    const flatten = (m: SyntaxNode): boolean => {
      const cs = children(m);
      const op = this.compareOp(cs, 1);
      if (!op) return false;
      if (cs[0].name === 'BinaryExpression' && this.compareOp(children(cs[0]), 1)) {
        if (!flatten(cs[0])) return false;
      } else operands.push(cs[0]);
      ops.push(op.op);
      operands.push(cs[op.next]);
      return true;
    };
    if (!flatten(n)) return null;
    const exprs = operands.map((o, i) => (i === 1 && (ops[0] === 'in' || ops[0] === 'not in') && operands.length === 2 ? this.iterable([o]) : this.expr(o)));
    if (exprs.length === 2) {
      const [a, b] = exprs;
      const op = ops[0];
      if (op === 'is' || op === 'is not') {
        const want = op === 'is';
        return (f) => {
          const R = f.rt;
          const x = a(f);
          const y = b(f);
          R.heap.decref(x);
          R.heap.decref(y);
          return (x === y) === want;
        };
      }
      return (f) => {
        const R = f.rt;
        const x = a(f);
        let y = 0;
        try {
          y = b(f);
          return O.compare(R, op, x, y);
        } finally {
          R.heap.decref(x);
          if (y) R.heap.decref(y);
        }
      };
    }
    return (f) => {
      const R = f.rt;
      let x = exprs[0](f);
      try {
        for (let i = 0; i < ops.length; i++) {
          const y = exprs[i + 1](f);
          const ok = O.compare(R, ops[i], x, y);
          R.decref(x);
          x = y;
          if (!ok) return false;
        }
        return true;
      } finally {
        R.decref(x);
      }
    };
  }

  /** Compile-time constant (numbers, strings, constant tuples), or null. */
  private constValue(n: SyntaxNode, listAsTuple = false): Id | null {
    const R = this.R;
    switch (n.name) {
      case 'Number': return this.keep(this.number(n));
      case 'String':
      case 'ContinuedString': {
        const s = this.stringLiteral(n);
        if (s === null) return null;
        return this.keep(s.bytes ? R.newBytes(s.text) : R.intern(s.text));
      }
      case 'None': return R.NONE;
      case 'Boolean': return this.text(n) === 'True' ? R.TRUE : R.FALSE;
      case 'UnaryExpression': {
        const cs = children(n);
        if (cs[0].name === 'ArithOp' && cs[1].name === 'Number' && this.text(cs[0]) === '-') {
          const v = this.number(cs[1]);
          const neg = O.unary(R, '-', v);
          R.decref(v);
          return this.keep(neg);
        }
        return null;
      }
      case 'TupleExpression':
      case 'ArrayExpression': {
        if (n.name === 'ArrayExpression' && !listAsTuple) return null;
        const items = children(n).filter((c) => !PUNCT.has(c.name));
        if (items.length === 0) return n.name === 'TupleExpression' ? R.EMPTY_TUPLE : null;
        const vals: Id[] = [];
        for (const it of items) {
          const v = this.constValue(it);
          if (v === null) return null;
          vals.push(v);
        }
        const t = R.seen(R.heap.alloc(R.T.tuple, 40 + 8 * vals.length, 0, { track: false, nitems: vals.length }));
        for (const v of vals) R.heap.appendRef(t, v);
        return this.keep(t);
      }
      case 'ParenthesizedExpression': return this.constValue(children(n)[1]);
      default: return null;
    }
  }

  private keep(id: Id): Id {
    this.constants.push(id);
    return id;
  }

  private number(n: SyntaxNode): Id {
    const R = this.R;
    const t = this.text(n).replace(/_/g, '');
    if (/[jJ]$/.test(t)) throw this.unsupported(n, 'complex numbers');
    if (/^0[xX]/.test(t)) return R.newInt(parseInt(t.slice(2), 16));
    if (/^0[oO]/.test(t)) return R.newInt(parseInt(t.slice(2), 8));
    if (/^0[bB]/.test(t)) return R.newInt(parseInt(t.slice(2), 2));
    if (/[.eE]/.test(t) && !/^0[xX]/.test(t)) return R.newFloat(parseFloat(t));
    return R.newInt(Number(t));
  }

  /** Decodes a (possibly implicitly concatenated) string literal; null for f-strings. */
  private stringLiteral(n: SyntaxNode): { text: string; bytes: boolean } | null {
    if (n.name === 'ContinuedString') {
      let text = '';
      let bytes = false;
      for (const c of children(n)) {
        if (c.name === 'FormatString') return null;
        const s = this.stringLiteral(c);
        if (!s) return null;
        text += s.text;
        bytes = s.bytes;
      }
      return { text, bytes };
    }
    if (n.name !== 'String') return null;
    const raw = this.text(n);
    const m = /^([rRbBuU]*)('''|"""|'|")/.exec(raw)!;
    const prefix = m[1].toLowerCase();
    const q = m[2];
    const body = raw.slice(m[0].length, raw.length - q.length);
    const text = prefix.includes('r') ? body : unescape(body);
    return { text, bytes: prefix.includes('b') };
  }

  private tupleOf(items: SyntaxNode[]): Expr {
    const R = this.R;
    if (items.some((c) => c.name === '*')) {
      const parts = this.starredList(items);
      return (f) => f.rt.newTuple(parts(f));
    }
    const es = items.map((i) => this.expr(i));
    const allConst = items.map((i) => this.constValue(i));
    if (allConst.every((c) => c !== null) && items.length > 0) {
      const t = R.seen(R.heap.alloc(R.T.tuple, 40 + 8 * items.length, 0, { track: false, nitems: items.length }));
      for (const v of allConst) R.heap.appendRef(t, v!);
      this.keep(t);
      return (f) => f.rt.incref(t);
    }
    const k = es.length;
    return (f) => {
      const R = f.rt;
      const vs = new Array<Id>(k);
      let i = 0;
      try {
        for (; i < k; i++) vs[i] = es[i](f);
      } catch (e) {
        for (let j = 0; j < i; j++) R.decref(vs[j]);
        throw e;
      }
      return R.newTuple(vs);
    };
  }

  /** Items of a display with `*x` unpacking. */
  /** [a, *b, c]: BUILD_LIST of the items before the first star, then LIST_EXTEND for each
   * starred item and LIST_APPEND for the others (so the list grows as list_extend/app1 do). */
  private starredListDisplay(items: SyntaxNode[]): Expr {
    const parts: { e: Expr; star: boolean }[] = [];
    for (let i = 0; i < items.length; i++) {
      if (items[i].name === '*') {
        parts.push({ e: this.expr(items[i + 1]), star: true });
        i++;
      } else parts.push({ e: this.expr(items[i]), star: false });
    }
    const lead = parts.findIndex((p) => p.star);
    return (f) => {
      const R = f.rt;
      const first: Id[] = [];
      try {
        for (let i = 0; i < lead; i++) first.push(parts[i].e(f));
      } catch (e) {
        for (const v of first) R.decref(v);
        throw e;
      }
      const l = R.newList(first, true);
      try {
        for (let i = lead; i < parts.length; i++) {
          const v = parts[i].e(f);
          try {
            if (parts[i].star) O.listExtend(R, l, v);
            else R.listAppend(l, v);
          } finally {
            R.decref(v);
          }
        }
      } catch (e) {
        R.decref(l);
        throw e;
      }
      return l;
    };
  }

  private starredList(items: SyntaxNode[]): (f: Frame) => Id[] {
    const parts: { e: Expr; star: boolean }[] = [];
    for (let i = 0; i < items.length; i++) {
      if (items[i].name === '*') {
        parts.push({ e: this.expr(items[i + 1]), star: true });
        i++;
      } else parts.push({ e: this.expr(items[i]), star: false });
    }
    return (f) => {
      const R = f.rt;
      const out: Id[] = [];
      for (const p of parts) {
        const v = p.e(f);
        if (p.star) {
          for (const x of O.toArray(R, v)) out.push(x);
          R.decref(v);
        } else out.push(v);
      }
      return out;
    };
  }

  expr(n: SyntaxNode): Expr {
    const k = n.name === 'Number' || n.name === 'String' || n.name === 'ContinuedString' || n.name === 'None' || n.name === 'Boolean' ? this.constValue(n) : null;
    if (k !== null) {
      return (f) => {
        f.rt.heap.incref(k);
        return k;
      };
    }
    switch (n.name) {
      case 'VariableName': return this.loadName(this.text(n));
      case 'ParenthesizedExpression': {
        const inner = children(n).filter((c) => !PUNCT.has(c.name));
        if (inner[0]?.name === 'YieldExpression') throw this.unsupported(inner[0], 'yield expression outside a generator statement');
        return this.expr(inner[0]);
      }
      case 'TupleExpression': {
        const items = children(n).filter((c) => !PUNCT.has(c.name));
        if (!items.length) return (f) => f.rt.incref(f.rt.EMPTY_TUPLE);
        return this.tupleOf(items);
      }
      case 'ArrayExpression': return this.listDisplay(n);
      case 'DictionaryExpression': return this.dictDisplay(n);
      case 'SetExpression': return this.setDisplay(n);
      case 'BinaryExpression': return this.binary(n);
      case 'UnaryExpression': {
        const cs = children(n);
        const op = cs[0].name === 'not' ? 'not' : this.text(cs[0]);
        if (op === 'not') {
          const c = this.cond(cs[1]);
          return (f) => f.rt.bool(!c(f));
        }
        const a = this.expr(cs[1]);
        return (f) => {
          const R = f.rt;
          const v = a(f);
          try {
            return O.unary(R, op, v);
          } finally {
            R.decref(v);
          }
        };
      }
      case 'ConditionalExpression': {
        const cs = children(n);
        const a = this.expr(cs[0]);
        const t = this.cond(cs[2]);
        const b = this.expr(cs[4]);
        return (f) => (t(f) ? a(f) : b(f));
      }
      case 'CallExpression': return this.callExpr(n);
      case 'MemberExpression': {
        const cs = children(n);
        const obj = this.expr(cs[0]);
        if (cs[1].name === '.') {
          const name = this.text(cs[2]);
          return (f) => {
            const R = f.rt;
            const o = obj(f);
            try {
              return getAttr(R, o, name);
            } finally {
              R.heap.decref(o);
            }
          };
        }
        const key = this.subscript(cs.slice(1));
        return (f) => {
          const R = f.rt;
          const o = obj(f);
          let k = 0;
          try {
            k = key(f);
            return getItem(R, o, k);
          } finally {
            R.heap.decref(o);
            if (k) R.heap.decref(k);
          }
        };
      }
      case 'LambdaExpression': {
        const cs = children(n);
        const bodyNode = cs[cs.length - 1];
        const make = this.functionMaker(n, '<lambda>', n.getChild('ParamList'), (scope, code) => {
          if (scope.isGenerator) throw this.unsupported(n, 'yield in lambda');
          const e = this.expr(bodyNode);
          code.run = (f) => e(f);
        });
        return make;
      }
      case 'FormatString': return this.fstring(n);
      case 'ContinuedString': return this.fstringConcat(n);
      case 'ArrayComprehensionExpression':
      case 'DictionaryComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
        return this.comprehension(n);
      case 'YieldExpression':
        throw this.unsupported(n, 'yield expression in this position');
      case 'AwaitExpression':
        throw this.unsupported(n, 'await');
      case 'NamedExpression':
        throw this.unsupported(n, 'assignment expression (:=)');
      case 'Ellipsis': return (f) => f.rt.none();
      default:
        if (n.type.isError) throw this.syntax(n);
        throw this.unsupported(n, n.name);
    }
  }

  private listDisplay(n: SyntaxNode): Expr {
    const items = children(n).filter((c) => !PUNCT.has(c.name));
    if (items.some((c) => c.name === '*')) return this.starredListDisplay(items);
    const constTuple = items.length >= 3 ? this.constValue(n, true) : null;
    if (constTuple !== null) {
      // BUILD_LIST 0 + LIST_EXTEND of a constant tuple: list_preallocate_exact (rounded to even).
      const k = items.length;
      return (f) => {
        const R = f.rt;
        const l = R.newList([], true);
        const h = R.heap;
        R.P[l] = (k + 1) & ~1;
        h.resize(l, 56 + 8 * R.P[l]);
        for (let i = 0; i < k; i++) h.appendRef(l, h.getRef(constTuple, i));
        return l;
      };
    }
    const es = items.map((i) => this.expr(i));
    const k = es.length;
    return (f) => {
      const R = f.rt;
      const vs = new Array<Id>(k);
      let i = 0;
      try {
        for (; i < k; i++) vs[i] = es[i](f);
      } catch (e) {
        for (let j = 0; j < i; j++) R.decref(vs[j]);
        throw e;
      }
      return R.newList(vs, true);
    };
  }

  private dictDisplay(n: SyntaxNode): Expr {
    const cs = children(n).filter((c) => !['{', '}', ','].includes(c.name));
    const entries: { k: Expr | null; v: Expr }[] = [];
    for (let i = 0; i < cs.length; i++) {
      if (cs[i].name === '**') {
        entries.push({ k: null, v: this.expr(cs[i + 1]) });
        i++;
        continue;
      }
      entries.push({ k: this.expr(cs[i]), v: this.expr(cs[i + 2]) });
      i += 2;
    }
    const count = entries.length;
    return (f) => {
      const R = f.rt;
      const vals: Id[] = [];
      try {
        for (const e of entries) {
          if (e.k) vals.push(e.k(f));
          vals.push(e.v(f));
        }
      } catch (e) {
        for (const v of vals) R.decref(v);
        throw e;
      }
      const d = R.newDict(count);
      let j = 0;
      try {
        for (const e of entries) {
          if (e.k) {
            R.dictSet(d, vals[j], vals[j + 1]);
            j += 2;
          } else {
            for (const [k, v] of R.dictEntries(vals[j])) R.dictSet(d, k, v);
            j++;
          }
        }
      } finally {
        for (const v of vals) R.decref(v);
      }
      return d;
    };
  }

  private setDisplay(n: SyntaxNode): Expr {
    const items = children(n).filter((c) => !PUNCT.has(c.name));
    const parts = this.starredList(items);
    return (f) => {
      const R = f.rt;
      const vs = parts(f);
      const s = R.newSet();
      for (const v of vs) {
        R.setAdd(s, v);
        R.decref(v);
      }
      return s;
    };
  }

  private binary(n: SyntaxNode): Expr {
    const cs = children(n);
    const opNode = cs[1];
    if (opNode.name === 'and' || opNode.name === 'or') {
      const a = this.expr(cs[0]);
      const b = this.expr(cs[2]);
      const isAnd = opNode.name === 'and';
      return (f) => {
        const R = f.rt;
        const x = a(f);
        if (O.truthy(R, x) !== isAnd) return x;
        R.decref(x);
        return b(f);
      };
    }
    const cmp = this.comparison(n);
    if (cmp) return (f) => f.rt.bool(cmp(f));
    const op = this.text(opNode);
    const a = this.expr(cs[0]);
    const b = this.expr(cs[2]);
    return (f) => {
      const R = f.rt;
      const x = a(f);
      let y = 0;
      try {
        y = b(f);
        return O.binop(R, op, x, y);
      } finally {
        R.heap.decref(x);
        if (y) R.heap.decref(y);
      }
    };
  }

  subscript(cs: SyntaxNode[]): Expr {
    // cs: '[' ... ']'
    const inner = cs.slice(1, cs.length - 1);
    if (inner.some((c) => c.name === ',')) {
      throw this.unsupported(inner[0], 'multi-dimensional subscripts');
    }
    if (!inner.some((c) => c.name === ':')) return this.expr(inner[0]);
    const parts: (Expr | null)[] = [null];
    for (const c of inner) {
      if (c.name === ':') parts.push(null);
      else parts[parts.length - 1] = this.expr(c);
    }
    while (parts.length < 3) parts.push(null);
    const [a, b, c] = parts;
    return (f) => makeSlice(f.rt, a ? a(f) : 0, b ? b(f) : 0, c ? c(f) : 0);
  }

  private fstringPieces(n: SyntaxNode): (string | { e: Expr; conv: string; spec: ((f: Frame) => string) | null })[] {
    const raw = this.text(n);
    const m = /^([rRfFbBuU]*)('''|"""|'|")/.exec(raw)!;
    const isRaw = m[1].toLowerCase().includes('r');
    const start = n.from + m[0].length;
    const end = n.to - m[2].length;
    const pieces: (string | { e: Expr; conv: string; spec: ((f: Frame) => string) | null })[] = [];
    let pos = start;
    const lit = (s: string) => (isRaw ? s : unescape(s)).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    for (const c of children(n)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > pos) pieces.push(lit(this.src.slice(pos, c.from)));
      const rc = children(c).filter((x) => x.name !== '{' && x.name !== '}');
      const e = this.expr(rc[0]);
      let conv = '';
      let spec: ((f: Frame) => string) | null = null;
      for (const x of rc.slice(1)) {
        if (x.name === 'FormatConversion') conv = this.text(x).slice(1);
        else if (x.name === 'FormatSpec') {
          const sp = this.specPieces(x);
          spec = sp;
        } else if (x.name === '=') throw this.unsupported(x, 'f-string debugging specifier (=)');
      }
      pieces.push({ e, conv, spec });
      pos = c.to;
    }
    if (end > pos) pieces.push(lit(this.src.slice(pos, end)));
    return pieces;
  }

  private specPieces(x: SyntaxNode): (f: Frame) => string {
    const parts: (string | Expr)[] = [];
    let pos = x.from + 1;
    for (const c of children(x)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > pos) parts.push(this.src.slice(pos, c.from));
      parts.push(this.expr(children(c).filter((y) => y.name !== '{' && y.name !== '}')[0]));
      pos = c.to;
    }
    if (x.to > pos) parts.push(this.src.slice(pos, x.to));
    return (f) => {
      const R = f.rt;
      return parts.map((p) => {
        if (typeof p === 'string') return p;
        const v = p(f);
        const s = O.str(R, v);
        R.decref(v);
        return s;
      }).join('');
    };
  }

  private fstring(n: SyntaxNode): Expr {
    const pieces = this.fstringPieces(n);
    return (f) => f.rt.newStr(this.renderPieces(f, pieces));
  }

  private renderPieces(f: Frame, pieces: (string | { e: Expr; conv: string; spec: ((f: Frame) => string) | null })[]): string {
    const R = f.rt;
    let out = '';
    for (const p of pieces) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = p.e(f);
      try {
        if (p.conv === 'r') out += p.spec ? O.formatSpec(R, R.newStr(O.repr(R, v)), p.spec(f)) : O.repr(R, v);
        else if (p.spec) out += O.formatSpec(R, v, p.spec(f));
        else out += O.str(R, v);
      } finally {
        R.decref(v);
      }
    }
    return out;
  }

  private fstringConcat(n: SyntaxNode): Expr {
    const all: (string | { e: Expr; conv: string; spec: ((f: Frame) => string) | null })[] = [];
    for (const c of children(n)) {
      if (c.name === 'FormatString') all.push(...this.fstringPieces(c));
      else {
        const s = this.stringLiteral(c);
        if (!s) throw this.unsupported(c, 'string literal');
        all.push(s.text);
      }
    }
    return (f) => f.rt.newStr(this.renderPieces(f, all));
  }

  // ------------------------------------------------------------------ calls

  private args(argList: SyntaxNode): ArgSpec {
    if (children(argList).some((c) => c.name === 'for')) {
      // f(x for x in y): the sole argument is a generator expression
      return { pos: [{ expr: this.comprehension(argList), star: false }], kw: [], starstar: [], simple: true };
    }
    const cs = children(argList).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
    const spec: ArgSpec = { pos: [], kw: [], starstar: [], simple: true };
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === '*') {
        spec.pos.push({ expr: this.expr(cs[i + 1]), star: true });
        spec.simple = false;
        i++;
      } else if (c.name === '**') {
        spec.starstar.push(this.expr(cs[i + 1]));
        spec.simple = false;
        i++;
      } else if (c.name === 'VariableName' && cs[i + 1]?.name === 'AssignOp') {
        spec.kw.push({ name: this.text(c), expr: this.expr(cs[i + 2]) });
        i += 2;
      } else if (c.name === 'ComprehensionExpression' || c.name === 'for') {
        spec.pos.push({ expr: this.expr(c), star: false });
      } else spec.pos.push({ expr: this.expr(c), star: false });
    }
    return spec;
  }

  /** Evaluates arguments: new references in `args` and `kw` values, released by the caller. */
  private evalArgs(f: Frame, spec: ArgSpec): { args: Id[]; kw: Kw } {
    const R = f.rt;
    const args: Id[] = [];
    let kw: Kw = null;
    try {
      for (const p of spec.pos) {
        const v = p.expr(f);
        if (p.star) {
          const items = O.toArray(R, v);
          R.decref(v);
          for (const x of items) args.push(x);
        } else args.push(v);
      }
      if (spec.kw.length || spec.starstar.length) {
        kw = new Map();
        for (const k of spec.kw) kw.set(k.name, k.expr(f));
        for (const ss of spec.starstar) {
          const d = ss(f);
          for (const [k, v] of R.dictEntries(d)) kw.set(R.P[k] as string, R.incref(v));
          R.decref(d);
        }
      }
    } catch (e) {
      for (const a of args) R.decref(a);
      if (kw) for (const v of kw.values()) R.decref(v);
      throw e;
    }
    return { args, kw };
  }

  private callExpr(n: SyntaxNode): Expr {
    const cs = children(n);
    const callee = cs[0];
    const argList = cs[1];
    // super().method(...)
    if (callee.name === 'VariableName' && this.text(callee) === 'super' && children(argList).length === 2) {
      if (!this.classStack.length && !this.code?.qualname.includes('.')) throw this.unsupported(n, 'super() outside a method');
      const selfIdx = 0;
      const code = this.code;
      return (f) => superLookup(f.rt, f, code, selfIdx);
    }
    const spec = this.args(argList);
    const release = (R: Runtime, args: Id[], kw: Kw) => {
      for (let i = 0; i < args.length; i++) R.heap.decref(args[i]);
      if (kw) for (const v of kw.values()) R.heap.decref(v);
    };
    if (callee.name === 'MemberExpression' && children(callee)[1].name === '.') {
      const ms = children(callee);
      const obj = this.expr(ms[0]);
      const name = this.text(ms[2]);
      if (spec.simple && spec.kw.length === 0 && spec.pos.length <= 3) {
        const pos = spec.pos.map((p) => p.expr);
        const k = pos.length;
        // A one-entry cache of the builtin method seen at this call site (list.append…).
        let cachedType = -1;
        let cachedFn: MethodFn | undefined;
        return (f) => {
          const R = f.rt;
          const o = obj(f);
          const args = new Array<Id>(k);
          let i = 0;
          try {
            for (; i < k; i++) args[i] = pos[i](f);
            const t = R.heap.typeOf(o);
            if (t === cachedType) return cachedFn!(o, args, null);
            const fn = builtinMethodOf(R, t, name);
            if (fn) {
              cachedType = t;
              cachedFn = fn;
              return fn(o, args, null);
            }
            return callMethod(R, o, name, args, null);
          } finally {
            for (let j = 0; j < i; j++) R.heap.decref(args[j]);
            R.heap.decref(o);
          }
        };
      }
      return (f) => {
        const R = f.rt;
        const o = obj(f);
        let a: { args: Id[]; kw: Kw } | null = null;
        try {
          a = this.evalArgs(f, spec);
          return callMethod(R, o, name, a.args, a.kw);
        } finally {
          if (a) release(R, a.args, a.kw);
          R.heap.decref(o);
        }
      };
    }
    const fn = this.expr(callee);
    const pos = spec.pos.map((p) => p.expr);
    if (spec.simple && spec.kw.length === 0 && pos.length <= 3) {
      const k = pos.length;
      return (f) => {
        const R = f.rt;
        const c = fn(f);
        const args = new Array<Id>(k);
        let i = 0;
        try {
          for (; i < k; i++) args[i] = pos[i](f);
          if (R.profile !== '3.11') R.heap.checkpoint();
          return O.call(R, c, args, null);
        } finally {
          for (let j = 0; j < i; j++) R.heap.decref(args[j]);
          R.heap.decref(c);
        }
      };
    }
    return (f) => {
      const R = f.rt;
      const c = fn(f);
      let a: { args: Id[]; kw: Kw } | null = null;
      try {
        a = this.evalArgs(f, spec);
        if (R.profile !== '3.11') R.heap.checkpoint();
        return O.call(R, c, a.args, a.kw);
      } finally {
        if (a) release(R, a.args, a.kw);
        R.heap.decref(c);
      }
    };
  }

  // ------------------------------------------------------------------ comprehensions

  private comprehension(n: SyntaxNode): Expr {
    const kind = n.name === 'ArgList' ? 'ComprehensionExpression' : n.name;
    const cs = children(n).filter((c) => !['[', ']', '{', '}', '(', ')'].includes(c.name));
    // element part: before the first 'for'
    const firstFor = cs.findIndex((c) => c.name === 'for');
    const elem = cs.slice(0, firstFor);
    // clauses
    const clauses: { type: 'for' | 'if'; targets?: SyntaxNode[]; iter?: SyntaxNode; test?: SyntaxNode }[] = [];
    for (let i = firstFor; i < cs.length; i++) {
      if (cs[i].name === 'for') {
        const targets: SyntaxNode[] = [];
        let j = i + 1;
        while (cs[j].name !== 'in') targets.push(cs[j++]);
        clauses.push({ type: 'for', targets, iter: cs[j + 1] });
        i = j + 1;
      } else if (cs[i].name === 'if') {
        clauses.push({ type: 'if', test: cs[i + 1] });
        i++;
      } else if (cs[i].name === 'async') throw this.unsupported(cs[i], 'async comprehensions');
    }
    const outerIter = this.expr(clauses[0].iter!);
    const name = kind === 'ComprehensionExpression' ? '<genexpr>' : kind === 'ArrayComprehensionExpression' ? '<listcomp>' : kind === 'DictionaryComprehensionExpression' ? '<dictcomp>' : '<setcomp>';
    const isGen = kind === 'ComprehensionExpression';
    const spec: ParamSpec = { names: ['.0'], nPositional: 1, nKwOnly: 0, varargs: false, varkw: false };
    const code = this.enterScope(n, (scope) =>
      this.makeCode(scope, name, spec, n, (cd) => {
        cd.isComprehension = true;
        // compile the loops
        type GEmit = (f: Frame) => Generator<Id, void, Id>;
        if (isGen) {
          const value = this.expr(elem[0]);
          const build = (ci: number): GEmit => {
            if (ci === clauses.length) {
              return function* (f) {
                const R = f.rt;
                const v = value(f);
                const sent = yield v;
                if (sent) R.decref(sent);
              };
            }
            const cl = clauses[ci];
            const inner = build(ci + 1);
            if (cl.type === 'if') {
              const t = this.cond(cl.test!);
              return function* (f) {
                if (t(f)) yield* inner(f);
              };
            }
            const store = this.target(cl.targets!, cl.iter!);
            const iterExpr = ci === 0 ? (f: Frame) => f.rt.incref(f.fast[0]) : this.expr(cl.iter!);
            return function* (f) {
              const R = f.rt;
              const src = iterExpr(f);
              let it: Id;
              try {
                it = ci === 0 ? R.incref(src) : O.getIter(R, src);
              } finally {
                R.decref(src);
              }
              try {
                for (;;) {
                  const x = O.iterNext(R, it);
                  if (!x) break;
                  store(f, x);
                  yield* inner(f);
                }
              } finally {
                R.decref(it);
              }
            };
          };
          const g = build(0);
          cd.gen = function* (f) {
            const R = f.rt;
            yield* g(f);
            return R.none();
          };
          cd.isGenerator = true;
          return;
        }
        let add: (f: Frame, acc: Id) => void;
        if (kind === 'DictionaryComprehensionExpression') {
          const k = this.expr(elem[0]);
          const v = this.expr(elem[2]);
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
          const value = this.expr(elem[0]);
          add = kind === 'SetComprehensionExpression'
            ? (f, acc) => {
                const R = f.rt;
                const x = value(f);
                try {
                  R.setAdd(acc, x);
                } finally {
                  R.decref(x);
                }
              }
            : (f, acc) => {
                const R = f.rt;
                const x = value(f);
                R.listAppend(acc, x);
                R.heap.decref(x);
              };
        }
        const build = (ci: number): ((f: Frame, acc: Id) => void) => {
          if (ci === clauses.length) return add;
          const cl = clauses[ci];
          const inner = build(ci + 1);
          if (cl.type === 'if') {
            const t = this.cond(cl.test!);
            return (f, acc) => {
              if (t(f)) inner(f, acc);
            };
          }
          const store = this.target(cl.targets!, cl.iter!);
          const iterExpr = ci === 0 ? null : this.expr(cl.iter!);
          return (f, acc) => {
            const R = f.rt;
            let it: Id;
            if (!iterExpr) it = R.incref(f.fast[0]);
            else it = getIterReleasing(R, iterExpr(f));
            try {
              for (;;) {
                const x = O.iterNext(R, it);
                if (!x) break;
                store(f, x);
                inner(f, acc);
              }
            } finally {
              R.decref(it);
            }
          };
        };
        const loop = build(0);
        cd.run = (f) => {
          const R = f.rt;
          const acc = kind === 'DictionaryComprehensionExpression' ? R.newDict() : kind === 'SetComprehensionExpression' ? R.newSet() : R.newList([], true);
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
    const scope = this.sb.byNode.get(this.sb.key(n))!;
    const closure = this.closureLoader(scope);
    return (f) => {
      const R = f.rt;
      // 3.11: MAKE_FUNCTION, GET_ITER, CALL; 3.12+ inlines list/dict/set comprehensions (PEP 709).
      const inline = !isGen && R.profile !== '3.11';
      const cl = closure ? closure(f) : 0;
      const fn = inline ? 0 : this.makeFunction(f, code, 0, cl, null, 0);
      let it = 0;
      try {
        it = getIterReleasing(R, outerIter(f));
        if (inline) {
          const fr = new Frame(R, code, f.globals, f);
          fr.fast[0] = it;
          it = 0;
          if (cl) for (let i = 0; i < code.nFree; i++) fr.cells[code.nCells + i] = R.incref(R.heap.getRef(cl, i));
          for (const cell of code.cellOfLocal.values()) {
            const c = R.alloc(R.T.cell, R.sz.cell);
            R.heap.appendRef(c, NULL);
            fr.cells[cell] = c;
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
}

/** Evaluates `obj[key]`'s operands in CPython's order, runs `use`, then releases the key and the object. */
function withObjectAndKey(f: Frame, obj: (f: Frame) => Id, key: (f: Frame) => Id, use: (o: Id, k: Id) => void): void {
  const R = f.rt;
  const o = obj(f);
  let k: Id;
  try {
    k = key(f);
  } catch (e) {
    R.decref(o);
    throw e;
  }
  try {
    use(o, k);
  } finally {
    R.decref(k);
    R.decref(o);
  }
}

/** iter(v), releasing the caller's reference to v whether or not v is iterable. */
function getIterReleasing(R: Runtime, v: Id): Id {
  try {
    return O.getIter(R, v);
  } finally {
    R.decref(v);
  }
}

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|\n|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': return String.fromCharCode(parseInt(e, 8));
      case 'x': case 'u': case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '\n': return '';
      default: return '\\' + e;
    }
  });
}

function checkErrors(root: SyntaxNode, c: Compiler): void {
  const cursor = root.cursor();
  do {
    if (cursor.type.isError) throw c.syntax(cursor.from);
  } while (cursor.next());
}
