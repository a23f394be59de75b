// Symbol tables: which names are local, global, cell (captured) or free in each scope,
// computed once over the lezer tree before compiling (CPython's symtable.c, simplified).
import type { SyntaxNode } from '@lezer/common';

export type ScopeKind = 'module' | 'function' | 'class';

export class Scope {
  assigned = new Set<string>();
  globals = new Set<string>();
  nonlocals = new Set<string>();
  used = new Set<string>();
  children: Scope[] = [];
  params: string[] = [];
  /** Locals captured by an inner scope. */
  cells = new Set<string>();
  /** Names resolved through the closure. */
  frees: string[] = [];
  isGenerator = false;
  hasSuperCall = false;
  constructor(
    readonly kind: ScopeKind,
    readonly node: SyntaxNode,
    readonly parent: Scope | null,
    readonly name: string,
  ) {}

  isLocal(name: string): boolean {
    return this.kind === 'function' && (this.assigned.has(name) || this.params.includes(name)) && !this.globals.has(name) && !this.nonlocals.has(name);
  }
}

const BRACKETS = new Set(['[', ']', '{', '}', '(', ')', ':']);

export function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export class ScopeBuilder {
  readonly byNode = new Map<number, Scope>();
  constructor(private readonly src: string) {}

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  key(n: SyntaxNode): number {
    return n.from * 64 + (n.type.id % 64);
  }

  build(root: SyntaxNode): Scope {
    const mod = new Scope('module', root, null, '<module>');
    this.byNode.set(this.key(root), mod);
    this.visitBlock(root, mod);
    this.resolve(mod);
    return mod;
  }

  private newScope(kind: ScopeKind, n: SyntaxNode, parent: Scope, name: string): Scope {
    const s = new Scope(kind, n, parent, name);
    parent.children.push(s);
    this.byNode.set(this.key(n), s);
    return s;
  }

  private visitBlock(n: SyntaxNode, s: Scope): void {
    for (const c of children(n)) this.visit(c, s);
  }

  /** Marks the names bound by an assignment target. */
  private target(n: SyntaxNode, s: Scope): void {
    switch (n.name) {
      case 'VariableName':
        s.assigned.add(this.text(n));
        return;
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        for (const c of children(n)) this.target(c, s);
        return;
      default:
        this.visit(n, s);
    }
  }

  private params(list: SyntaxNode | null, fn: Scope, outer: Scope): void {
    if (!list) return;
    const cs = children(list);
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === 'VariableName') fn.params.push(this.text(c));
      else if (c.name === 'AssignOp') {
        this.visit(cs[i + 1], outer);
        i++;
      } else if (c.name === 'TypeDef') {
        // annotations are evaluated in the enclosing scope
        this.visitBlock(c, outer);
      }
    }
  }

  private visitComprehension(n: SyntaxNode, s: Scope, name: string): void {
    const kind = name === 'ComprehensionExpression' ? '<genexpr>' : name === 'ArrayComprehensionExpression' ? '<listcomp>' : name === 'DictionaryComprehensionExpression' ? '<dictcomp>' : '<setcomp>';
    const comp = this.newScope('function', n, s, kind);
    comp.params.push('.0');
    if (kind === '<genexpr>') comp.isGenerator = true;
    const cs = children(n);
    // The first iterable is evaluated in the enclosing scope.
    let firstIn = true;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === 'for') {
        let j = i + 1;
        while (cs[j].name !== 'in') this.target(cs[j++], comp);
        const iter = cs[j + 1];
        this.visit(iter, firstIn ? s : comp);
        firstIn = false;
        i = j + 1;
      } else if (c.name === 'if') {
        this.visit(cs[i + 1], comp);
        i++;
      } else if (!BRACKETS.has(c.name)) {
        this.visit(c, comp);
      }
    }
  }

  private visit(n: SyntaxNode, s: Scope): void {
    switch (n.name) {
      case 'FunctionDefinition': {
        const nameNode = n.getChild('VariableName');
        const name = nameNode ? this.text(nameNode) : '<lambda>';
        s.assigned.add(name);
        const fn = this.newScope('function', n, s, name);
        this.params(n.getChild('ParamList'), fn, s);
        const body = n.getChild('Body');
        if (body) this.visitBlock(body, fn);
        return;
      }
      case 'LambdaExpression': {
        const fn = this.newScope('function', n, s, '<lambda>');
        this.params(n.getChild('ParamList'), fn, s);
        const cs = children(n);
        this.visit(cs[cs.length - 1], fn);
        return;
      }
      case 'ClassDefinition': {
        const nameNode = n.getChild('VariableName')!;
        s.assigned.add(this.text(nameNode));
        const args = n.getChild('ArgList');
        if (args) this.visitBlock(args, s);
        const cls = this.newScope('class', n, s, this.text(nameNode));
        const body = n.getChild('Body');
        if (body) this.visitBlock(body, cls);
        return;
      }
      case 'ArrayComprehensionExpression':
      case 'DictionaryComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression':
        this.visitComprehension(n, s, n.name);
        return;
      case 'VariableName':
        s.used.add(this.text(n));
        return;
      case 'ScopeStatement': {
        const isGlobal = n.firstChild?.name === 'global';
        for (const c of children(n)) {
          if (c.name === 'VariableName') (isGlobal ? s.globals : s.nonlocals).add(this.text(c));
        }
        return;
      }
      case 'AssignStatement': {
        const cs = children(n);
        const lastOp = cs.map((c) => c.name).lastIndexOf('AssignOp');
        for (let i = 0; i < cs.length; i++) {
          if (i < lastOp && cs[i].name !== 'AssignOp' && cs[i].name !== ',' && cs[i].name !== '*') this.target(cs[i], s);
          else if (i > lastOp) this.visit(cs[i], s);
          else if (cs[i].name === 'TypeDef') this.visitBlock(cs[i], s);
        }
        return;
      }
      case 'UpdateStatement': {
        const cs = children(n);
        this.target(cs[0], s);
        if (cs[0].name === 'VariableName') s.used.add(this.text(cs[0]));
        for (let i = 1; i < cs.length; i++) this.visit(cs[i], s);
        return;
      }
      case 'ForStatement': {
        const cs = children(n);
        let i = 1;
        while (cs[i].name !== 'in') {
          if (cs[i].name !== ',') this.target(cs[i], s);
          i++;
        }
        for (i = i + 1; i < cs.length; i++) this.visit(cs[i], s);
        return;
      }
      case 'WithStatement':
      case 'TryStatement': {
        const cs = children(n);
        for (let i = 0; i < cs.length; i++) {
          if (cs[i].name === 'as') {
            this.target(cs[i + 1], s);
            i++;
          } else this.visit(cs[i], s);
        }
        return;
      }
      case 'ImportStatement': {
        const cs = children(n);
        const isFrom = cs[0].name === 'from';
        if (!isFrom) {
          for (let i = 0; i < cs.length; i++) {
            if (cs[i].name === 'VariableName') {
              if (cs[i + 1]?.name === 'as') {
                s.assigned.add(this.text(cs[i + 2]));
                i += 2;
              } else {
                s.assigned.add(this.text(cs[i]));
                while (cs[i + 1]?.name === '.') i += 2;
              }
            }
          }
        } else {
          const imp = cs.findIndex((c) => c.name === 'import');
          for (let i = imp + 1; i < cs.length; i++) {
            if (cs[i].name === 'VariableName') {
              if (cs[i + 1]?.name === 'as') {
                s.assigned.add(this.text(cs[i + 2]));
                i += 2;
              } else s.assigned.add(this.text(cs[i]));
            }
          }
        }
        return;
      }
      case 'DeleteStatement':
        for (const c of children(n)) this.target(c, s);
        return;
      case 'YieldStatement':
      case 'YieldExpression':
        s.isGenerator = true;
        this.visitBlock(n, s);
        return;
      case 'CallExpression': {
        const callee = n.firstChild;
        if (callee && callee.name === 'VariableName' && this.text(callee) === 'super') s.hasSuperCall = true;
        this.visitBlock(n, s);
        return;
      }
      case 'MemberExpression': {
        const cs = children(n);
        this.visit(cs[0], s);
        for (let i = 1; i < cs.length; i++) if (cs[i].name !== 'PropertyName') this.visit(cs[i], s);
        return;
      }
      case 'ArgList': {
        const cs = children(n);
        if (cs.some((c) => c.name === 'for')) {
          this.visitComprehension(n, s, 'ComprehensionExpression');
          return;
        }
        for (let i = 0; i < cs.length; i++) {
          if (cs[i].name === 'VariableName' && cs[i + 1]?.name === 'AssignOp') {
            i++;
            continue;
          }
          this.visit(cs[i], s);
        }
        return;
      }
      default:
        for (let c = n.firstChild; c; c = c.nextSibling) this.visit(c, s);
    }
  }

  /** Resolve free variables (bottom-up) and mark captured locals as cells. */
  private resolve(s: Scope): void {
    for (const c of s.children) this.resolve(c);
    if (s.kind === 'module') return;
    const wanted = new Set<string>();
    for (const n of s.used) if (!s.isLocal(n) && !s.globals.has(n) && !(s.kind === 'class' && s.assigned.has(n))) wanted.add(n);
    for (const n of s.nonlocals) wanted.add(n);
    for (const c of s.children) for (const f of c.frees) if (!s.isLocal(f) || s.kind === 'class') wanted.add(f);
    for (const name of wanted) {
      // Skip class scopes: their names are not visible to nested functions.
      let p = s.parent;
      while (p && p.kind === 'class') p = p.parent;
      let found = false;
      for (let q = p; q && q.kind !== 'module'; q = q.parent) {
        if (q.kind === 'class') continue;
        if (q.isLocal(name)) {
          found = true;
          break;
        }
        if (q.globals.has(name)) break;
      }
      if (found && !s.frees.includes(name)) s.frees.push(name);
    }
    for (const c of s.children) for (const f of c.frees) if (s.isLocal(f) && s.kind === 'function') s.cells.add(f);
    // frees passed through this scope for a child must be free here too
  }
}
