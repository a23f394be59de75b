// Lowers @lezer/python's concrete tree to our AST (ast.ts). This is the ONLY module that
// knows Lezer's node names. It reports CPython's SyntaxErrors (file:line:col) for what the
// grammar accepts but Python does not, and "not supported yet" only where Lezer cannot
// express valid Python (decorator expressions, parenthesized context managers...).
// Over 600 lines: one function per grammar rule of a single grammar; splitting it would
// spread Lezer's node names over several files.
import { parser } from '@lezer/python';
import type { SyntaxNode, Tree } from '@lezer/common';
import { CompileError } from '../errors';
import type * as A from './ast';
import { Positions } from './positions';

/** Parses and lowers a module; throws CompileError. */
export function parseModule(source: string, filename: string): A.Module {
  return lowerTree(parser.parse(source), source, filename);
}

export function lowerTree(tree: Tree, source: string, filename: string): A.Module {
  const l = new Lowerer(source, filename);
  l.checkErrors(tree.topNode);
  return l.module(tree.topNode);
}

const SKIP = new Set([',', '(', ')', '[', ']', '{', '}', ':', ';', 'Comment']);

function kids(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Splits flat children at top-level commas (the nodes themselves are never commas). */
function splitCommas(ns: SyntaxNode[]): { items: SyntaxNode[][]; trailing: boolean; commas: number } {
  const items: SyntaxNode[][] = [];
  let cur: SyntaxNode[] = [];
  let commas = 0;
  for (const c of ns) {
    if (c.name === ',') {
      items.push(cur);
      cur = [];
      commas++;
    } else cur.push(c);
  }
  const trailing = commas > 0 && cur.length === 0;
  if (cur.length) items.push(cur);
  return { items, trailing, commas };
}

interface Ctx {
  /** 'module' | 'class' | 'function' | 'async' (async def) | 'lambda' */
  fn: 'module' | 'class' | 'function' | 'async' | 'lambda';
  loop: number;
  /** Inside a comprehension's own scope: its kind in words ('list comprehension'…). */
  comp?: string;
}

/** Kind names CPython uses in "cannot assign to …" messages (pegen's _PyPegen_get_expr_name). */
export function exprName(e: A.Expr): string {
  switch (e.type) {
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'Starred': return 'starred';
    case 'Name': return 'name';
    case 'List': return 'list';
    case 'Tuple': return 'tuple';
    case 'Lambda': return 'lambda';
    case 'Call': return 'function call';
    case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'expression';
    case 'GeneratorExp': return 'generator expression';
    case 'Yield': case 'YieldFrom': return 'yield expression';
    case 'Await': return 'await expression';
    case 'ListComp': return 'list comprehension';
    case 'SetComp': return 'set comprehension';
    case 'DictComp': return 'dict comprehension';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'JoinedStr': case 'FormattedValue': return 'f-string expression';
    case 'Constant':
      switch (e.value.kind) {
        case 'None': return 'None';
        case 'bool': return e.value.value ? 'True' : 'False';
        case 'Ellipsis': return 'ellipsis';
        default: return 'literal';
      }
    case 'Compare': return 'comparison';
    case 'IfExp': return 'conditional expression';
    case 'NamedExpr': return 'named expression';
    case 'Slice': return 'slice';
  }
}

class Lowerer {
  private readonly p: Positions;
  private ctx: Ctx = { fn: 'module', loop: 0 };

  constructor(
    private readonly src: string,
    private readonly filename: string,
  ) {
    this.p = new Positions(src);
  }

  // ------------------------------------------------------------------ errors and positions

  private text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private pos(from: SyntaxNode | number, to?: SyntaxNode | number): A.Pos {
    const a = typeof from === 'number' ? from : from.from;
    const b = to === undefined ? (typeof from === 'number' ? from : from.to) : typeof to === 'number' ? to : to.to;
    return this.p.span(a, b);
  }

  syntax(at: SyntaxNode | number | A.Pos, msg = 'invalid syntax'): CompileError {
    const loc = typeof at === 'object' && 'line' in at ? { filename: this.filename, line: at.line, col: at.col + 1 } : this.p.location(this.filename, typeof at === 'number' ? at : at.from);
    return new CompileError('syntax', `SyntaxError: ${msg} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  unsupported(at: SyntaxNode | number, what: string): CompileError {
    const loc = this.p.location(this.filename, typeof at === 'number' ? at : at.from);
    return new CompileError('unsupported', `not supported yet: ${what} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  /** Lezer recovers from errors with ⚠ nodes; report the first, or what Lezer cannot parse. */
  checkErrors(root: SyntaxNode): void {
    const cursor = root.cursor();
    do {
      if (!cursor.type.isError) continue;
      const n = cursor.node;
      const parent = n.parent;
      // `yield` with no value: the grammar requires one and leaves an empty ⚠ after it.
      if (n.from === n.to && parent && (parent.name === 'YieldExpression' || parent.name === 'YieldStatement') && n.prevSibling?.name === 'yield') continue;
      // `case C():` (no arguments): the grammar wants one and leaves an empty ⚠ pattern.
      if (n.from === n.to && isEmptyClassPatternArg(parent)) continue;
      if (parent?.name === 'PatternArgList' && n.prevSibling?.name === '(' && !n.nextSibling && this.text(n) === ')') continue;
      for (let p: SyntaxNode | null = parent; p; p = p.parent) {
        if (p.name === 'Decorator') throw this.unsupported(p, 'decorator expression (only dotted names and calls)');
        if (p.name === 'WithStatement') {
          const kw = p.getChild('with');
          const body = p.getChild('Body');
          if (kw && (!body || n.from < body.from) && this.src.slice(kw.to).trimStart().startsWith('(')) throw this.unsupported(p, 'parenthesized context managers');
        }
      }
      if (parent?.name === 'MemberExpression' && n.firstChild?.name === '*') throw this.unsupported(n, 'starred subscript');
      throw this.syntax(n.from);
    } while (cursor.next());
  }

  // ------------------------------------------------------------------ statements

  module(root: SyntaxNode): A.Module {
    const body = this.stmts(kids(root));
    return { type: 'Module', body, line: 1, col: 0, ...this.endOf(root) };
  }

  private endOf(n: SyntaxNode): { endLine: number; endCol: number } {
    const e = this.p.span(n.to, n.to);
    return { endLine: e.line, endCol: e.col };
  }

  private stmts(ns: SyntaxNode[]): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const n of ns) {
      if (SKIP.has(n.name)) continue;
      if (n.name === 'StatementGroup') {
        for (const c of kids(n)) if (!SKIP.has(c.name)) out.push(this.stmt(c));
        continue;
      }
      out.push(this.stmt(n));
    }
    return out;
  }

  private body(n: SyntaxNode | null | undefined): A.Stmt[] {
    if (!n) return [];
    return this.stmts(kids(n));
  }

  private inLoop<T>(fn: () => T): T {
    this.ctx.loop++;
    try {
      return fn();
    } finally {
      this.ctx.loop--;
    }
  }

  private inScope<T>(fn: Ctx['fn'], body: () => T): T {
    const saved = this.ctx;
    this.ctx = { fn, loop: 0 };
    try {
      return body();
    } finally {
      this.ctx = saved;
    }
  }

  private stmt(n: SyntaxNode): A.Stmt {
    const s = this.stmtInner(n);
    const last = lastChild(s);
    if (last) {
      s.endLine = last.endLine;
      s.endCol = last.endCol;
    }
    return s;
  }

  private stmtInner(n: SyntaxNode): A.Stmt {
    const P = this.pos(n);
    const cs = kids(n);
    switch (n.name) {
      case 'ExpressionStatement':
        return { type: 'Expr', value: this.exprList(cs, 'Load'), ...P };
      case 'AssignStatement': return this.assign(n, cs, P);
      case 'UpdateStatement': {
        const target = this.expr(cs[0]);
        if (target.type !== 'Name' && target.type !== 'Attribute' && target.type !== 'Subscript') {
          throw this.syntax(target, `'${exprName(target)}' is an illegal expression for augmented assignment`);
        }
        target.ctx = 'Store';
        const op = this.text(cs[1]).slice(0, -1) as A.Operator;
        const rest = cs.slice(2);
        const value = rest.length === 1 && rest[0].name === 'YieldExpression' ? this.yieldExpr(rest[0]) : this.exprList(rest, 'Load');
        return { type: 'AugAssign', target, op, value, ...P };
      }
      case 'PassStatement': return { type: 'Pass', ...P };
      case 'BreakStatement':
        if (!this.ctx.loop) throw this.syntax(n, "'break' outside loop");
        return { type: 'Break', ...P };
      case 'ContinueStatement':
        if (!this.ctx.loop) throw this.syntax(n, "'continue' not properly in loop");
        return { type: 'Continue', ...P };
      case 'ReturnStatement': {
        if (this.ctx.fn !== 'function' && this.ctx.fn !== 'async') throw this.syntax(n, "'return' outside function");
        const rest = cs.slice(1);
        return { type: 'Return', value: rest.length ? this.exprList(rest, 'Load') : null, ...P };
      }
      case 'YieldStatement':
        return { type: 'Expr', value: this.yieldExpr(n), ...P };
      case 'PrintStatement':
        throw this.syntax(n, "Missing parentheses in call to 'print'. Did you mean print(...)?");
      case 'DeleteStatement': {
        const targets = splitCommas(cs.slice(1)).items.map((it) => this.delTarget(this.exprOf(it, 'Load')));
        return { type: 'Delete', targets, ...P };
      }
      case 'RaiseStatement': {
        const rest = cs.slice(1);
        if (rest.some((c) => c.name === ',')) throw this.syntax(rest.find((c) => c.name === ',')!);
        const fromAt = rest.findIndex((c) => c.name === 'from');
        const exc = rest.length && fromAt !== 0 ? this.expr(rest[0]) : null;
        const cause = fromAt >= 0 ? this.expr(rest[fromAt + 1]) : null;
        return { type: 'Raise', exc, cause, ...P };
      }
      case 'ScopeStatement': {
        const names = cs.filter((c) => c.name === 'VariableName').map((c) => this.text(c));
        return cs[0].name === 'global' ? { type: 'Global', names, ...P } : { type: 'Nonlocal', names, ...P };
      }
      case 'AssertStatement': {
        const parts = splitCommas(cs.slice(1)).items;
        return { type: 'Assert', test: this.exprOf(parts[0], 'Load'), msg: parts[1] ? this.exprOf(parts[1], 'Load') : null, ...P };
      }
      case 'ImportStatement': return this.importStmt(n, cs, P);
      case 'IfStatement': return this.ifStmt(cs, 0);
      case 'WhileStatement': {
        const elseAt = cs.findIndex((c) => c.name === 'else');
        const test = this.expr(cs[1]);
        const body = this.inLoop(() => this.body(cs[2]));
        return { type: 'While', test, body, orelse: elseAt >= 0 ? this.body(cs[elseAt + 1]) : [], ...P };
      }
      case 'ForStatement': return this.forStmt(n, cs, P);
      case 'TryStatement': return this.tryStmt(cs, P);
      case 'WithStatement': return this.withStmt(n, cs, P);
      case 'FunctionDefinition': return this.funcDef(n, []);
      case 'ClassDefinition': return this.classDef(n, []);
      case 'DecoratedStatement': {
        const decs = cs.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const def = cs.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition')!;
        return def.name === 'FunctionDefinition' ? this.funcDef(def, decs) : this.classDef(def, decs);
      }
      case 'MatchStatement': return this.matchStmt(n, cs, P);
      case 'TypeDefinition': throw this.unsupported(n, "the 'type' statement");
      default:
        if (n.type.isError) throw this.syntax(n);
        throw this.unsupported(n, n.name);
    }
  }

  private assign(n: SyntaxNode, cs: SyntaxNode[], P: A.Pos): A.Stmt {
    const typeAt = cs.findIndex((c) => c.name === 'TypeDef');
    const ops = cs.map((c, i) => (c.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
    const valueOf = (nodes: SyntaxNode[]): A.Expr => (nodes.length === 1 && nodes[0].name === 'YieldExpression' ? this.yieldExpr(nodes[0]) : this.exprList(nodes, 'Load'));
    if (typeAt >= 0) {
      const lhs = cs.slice(0, typeAt);
      const { items, commas } = splitCommas(lhs);
      if (commas > 0 || items.length !== 1) throw this.syntax(n, 'only single target (not tuple) can be annotated');
      const target = this.exprOf(items[0], 'Load');
      const simple = target.type === 'Name' && lhs[0].name === 'VariableName';
      if (target.type === 'Tuple' || target.type === 'List') throw this.syntax(target, `only single target (not ${target.type.toLowerCase()}) can be annotated`);
      if (target.type !== 'Name' && target.type !== 'Attribute' && target.type !== 'Subscript') throw this.syntax(target, `illegal target for annotation`);
      target.ctx = 'Store';
      const annotation = this.expr(kids(cs[typeAt]).filter((c) => c.name !== ':')[0]);
      const value = ops.length ? valueOf(cs.slice(ops[0] + 1)) : null;
      return { type: 'AnnAssign', target, annotation, value, simple, ...P };
    }
    const groups: SyntaxNode[][] = [];
    let start = 0;
    for (const i of ops) {
      groups.push(cs.slice(start, i));
      start = i + 1;
    }
    const value = valueOf(cs.slice(start));
    const single = groups.length === 1 && splitCommas(groups[0]).commas === 0;
    const targets = groups.map((g) => this.storeTarget(this.exprList(g, 'Load'), single ? 'assign1' : 'assign'));
    return { type: 'Assign', targets, value, ...P };
  }

  /** Sets Store context on a target, with CPython's errors for what cannot be assigned. */
  private storeTarget(e: A.Expr, how: 'assign1' | 'assign' | 'for' | 'with' | 'comp' | 'nested'): A.Expr {
    switch (e.type) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        e.ctx = 'Store';
        return e;
      case 'Starred':
        if (how !== 'nested') throw this.syntax(e, 'starred assignment target must be in a list or tuple');
        e.ctx = 'Store';
        this.storeTarget(e.value, 'assign');
        return e;
      case 'Tuple':
      case 'List': {
        e.ctx = 'Store';
        let stars = 0;
        for (const x of e.elts) {
          if (x.type === 'Starred') stars++;
          this.storeTarget(x, 'nested');
        }
        if (stars > 1) throw this.syntax(e, 'multiple starred expressions in assignment');
        return e;
      }
      default: {
        const what = exprName(e);
        if (how === 'assign1') throw this.syntax(e, `cannot assign to ${what} here. Maybe you meant '==' instead of '='?`);
        throw this.syntax(e, `cannot assign to ${what}`);
      }
    }
  }

  private delTarget(e: A.Expr): A.Expr {
    switch (e.type) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        e.ctx = 'Del';
        return e;
      case 'Tuple':
      case 'List':
        e.ctx = 'Del';
        for (const x of e.elts) this.delTarget(x);
        return e;
      default:
        throw this.syntax(e, `cannot delete ${exprName(e)}`);
    }
  }

  private importStmt(n: SyntaxNode, cs: SyntaxNode[], P: A.Pos): A.Stmt {
    const aliases = (ns: SyntaxNode[]): A.Alias[] => {
      const out: A.Alias[] = [];
      for (const item of splitCommas(ns.filter((c) => c.name !== '(' && c.name !== ')')).items) {
        const asAt = item.findIndex((c) => c.name === 'as');
        const nameNodes = asAt >= 0 ? item.slice(0, asAt) : item;
        const name = nameNodes.map((c) => this.text(c)).join('');
        const asname = asAt >= 0 ? this.text(item[asAt + 1]) : null;
        out.push({ name, asname, ...this.pos(item[0], item[item.length - 1]) });
      }
      return out;
    };
    if (cs[0].name === 'import') return { type: 'Import', names: aliases(cs.slice(1)), ...P };
    const impAt = cs.findIndex((c) => c.name === 'import');
    let level = 0;
    const modParts: string[] = [];
    for (const c of cs.slice(1, impAt)) {
      if (c.name === '.' && !modParts.length) level++;
      else if (c.name === 'Ellipsis') level += 3;
      else modParts.push(this.text(c));
    }
    const rest = cs.slice(impAt + 1);
    if (rest.length === 1 && rest[0].name === '*') {
      if (this.ctx.fn !== 'module') throw this.syntax(n, 'import * only allowed at module level');
      return { type: 'ImportFrom', module: modParts.join('') || null, names: [{ name: '*', asname: null, ...this.pos(rest[0]) }], level, ...P };
    }
    return { type: 'ImportFrom', module: modParts.join('') || null, names: aliases(rest), level, ...P };
  }

  private ifStmt(cs: SyntaxNode[], i: number): A.If {
    // cs[i] is `if` or `elif`, then the test and the body
    if (cs[i + 1]?.name === 'Body') throw this.syntax(cs[i + 1]);
    const test = this.expr(cs[i + 1]);
    const body = this.body(cs[i + 2]);
    let orelse: A.Stmt[] = [];
    const next = cs[i + 3];
    if (next?.name === 'elif') orelse = [this.ifStmt(cs, i + 3)];
    else if (next?.name === 'else') orelse = this.body(cs[i + 4]);
    const s: A.If = { type: 'If', test, body, orelse, ...this.pos(cs[i], cs[cs.length - 1]) };
    const last = lastChild(s);
    if (last) {
      s.endLine = last.endLine;
      s.endCol = last.endCol;
    }
    return s;
  }

  private forStmt(n: SyntaxNode, cs: SyntaxNode[], P: A.Pos): A.Stmt {
    const isAsync = cs[0].name === 'async';
    let i = isAsync ? 2 : 1;
    const tnodes: SyntaxNode[] = [];
    while (cs[i].name !== 'in') tnodes.push(cs[i++]);
    i++;
    const inodes: SyntaxNode[] = [];
    while (cs[i].name !== 'Body') inodes.push(cs[i++]);
    const target = this.storeTarget(this.exprList(tnodes, 'Load'), 'for');
    const iter = this.exprList(inodes, 'Load');
    const body = this.inLoop(() => this.body(cs[i]));
    const elseAt = cs.findIndex((c) => c.name === 'else');
    const orelse = elseAt >= 0 ? this.body(cs[elseAt + 1]) : [];
    if (isAsync) {
      if (this.ctx.fn !== 'async') throw this.syntax(n, "'async for' outside async function");
      return { type: 'AsyncFor', target, iter, body, orelse, ...P };
    }
    return { type: 'For', target, iter, body, orelse, ...P };
  }

  private tryStmt(cs: SyntaxNode[], P: A.Pos): A.Stmt {
    const body = this.body(cs[1]);
    const handlers: A.ExceptHandler[] = [];
    let orelse: A.Stmt[] = [];
    let finalbody: A.Stmt[] = [];
    let star: boolean | null = null;
    for (let i = 2; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === 'except') {
        let j = i + 1;
        const isStar = cs[j].name === '*';
        if (isStar) j++;
        if (star !== null && star !== isStar) throw this.syntax(c, "cannot have both 'except' and 'except*' on the same 'try'");
        star = isStar;
        let excType: A.Expr | null = null;
        let name: string | null = null;
        if (cs[j].name !== 'Body') {
          excType = this.expr(cs[j]);
          j++;
          if (cs[j].name === ',') throw this.syntax(cs[j], 'multiple exception types must be parenthesized');
          if (cs[j].name === 'as') {
            name = this.text(cs[j + 1]);
            j += 2;
          }
        } else if (isStar) throw this.syntax(cs[j], 'expected one or more exception types');
        const hb = this.body(cs[j]);
        const hp = this.pos(c, cs[j]);
        const hl = hb[hb.length - 1];
        handlers.push({ type: 'ExceptHandler', excType, name, body: hb, ...hp, endLine: hl.endLine, endCol: hl.endCol });
        i = j;
      } else if (c.name === 'else') orelse = this.body(cs[++i]);
      else if (c.name === 'finally') finalbody = this.body(cs[++i]);
    }
    return { type: star ? 'TryStar' : 'Try', body, handlers, orelse, finalbody, ...P };
  }

  private withStmt(n: SyntaxNode, cs: SyntaxNode[], P: A.Pos): A.Stmt {
    const isAsync = cs[0].name === 'async';
    const bodyAt = cs.findIndex((c) => c.name === 'Body');
    const items: A.WithItem[] = [];
    for (const it of splitCommas(cs.slice(isAsync ? 2 : 1, bodyAt)).items) {
      const asAt = it.findIndex((c) => c.name === 'as');
      const contextExpr = this.exprOf(asAt >= 0 ? it.slice(0, asAt) : it, 'Load');
      const optionalVars = asAt >= 0 ? this.storeTarget(this.exprOf(it.slice(asAt + 1), 'Load'), 'with') : null;
      items.push({ contextExpr, optionalVars });
    }
    const body = this.body(cs[bodyAt]);
    if (isAsync) {
      if (this.ctx.fn !== 'async') throw this.syntax(n, "'async with' outside async function");
      return { type: 'AsyncWith', items, body, ...P };
    }
    return { type: 'With', items, body, ...P };
  }

  private decorator(d: SyntaxNode): A.Expr {
    const cs = kids(d).filter((c) => c.name !== 'At');
    let e: A.Expr = { type: 'Name', id: this.text(cs[0]), ctx: 'Load', ...this.pos(cs[0]) };
    for (let i = 1; i < cs.length; i++) {
      if (cs[i].name === '.') {
        e = { type: 'Attribute', value: e, attr: this.text(cs[i + 1]), ctx: 'Load', ...this.pos(cs[0], cs[i + 1]) };
        i++;
      } else if (cs[i].name === 'ArgList') {
        e = this.call(e, cs[i], this.pos(cs[0], cs[i]));
      }
    }
    return e;
  }

  private funcDef(n: SyntaxNode, decorators: A.Expr[]): A.FunctionDef | A.AsyncFunctionDef {
    const cs = kids(n);
    const isAsync = cs[0].name === 'async';
    if (n.getChild('TypeParamList')) throw this.unsupported(n.getChild('TypeParamList')!, 'type parameter lists');
    const name = this.text(n.getChild('VariableName')!);
    const args = this.params(n.getChild('ParamList'), false);
    const retDef = cs.find((c) => c.name === 'TypeDef');
    const returns = retDef ? this.expr(kids(retDef).filter((c) => c.name !== ':')[0]) : null;
    const body = this.inScope(isAsync ? 'async' : 'function', () => this.body(n.getChild('Body')));
    return { type: isAsync ? 'AsyncFunctionDef' : 'FunctionDef', name, args, body, decorators, returns, ...this.pos(n) };
  }

  private classDef(n: SyntaxNode, decorators: A.Expr[]): A.ClassDef {
    if (n.getChild('TypeParamList')) throw this.unsupported(n.getChild('TypeParamList')!, 'type parameter lists');
    const name = this.text(n.getChild('VariableName')!);
    const argList = n.getChild('ArgList');
    const { args, keywords } = argList ? this.args(argList) : { args: [], keywords: [] };
    const body = this.inScope('class', () => this.body(n.getChild('Body')));
    return { type: 'ClassDef', name, bases: args, keywords, body, decorators, ...this.pos(n) };
  }

  /** def and lambda parameter lists (`/` is an anonymous token: found in the source text). */
  private params(list: SyntaxNode | null, lambda: boolean): A.Arguments {
    const out: A.Arguments = { posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kwDefaults: [], kwarg: null, defaults: [] };
    if (!list) return out;
    const cs = kids(list).filter((c) => c.name !== '(' && c.name !== ')');
    const seen = new Set<string>();
    let afterStar = false;
    let bareStar: SyntaxNode | null = null;
    let prevEnd = lambda ? list.from : list.from + 1;
    const arg = (v: SyntaxNode, typeDef: SyntaxNode | null): A.Arg => {
      const name = this.text(v);
      if (seen.has(name)) throw this.syntax(v, `duplicate argument '${name}' in function definition`);
      seen.add(name);
      const annotation = typeDef ? this.expr(kids(typeDef).filter((c) => c.name !== ':')[0]) : null;
      return { arg: name, annotation, ...this.pos(v, typeDef ?? v) };
    };
    for (const item of splitCommas(cs).items) {
      if (!item.length) continue; // `a, /, b`: the `/` is not a node
      const gap = this.src.slice(prevEnd, item[0].from).replace(/#[^\n]*/g, '');
      if (gap.includes('/')) {
        if (out.posonlyargs.length || afterStar) throw this.syntax(item[0], '/ may appear only once');
        out.posonlyargs = out.args;
        out.args = [];
      }
      prevEnd = item[item.length - 1].to;
      if (out.kwarg) throw this.syntax(item[0], 'arguments cannot follow var-keyword argument');
      const first = item[0];
      if (first.name === '*') {
        if (afterStar) throw this.syntax(first, '* argument may appear only once');
        afterStar = true;
        if (item[1]) out.vararg = arg(item[1], item[2]?.name === 'TypeDef' ? item[2] : null);
        else bareStar = first;
      } else if (first.name === '**') {
        out.kwarg = arg(item[1], item[2]?.name === 'TypeDef' ? item[2] : null);
      } else if (first.name === 'VariableName') {
        const typeDef = item[1]?.name === 'TypeDef' ? item[1] : null;
        const eqAt = item.findIndex((c) => c.name === 'AssignOp');
        const a = arg(first, typeDef);
        const dflt = eqAt >= 0 ? this.expr(item[eqAt + 1]) : null;
        if (afterStar) {
          out.kwonlyargs.push(a);
          out.kwDefaults.push(dflt);
        } else {
          if (dflt) out.defaults.push(dflt);
          else if (out.defaults.length) throw this.syntax(first, 'non-default argument follows default argument');
          out.args.push(a);
        }
      } else throw this.syntax(first);
    }
    const tail = this.src.slice(prevEnd, lambda ? list.to : list.to - 1).replace(/#[^\n]*/g, '');
    if (tail.includes('/')) {
      if (out.posonlyargs.length || afterStar) throw this.syntax(prevEnd, '/ may appear only once');
      out.posonlyargs = out.args;
      out.args = [];
    }
    if (bareStar && !out.kwonlyargs.length) throw this.syntax(bareStar, 'named arguments must follow bare *');
    return out;
  }

  // ------------------------------------------------------------------ match

  private matchStmt(n: SyntaxNode, cs: SyntaxNode[], P: A.Pos): A.Match {
    const bodyNode = n.getChild('MatchBody')!;
    const subjectNodes = cs.slice(1, cs.indexOf(bodyNode));
    const subject = this.exprList(subjectNodes, 'Load');
    const cases: A.MatchCase[] = [];
    for (const clause of kids(bodyNode)) {
      if (clause.name !== 'MatchClause') continue;
      const ccs = kids(clause);
      const guardNode = clause.getChild('Guard');
      const bodyAt = ccs.findIndex((c) => c.name === 'Body');
      const patNodes = ccs.slice(1, guardNode ? ccs.indexOf(guardNode) : bodyAt);
      const { items, commas } = splitCommas(patNodes);
      const pattern: A.Pattern = commas > 0
        ? { type: 'MatchSequence', patterns: items.map((it) => this.pattern(it[0])), ...this.pos(patNodes[0], patNodes[patNodes.length - 1]) }
        : this.pattern(items[0][0]);
      const guard = guardNode ? this.expr(kids(guardNode)[1]) : null;
      cases.push({ pattern, guard, body: this.body(ccs[bodyAt]) });
    }
    return { type: 'Match', subject, cases, ...P };
  }

  private pattern(n: SyntaxNode): A.Pattern {
    const P = this.pos(n);
    const cs = kids(n);
    switch (n.name) {
      case 'CapturePattern': {
        const name = this.text(cs[0]);
        return { type: 'MatchAs', pattern: null, name: name === '_' ? null : name, ...P };
      }
      case 'AsPattern': {
        const name = this.text(cs[cs.length - 1]);
        if (name === '_') throw this.syntax(cs[cs.length - 1], "cannot use '_' as a target");
        return { type: 'MatchAs', pattern: this.pattern(cs[0]), name, ...P };
      }
      case 'OrPattern': {
        const alts = cs.filter((c) => c.name !== 'LogicOp');
        const last = alts[alts.length - 1];
        // Lezer binds `as` tighter than `|`; Python's `P | Q as x` is `(P | Q) as x`.
        if (last.name === 'AsPattern') {
          const lk = kids(last);
          const inner = [...alts.slice(0, -1).map((a) => this.pattern(a)), this.pattern(lk[0])];
          const or: A.MatchOr = { type: 'MatchOr', patterns: inner, ...this.pos(n.from, lk[0].to) };
          return { type: 'MatchAs', pattern: or, name: this.text(lk[lk.length - 1]), ...P };
        }
        return { type: 'MatchOr', patterns: alts.map((a) => this.pattern(a)), ...P };
      }
      case 'LiteralPattern': {
        const first = cs[0];
        if (first.name === 'None') return { type: 'MatchSingleton', value: { kind: 'None' }, ...P };
        if (first.name === 'Boolean') return { type: 'MatchSingleton', value: { kind: 'bool', value: this.text(first) === 'True' }, ...P };
        return { type: 'MatchValue', value: this.literalPatternValue(n, cs), ...P };
      }
      case 'AttributePattern':
        return { type: 'MatchValue', value: this.dotted(cs), ...P };
      case 'StarPattern': {
        const inner = cs[1];
        const name = inner.name === 'CapturePattern' ? this.text(kids(inner)[0]) : null;
        if (!name) throw this.syntax(inner);
        return { type: 'MatchStar', name: name === '_' ? null : name, ...P };
      }
      case 'SequencePattern': {
        const { items, commas } = splitCommas(cs.slice(1, -1).filter((x) => !isEmptyClassPatternArg(x)));
        // `(p)` is a group, not a sequence
        if (cs[0].name === '(' && commas === 0 && items.length === 1) return this.pattern(items[0][0]);
        return { type: 'MatchSequence', patterns: items.map((it) => this.pattern(it[0])), ...P };
      }
      case 'MappingPattern': {
        const keys: A.Expr[] = [];
        const patterns: A.Pattern[] = [];
        let rest: string | null = null;
        for (const it of splitCommas(cs.slice(1, -1)).items) {
          if (it[0].name === '**') {
            rest = this.text(kids(it[1])[0]);
            continue;
          }
          const k = it[0];
          keys.push(k.name === 'LiteralPattern' ? this.literalPatternValue(k, kids(k)) : this.expr(k));
          patterns.push(this.pattern(it[2]));
        }
        return { type: 'MatchMapping', keys, patterns, rest, ...P };
      }
      case 'ClassPattern': {
        const clsNode = cs[0];
        const cls = clsNode.name === 'AttributePattern' ? this.dotted(kids(clsNode)) : this.expr(clsNode);
        const patterns: A.Pattern[] = [];
        const kwdAttrs: string[] = [];
        const kwdPatterns: A.Pattern[] = [];
        for (const it of splitCommas(kids(cs[1]).slice(1, -1)).items) {
          if (isEmptyClassPatternArg(it[0])) continue;
          if (it[0].name === 'KeywordPattern') {
            const kc = kids(it[0]);
            kwdAttrs.push(this.text(kc[0]));
            kwdPatterns.push(this.pattern(kc[kc.length - 1]));
          } else {
            if (kwdAttrs.length) throw this.syntax(it[0], 'positional patterns follow keyword patterns');
            patterns.push(this.pattern(it[0]));
          }
        }
        return { type: 'MatchClass', cls, patterns, kwdAttrs, kwdPatterns, ...P };
      }
      default:
        throw this.syntax(n);
    }
  }

  private dotted(cs: SyntaxNode[]): A.Expr {
    let e: A.Expr = { type: 'Name', id: this.text(cs[0]), ctx: 'Load', ...this.pos(cs[0]) };
    for (let i = 1; i < cs.length; i++) {
      if (cs[i].name === '.') continue;
      e = { type: 'Attribute', value: e, attr: this.text(cs[i]), ctx: 'Load', ...this.pos(cs[0], cs[i]) };
    }
    return e;
  }

  private literalPatternValue(n: SyntaxNode, cs: SyntaxNode[]): A.Expr {
    if (cs[0].name === 'String' || cs[0].name === 'ContinuedString') return this.expr(cs[0]);
    // -? Number ((+|-) Number)?
    let i: number;
    let e: A.Expr;
    if (cs[0].name === 'ArithOp') {
      const num = this.expr(cs[1]);
      e = { type: 'UnaryOp', op: '-', operand: num, ...this.pos(cs[0], cs[1]) };
      i = 2;
    } else {
      e = this.expr(cs[0]);
      i = 1;
    }
    if (cs[i]) {
      const right = this.expr(cs[i + 1]);
      e = { type: 'BinOp', left: e, op: this.text(cs[i]) as A.Operator, right, ...this.pos(n) };
    }
    return e;
  }

  // ------------------------------------------------------------------ expressions

  /** A comma list (`a, *b`): one expression, or a Tuple when there is a comma. */
  private exprList(ns: SyntaxNode[], ctx: A.Ctx): A.Expr {
    const { items, commas } = splitCommas(ns);
    if (commas === 0 && items.length === 1) return this.exprOf(items[0], ctx);
    if (!items.length) throw this.syntax(ns[0] ?? 0);
    return { type: 'Tuple', elts: items.map((it) => this.exprOf(it, ctx)), ctx, parenthesized: false, ...this.pos(ns[0], items[items.length - 1][items[items.length - 1].length - 1]) };
  }

  /** One list item: `x` or `* x`. */
  private exprOf(item: SyntaxNode[], ctx: A.Ctx): A.Expr {
    if (item[0].name === '*') {
      const value = this.expr(item[1]);
      return { type: 'Starred', value, ctx, ...this.pos(item[0], item[1]) };
    }
    if (item.length !== 1) throw this.syntax(item[1]);
    return this.expr(item[0]);
  }

  private name(n: SyntaxNode): A.Name {
    return { type: 'Name', id: this.text(n), ctx: 'Load', ...this.pos(n) };
  }

  expr(n: SyntaxNode): A.Expr {
    const P = this.pos(n);
    switch (n.name) {
      case 'VariableName': return this.name(n);
      case 'Number': return { type: 'Constant', value: this.number(n), ...P };
      case 'String': {
        const s = this.stringPiece(n);
        return { type: 'Constant', value: s.bytes ? { kind: 'bytes', value: s.text } : { kind: 'str', value: s.text }, ...P };
      }
      case 'FormatString':
      case 'ContinuedString': return this.strings(n, P);
      case 'None': return { type: 'Constant', value: { kind: 'None' }, ...P };
      case 'Boolean': return { type: 'Constant', value: { kind: 'bool', value: this.text(n) === 'True' }, ...P };
      case 'Ellipsis': return { type: 'Constant', value: { kind: 'Ellipsis' }, ...P };
      case 'ParenthesizedExpression': {
        const inner = kids(n).filter((c) => c.name !== '(' && c.name !== ')');
        if (inner[0].name === '*') throw this.syntax(inner[0], 'cannot use starred expression here');
        if (inner[0].name === 'YieldExpression') return this.yieldExpr(inner[0]);
        return this.expr(inner[0]);
      }
      case 'TupleExpression': {
        const { items } = splitCommas(kids(n).slice(1, -1));
        return { type: 'Tuple', elts: items.map((it) => this.exprOf(it, 'Load')), ctx: 'Load', parenthesized: true, ...P };
      }
      case 'ArrayExpression': {
        const { items } = splitCommas(kids(n).slice(1, -1));
        return { type: 'List', elts: items.map((it) => this.exprOf(it, 'Load')), ctx: 'Load', ...P };
      }
      case 'SetExpression': {
        const { items } = splitCommas(kids(n).slice(1, -1));
        return { type: 'Set', elts: items.map((it) => this.exprOf(it, 'Load')), ...P };
      }
      case 'DictionaryExpression': {
        const keys: (A.Expr | null)[] = [];
        const values: A.Expr[] = [];
        for (const it of splitCommas(kids(n).slice(1, -1)).items) {
          if (it[0].name === '**') {
            keys.push(null);
            values.push(this.expr(it[1]));
          } else {
            keys.push(this.expr(it[0]));
            values.push(this.expr(it[2]));
          }
        }
        return { type: 'Dict', keys, values, ...P };
      }
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
      case 'DictionaryComprehensionExpression':
        return this.comprehension(n.name, kids(n).slice(1, -1), P);
      case 'BinaryExpression': return this.binary(n, P);
      case 'UnaryExpression': {
        const cs = kids(n);
        if (cs[0].name === 'not') {
          const operand = this.expr(cs[1]);
          // Lezer parses `not a or b` as `not (a or b)`: `not` binds tighter than and/or.
          if (operand.type === 'BoolOp' && cs[1].name === 'BinaryExpression') return this.rotateNot(n, operand);
          return { type: 'UnaryOp', op: 'not', operand, ...P };
        }
        return { type: 'UnaryOp', op: this.text(cs[0]) as A.UnaryOperator, operand: this.expr(cs[1]), ...P };
      }
      case 'AwaitExpression': {
        if (this.ctx.fn !== 'async') throw this.syntax(n, this.ctx.fn === 'module' ? "'await' outside function" : "'await' outside async function");
        return { type: 'Await', value: this.expr(kids(n)[1]), ...P };
      }
      case 'ConditionalExpression': {
        const cs = kids(n);
        const body = this.expr(cs[0]);
        return { type: 'IfExp', test: this.expr(cs[2]), body, orelse: this.expr(cs[4]), ...P };
      }
      case 'LambdaExpression': {
        const cs = kids(n);
        const args = this.params(n.getChild('ParamList'), true);
        const body = this.inScope('lambda', () => this.expr(cs[cs.length - 1]));
        return { type: 'Lambda', args, body, ...P };
      }
      case 'CallExpression': {
        const cs = kids(n);
        return this.call(this.expr(cs[0]), cs[1], P);
      }
      case 'MemberExpression': {
        const cs = kids(n);
        const value = this.expr(cs[0]);
        if (cs[1].name === '.') return { type: 'Attribute', value, attr: this.text(cs[2]), ctx: 'Load', ...P };
        return { type: 'Subscript', value, slice: this.subscript(cs.slice(2, -1), cs[cs.length - 1]), ctx: 'Load', ...P };
      }
      case 'NamedExpression': {
        const cs = kids(n);
        const target = this.expr(cs[0]);
        if (target.type !== 'Name' || cs[0].name !== 'VariableName') throw this.syntax(target, `cannot use assignment expressions with ${exprName(target)}`);
        target.ctx = 'Store';
        return { type: 'NamedExpr', target, value: this.expr(cs[2]), ...P };
      }
      case 'YieldExpression': return this.yieldExpr(n);
      default:
        if (n.type.isError) throw this.syntax(n);
        throw this.unsupported(n, n.name);
    }
  }

  /** `not (a or b)` as Lezer groups it → `(not a) or b`, recursively on the left operand. */
  private rotateNot(n: SyntaxNode, op: A.BoolOp): A.Expr {
    const first = op.values[0];
    const neg: A.Expr = first.type === 'BoolOp' && first.line === op.line && first.col === op.col
      ? this.rotateNot(n, first)
      : { type: 'UnaryOp', op: 'not', operand: first, ...this.pos(n.from, this.p.offset(first.endLine, first.endCol)) };
    return { ...op, values: [neg, ...op.values.slice(1)], ...this.pos(n.from, this.p.offset(op.endLine, op.endCol)) };
  }

  private yieldExpr(n: SyntaxNode): A.Yield | A.YieldFrom {
    const P = this.pos(n);
    if (this.ctx.comp) throw this.syntax(n, `'yield' inside ${this.ctx.comp}`);
    if (this.ctx.fn === 'module' || this.ctx.fn === 'class') throw this.syntax(n, "'yield' outside function");
    const cs = kids(n).filter((c) => !c.type.isError);
    if (cs[1]?.name === 'from') {
      if (this.ctx.fn === 'async') throw this.syntax(n, "'yield from' inside async function");
      return { type: 'YieldFrom', value: this.expr(cs[2]), ...P };
    }
    const rest = cs.slice(1);
    return { type: 'Yield', value: rest.length ? this.exprList(rest, 'Load') : null, ...P };
  }

  private binary(n: SyntaxNode, P: A.Pos): A.Expr {
    const cs = kids(n);
    const opNode = cs[1];
    if (opNode.name === 'and' || opNode.name === 'or') {
      const op = opNode.name;
      const values: A.Expr[] = [];
      const left = cs[0];
      if (left.name === 'BinaryExpression' && kids(left)[1].name === op) {
        const l = this.expr(left) as A.BoolOp;
        values.push(...l.values);
      } else values.push(this.expr(left));
      values.push(this.expr(cs[2]));
      return { type: 'BoolOp', op, values, ...P };
    }
    const cmp = this.cmpOp(cs, 1);
    if (cmp) {
      const left = cs[0];
      const right = this.expr(cs[cmp.next]);
      if (left.name === 'BinaryExpression' && this.cmpOp(kids(left), 1)) {
        const l = this.expr(left) as A.Compare;
        return { type: 'Compare', left: l.left, ops: [...l.ops, cmp.op], comparators: [...l.comparators, right], ...P };
      }
      return { type: 'Compare', left: this.expr(left), ops: [cmp.op], comparators: [right], ...P };
    }
    return { type: 'BinOp', left: this.expr(cs[0]), op: this.text(opNode) as A.Operator, right: this.expr(cs[2]), ...P };
  }

  private cmpOp(cs: SyntaxNode[], i: number): { op: A.CmpOp; next: number } | null {
    const c = cs[i];
    switch (c.name) {
      case 'CompareOp': {
        const t = this.text(c);
        if (t === '<>') throw this.syntax(c);
        return { op: t as A.CmpOp, next: i + 1 };
      }
      case 'in': return { op: 'in', next: i + 1 };
      case 'not': return cs[i + 1]?.name === 'in' ? { op: 'not in', next: i + 2 } : null;
      case 'is': return cs[i + 1]?.name === 'not' ? { op: 'is not', next: i + 2 } : { op: 'is', next: i + 1 };
      default: return null;
    }
  }

  private subscript(inner: SyntaxNode[], close: SyntaxNode): A.Expr {
    const { items, commas } = splitCommas(inner);
    const one = (it: SyntaxNode[]): A.Expr => {
      if (!it.some((c) => c.name === ':')) return this.exprOf(it, 'Load');
      const parts: (A.Expr | null)[] = [null];
      for (const c of it) {
        if (c.name === ':') parts.push(null);
        else parts[parts.length - 1] = this.expr(c);
      }
      return { type: 'Slice', lower: parts[0], upper: parts[1] ?? null, step: parts[2] ?? null, ...this.pos(it[0], it[it.length - 1]) };
    };
    if (commas === 0 && items.length === 1) return one(items[0]);
    if (!items.length) throw this.syntax(close);
    return { type: 'Tuple', elts: items.map(one), ctx: 'Load', parenthesized: false, ...this.pos(items[0][0], items[items.length - 1][items[items.length - 1].length - 1]) };
  }

  // ------------------------------------------------------------------ calls and comprehensions

  private call(func: A.Expr, argList: SyntaxNode, P: A.Pos): A.Call {
    const { args, keywords } = this.args(argList);
    return { type: 'Call', func, args, keywords, ...P };
  }

  private args(argList: SyntaxNode): { args: A.Expr[]; keywords: A.Keyword[] } {
    const cs = kids(argList).slice(1, -1);
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    let i = 0;
    let sawKwUnpack = false;
    while (i < cs.length) {
      const c = cs[i];
      if (c.name === '*' || c.name === '**') {
        const value = this.expr(cs[i + 1]);
        const P = this.pos(c, cs[i + 1]);
        if (c.name === '*') {
          if (sawKwUnpack) throw this.syntax(c, 'iterable argument unpacking follows keyword argument unpacking');
          args.push({ type: 'Starred', value, ctx: 'Load', ...P });
        } else {
          sawKwUnpack = true;
          keywords.push({ arg: null, value, ...P });
        }
        i += 2;
      } else if (c.name === 'VariableName' && cs[i + 1]?.name === 'AssignOp') {
        const op = this.text(cs[i + 1]);
        const value = this.expr(cs[i + 2]);
        if (op === ':=') {
          if (keywords.length) throw this.syntax(c, sawKwUnpack ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument');
          const target: A.Name = { ...this.name(c), ctx: 'Store' };
          args.push({ type: 'NamedExpr', target, value, ...this.pos(c, cs[i + 2]) });
        } else keywords.push({ arg: this.text(c), value, ...this.pos(c, cs[i + 2]) });
        i += 3;
      } else {
        let j = i + 1;
        if (cs[j]?.name === 'for' || cs[j]?.name === 'async') {
          // f(x for x in y): the generator expression runs to the next top-level comma
          j = this.compClausesEnd(cs, j);
          const genNodes = cs.slice(i, j);
          const ge = this.comprehension('ComprehensionExpression', genNodes, this.pos(argList));
          args.push(ge);
          if (cs.slice(0, i).some((x) => x.name === ',') || cs.slice(j).some((x) => x.name !== ',')) throw this.syntax(c, 'Generator expression must be parenthesized');
        } else {
          if (keywords.length) throw this.syntax(c.to, sawKwUnpack ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument');
          args.push(this.expr(c));
        }
        i = j;
      }
      if (cs[i]?.name === ',') i++;
      else if (i < cs.length) throw this.syntax(cs[i]);
    }
    return { args, keywords };
  }

  /** Index just past the comprehension clauses that start at cs[j] (`for`/`async`). */
  private compClausesEnd(cs: SyntaxNode[], j: number): number {
    while (j < cs.length) {
      const c = cs[j];
      if (c.name === 'async') j++;
      else if (c.name === 'for') {
        j++;
        while (cs[j].name !== 'in') j++;
        j += 2;
      } else if (c.name === 'if') j += 2;
      else break;
    }
    return j;
  }

  private comprehension(kind: string, cs: SyntaxNode[], P: A.Pos): A.Expr {
    const firstFor = cs.findIndex((c) => c.name === 'for' || c.name === 'async');
    const head = cs.slice(0, firstFor);
    const generators: A.Comprehension[] = [];
    const saved = this.ctx;
    const words = kind === 'ArrayComprehensionExpression' ? 'list comprehension' : kind === 'SetComprehensionExpression' ? 'set comprehension' : kind === 'DictionaryComprehensionExpression' ? 'dict comprehension' : 'generator expression';
    // The first iterable is evaluated in the enclosing scope; the rest in the comprehension's.
    const inComp = <T>(fn: () => T): T => {
      this.ctx = { ...saved, loop: 0, comp: words };
      try {
        return fn();
      } finally {
        this.ctx = saved;
      }
    };
    for (let i = firstFor; i < cs.length; ) {
      let isAsync = false;
      if (cs[i].name === 'async') {
        isAsync = true;
        i++;
      }
      if (cs[i].name === 'for') {
        let j = i + 1;
        const tnodes: SyntaxNode[] = [];
        while (cs[j].name !== 'in') tnodes.push(cs[j++]);
        const target = inComp(() => this.storeTarget(this.exprList(tnodes, 'Load'), 'comp'));
        const iterNode = cs[j + 1];
        const iter = generators.length ? inComp(() => this.expr(iterNode)) : this.expr(iterNode);
        generators.push({ target, iter, ifs: [], isAsync });
        i = j + 2;
      } else if (cs[i].name === 'if') {
        const t = cs[i + 1];
        generators[generators.length - 1].ifs.push(inComp(() => this.expr(t)));
        i += 2;
      } else throw this.syntax(cs[i]);
    }
    if (generators.some((g) => g.isAsync) && saved.fn !== 'async' && kind !== 'ComprehensionExpression') {
      throw this.syntax(P, 'asynchronous comprehension outside of an asynchronous function');
    }
    if (kind === 'DictionaryComprehensionExpression') {
      if (head[0].name === '**') throw this.syntax(head[0], 'dict unpacking cannot be used in dict comprehension');
      const [key, value] = inComp(() => [this.expr(head[0]), this.expr(head[2])]);
      return { type: 'DictComp', key, value, generators, ...P };
    }
    if (head[0].name === '*') throw this.syntax(head[0], 'iterable unpacking cannot be used in comprehension');
    const elt = inComp(() => this.expr(head[0]));
    const type = kind === 'ArrayComprehensionExpression' ? 'ListComp' : kind === 'SetComprehensionExpression' ? 'SetComp' : 'GeneratorExp';
    return { type, elt, generators, ...P };
  }

  // ------------------------------------------------------------------ literals

  private number(n: SyntaxNode): A.ConstantValue {
    const raw = this.text(n);
    const t = raw.replace(/_/g, '');
    if (/[jJ]$/.test(t)) return { kind: 'complex', imag: parseFloat(t.slice(0, -1)) };
    if (/^0[xXoObB]/.test(t)) return { kind: 'int', value: BigInt(t.toLowerCase()) };
    if (/[.eE]/.test(t)) return { kind: 'float', value: parseFloat(t) };
    if (/^0+[1-9]/.test(t)) throw this.syntax(n, 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers');
    return { kind: 'int', value: BigInt(t) };
  }

  /** One plain (non-f) string literal token. */
  private stringPiece(n: SyntaxNode): { text: string; bytes: boolean } {
    const raw = this.text(n);
    const m = /^([rRbBuU]*)('''|"""|'|")/.exec(raw)!;
    const prefix = m[1].toLowerCase();
    const body = raw.slice(m[0].length, raw.length - m[2].length);
    const bytes = prefix.includes('b');
    return { text: prefix.includes('r') ? body : unescape(body, bytes), bytes };
  }

  /** FormatString or ContinuedString: a Constant, or a JoinedStr when an f-string takes part. */
  private strings(n: SyntaxNode, P: A.Pos): A.Expr {
    const parts = n.name === 'ContinuedString' ? kids(n).filter((c) => c.name === 'String' || c.name === 'FormatString') : [n];
    const values: (A.Constant | A.FormattedValue)[] = [];
    let anyF = false;
    let kindBytes: boolean | null = null;
    const pushText = this.textPusher(values);
    for (const part of parts) {
      if (part.name === 'String') {
        const s = this.stringPiece(part);
        if (kindBytes !== null && kindBytes !== s.bytes) throw this.syntax(n.to, 'cannot mix bytes and nonbytes literals');
        kindBytes = s.bytes;
        if (s.bytes) {
          const last = values[values.length - 1] as A.Constant | undefined;
          if (last && last.value.kind === 'bytes') last.value = { kind: 'bytes', value: last.value.value + s.text };
          else values.push({ type: 'Constant', value: { kind: 'bytes', value: s.text }, ...this.pos(part) });
        } else pushText(s.text, part.from, part.to);
        continue;
      }
      if (kindBytes === true) throw this.syntax(n.to, 'cannot mix bytes and nonbytes literals');
      kindBytes = false;
      anyF = true;
      this.fstringPieces(part, values, pushText);
    }
    if (!anyF) {
      const v = values[0] as A.Constant | undefined;
      return { type: 'Constant', value: v ? v.value : { kind: 'str', value: '' }, ...P };
    }
    return { type: 'JoinedStr', values, ...P };
  }

  /** Appends literal text, merging with a preceding str constant (implicit concatenation). */
  private textPusher(values: (A.Constant | A.FormattedValue)[]): TextPusher {
    return (s, from, to) => {
      if (!s) return;
      const last = values[values.length - 1];
      if (last && last.type === 'Constant' && last.value.kind === 'str') {
        last.value = { kind: 'str', value: last.value.value + s };
        const e = this.p.span(to, to);
        last.endLine = e.line;
        last.endCol = e.col;
      } else values.push({ type: 'Constant', value: { kind: 'str', value: s }, ...this.pos(from, to) });
    };
  }

  private fstringPieces(n: SyntaxNode, values: (A.Constant | A.FormattedValue)[], pushText: TextPusher): void {
    const raw = this.text(n);
    const m = /^([rRfFbBuU]*)('''|"""|'|")/.exec(raw)!;
    const isRaw = m[1].toLowerCase().includes('r');
    const start = n.from + m[0].length;
    const end = n.to - m[2].length;
    const lit = (s: string) => (isRaw ? s : unescape(s, false)).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    let pos = start;
    for (const c of kids(n)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > pos) pushText(lit(this.src.slice(pos, c.from)), pos, c.from);
      this.replacement(c, values, pushText);
      pos = c.to;
    }
    if (end > pos) pushText(lit(this.src.slice(pos, end)), pos, end);
  }

  /** `{expr[=][!c][:spec]}` */
  private replacement(c: SyntaxNode, values: (A.Constant | A.FormattedValue)[], pushText: TextPusher): void {
    const rc = kids(c);
    const exprNodes: SyntaxNode[] = [];
    let i = 1;
    while (i < rc.length && !['FormatSelfDoc', 'FormatConversion', 'FormatSpec', '}'].includes(rc[i].name)) exprNodes.push(rc[i++]);
    if (!exprNodes.length) throw this.syntax(c, "f-string: empty expression not allowed");
    const value = exprNodes.length === 1 && exprNodes[0].name === 'YieldExpression' ? this.yieldExpr(exprNodes[0]) : this.exprList(exprNodes, 'Load');
    let conversion: A.FormattedValue['conversion'] = -1;
    let formatSpec: A.JoinedStr | null = null;
    let selfDoc = false;
    for (; i < rc.length; i++) {
      const x = rc[i];
      if (x.name === 'FormatSelfDoc') {
        selfDoc = true;
        // the label is the source text from after `{` through `=`, whitespace included
        const labelEnd = x.nextSibling ? x.nextSibling.from : x.to;
        pushText(this.src.slice(rc[0].to, labelEnd), rc[0].to, labelEnd);
      } else if (x.name === 'FormatConversion') {
        const ch = this.text(x)[1];
        conversion = ch === 's' ? 115 : ch === 'r' ? 114 : 97;
      } else if (x.name === 'FormatSpec') formatSpec = this.formatSpec(x);
    }
    if (selfDoc && conversion === -1 && !formatSpec) conversion = 114;
    values.push({ type: 'FormattedValue', value, conversion, formatSpec, ...this.pos(c) });
  }

  private formatSpec(x: SyntaxNode): A.JoinedStr {
    const values: (A.Constant | A.FormattedValue)[] = [];
    const pushText = this.textPusher(values);
    let pos = x.from + 1;
    for (const c of kids(x)) {
      if (c.name !== 'FormatReplacement') continue;
      if (c.from > pos) pushText(this.src.slice(pos, c.from), pos, c.from);
      this.replacement(c, values, pushText);
      pos = c.to;
    }
    if (x.to > pos) pushText(this.src.slice(pos, x.to), pos, x.to);
    return { type: 'JoinedStr', values, ...this.pos(x) };
  }
}

/** `case C():` / `case []:` / `case ():`: the grammar wants an item and leaves an empty ⚠ pattern. */
function isEmptyClassPatternArg(n: SyntaxNode | null): boolean {
  return !!n && n.name === 'LiteralPattern' && n.from === n.to && (n.parent?.name === 'PatternArgList' || n.parent?.name === 'SequencePattern') && !n.prevSibling?.prevSibling && n.nextSibling?.nextSibling == null;
}

type TextPusher = (s: string, from: number, to: number) => void;

/** The statement a compound statement ends with (CPython's end position is its end). */
function lastChild(s: A.Stmt): A.Pos | null {
  const last = <T>(xs: T[]): T | null => (xs.length ? xs[xs.length - 1] : null);
  switch (s.type) {
    case 'If': case 'For': case 'AsyncFor': case 'While':
      return last(s.orelse) ?? last(s.body);
    case 'With': case 'AsyncWith': case 'FunctionDef': case 'AsyncFunctionDef': case 'ClassDef':
      return last(s.body);
    case 'Try': case 'TryStar':
      return last(s.finalbody) ?? last(s.orelse) ?? last(s.handlers) ?? last(s.body);
    case 'Match': {
      const c = last(s.cases);
      return c ? last(c.body) : null;
    }
    default:
      return null;
  }
}

/** Decodes backslash escapes of a non-raw literal (bytes: no \u, \U or \N). */
export function unescape(s: string, bytes: boolean): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|\r\n|\n|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': return String.fromCharCode(parseInt(e, 8));
      case 'x': return String.fromCharCode(parseInt(e.slice(1), 16));
      case 'u': case 'U': return bytes ? '\\' + e : String.fromCodePoint(parseInt(e.slice(1), 16));
      case 'N': return '\\' + e;
      case '\\': return '\\';
      case "'": return "'";
      case '"': return '"';
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'v': return '\v';
      case '\n': case '\r': return '';
      default: return '\\' + e;
    }
  });
}
