// The compiler's shared state and the types of what it produces. Every compile/ file takes a
// `C` and reaches the other parts through its dispatch methods (wired once in compiler.ts), so
// the parts never import each other. Expressions compile to closures returning NEW references;
// statements to closures returning a completion code. Code that contains yield/await also gets a
// resumable form (generator closures, resumable.ts) for exactly the nodes that contain them.
import { CompileError } from '../errors';
import type { Frame } from '../vm/runtime';
import type { Runtime, CodeInfo, Id, ClassInfo } from '../vm/runtime';
import type * as A from '../parse/ast';
import type { Scope, SymbolTable } from '../parse/symtable';

export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;

export type Expr = (f: Frame) => Id;
export type Cond = (f: Frame) => boolean;
export type Stmt = (f: Frame) => number;
export type Store = (f: Frame, v: Id) => void;
export type Del = (f: Frame) => void;
/** Resumable forms: generators that yield values out and get sent values back. */
export type GExpr = (f: Frame) => Generator<Id, Id, Id>;
export type GCond = (f: Frame) => Generator<Id, boolean, Id>;
export type GStmt = (f: Frame) => Generator<Id, number, Id>;
export type GStore = (f: Frame, v: Id) => Generator<Id, void, Id>;

export interface ClassHolder {
  cls: ClassInfo | null;
  /** The implicit __class__ cell while the class body runs (0 when none is needed). */
  cell: Id;
}

export interface ArgSpec {
  pos: { expr: Expr; star: boolean }[];
  kw: { name: string; expr: Expr }[];
  starstar: Expr[];
  simple: boolean;
}

/** The compiler: state plus the dispatchers that connect the parts (set in compiler.ts). */
export class C {
  /** Constants are created once and kept alive by the compiled code (co_consts). */
  readonly constants: Id[] = [];
  scope!: Scope;
  code!: CodeInfo;
  localIndex = new Map<string, number>();
  cellIndex = new Map<string, number>();
  classStack: { holder: ClassHolder }[] = [];

  // ---- dispatchers (compiler.ts) ----
  expr!: (e: A.Expr) => Expr;
  cond!: (e: A.Expr) => Cond;
  block!: (body: A.Stmt[]) => Stmt;
  target!: (e: A.Expr) => Store;
  delTarget!: (e: A.Expr) => Del;
  /** Resumable forms (a plain node is lifted; only nodes containing yield/await compile anew). */
  gexpr!: (e: A.Expr) => GExpr;
  gcond!: (e: A.Expr) => GCond;
  gblock!: (body: A.Stmt[]) => GStmt;
  /** Function, lambda and comprehension bodies (functions.ts, comprehensions.ts). */
  funcBody!: (scope: Scope, code: CodeInfo, body: A.Stmt[]) => void;
  constValue!: (e: A.Expr, listAsTuple?: boolean) => Id | null;

  constructor(
    /** The runtime that owns the constants created while compiling. */
    readonly R: Runtime,
    readonly filename: string,
    readonly symtable: SymbolTable,
  ) {}

  keep(id: Id): Id {
    this.constants.push(id);
    return id;
  }

  unsupported(at: A.Pos, what: string): CompileError {
    const loc = { filename: this.filename, line: at.line, col: at.col + 1 };
    return new CompileError('unsupported', `not supported yet: ${what} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  syntax(at: A.Pos, msg = 'invalid syntax'): CompileError {
    const loc = { filename: this.filename, line: at.line, col: at.col + 1 };
    return new CompileError('syntax', `SyntaxError: ${msg} at ${loc.filename}:${loc.line}:${loc.col}`, loc);
  }

  /** Runs `fn` inside the scope a node opened, restoring the enclosing state afterwards. */
  enterScope<T>(node: Parameters<SymbolTable['scopeOf']>[0], fn: (scope: Scope) => T): T {
    const saved = { scope: this.scope, code: this.code, li: this.localIndex, ci: this.cellIndex };
    const scope = this.symtable.scopeOf(node);
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
}

/** Releases ids[from..to) (zeros are skipped). */
export function releaseAll(R: Runtime, ids: Id[], from = 0, to = ids.length): void {
  for (let i = from; i < to; i++) if (ids[i]) R.decref(ids[i]);
}
