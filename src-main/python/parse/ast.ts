// Our own Python AST, modeled on CPython's Parser/Python.asdl (3.11-3.13). Produced by
// lower.ts from Lezer's tree; everything after parsing (symtable, compiler) reads only this.
// Positions are CPython's: `line`/`endLine` 1-based, `col`/`endCol` 0-based (UTF-16 units);
// messages print `col + 1`, as the app's file:line:col always has.

export interface Pos {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

// ------------------------------------------------------------------ module and statements

export interface Module extends Pos {
  type: 'Module';
  body: Stmt[];
}

export type Stmt =
  | FunctionDef
  | AsyncFunctionDef
  | ClassDef
  | Return
  | Delete
  | Assign
  | AugAssign
  | AnnAssign
  | For
  | AsyncFor
  | While
  | If
  | With
  | AsyncWith
  | Match
  | Raise
  | Try
  | TryStar
  | Assert
  | Import
  | ImportFrom
  | Global
  | Nonlocal
  | ExprStmt
  | Pass
  | Break
  | Continue;

interface FunctionLike extends Pos {
  name: string;
  args: Arguments;
  body: Stmt[];
  decorators: Expr[];
  returns: Expr | null;
}
export interface FunctionDef extends FunctionLike {
  type: 'FunctionDef';
}
export interface AsyncFunctionDef extends FunctionLike {
  type: 'AsyncFunctionDef';
}
export interface ClassDef extends Pos {
  type: 'ClassDef';
  name: string;
  bases: Expr[];
  keywords: Keyword[];
  body: Stmt[];
  decorators: Expr[];
}
export interface Return extends Pos {
  type: 'Return';
  value: Expr | null;
}
export interface Delete extends Pos {
  type: 'Delete';
  targets: Expr[];
}
/** `a = b = value`: targets in source order. */
export interface Assign extends Pos {
  type: 'Assign';
  targets: Expr[];
  value: Expr;
}
export interface AugAssign extends Pos {
  type: 'AugAssign';
  target: Name | Attribute | Subscript;
  op: Operator;
  value: Expr;
}
export interface AnnAssign extends Pos {
  type: 'AnnAssign';
  target: Expr;
  annotation: Expr;
  value: Expr | null;
  /** 1 for a plain name target (not parenthesized), as in CPython. */
  simple: boolean;
}
interface ForLike extends Pos {
  target: Expr;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface For extends ForLike {
  type: 'For';
}
export interface AsyncFor extends ForLike {
  type: 'AsyncFor';
}
export interface While extends Pos {
  type: 'While';
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface If extends Pos {
  type: 'If';
  test: Expr;
  body: Stmt[];
  /** `elif` is a nested If in orelse, as in CPython. */
  orelse: Stmt[];
}
export interface WithItem {
  contextExpr: Expr;
  optionalVars: Expr | null;
}
export interface With extends Pos {
  type: 'With';
  items: WithItem[];
  body: Stmt[];
}
export interface AsyncWith extends Pos {
  type: 'AsyncWith';
  items: WithItem[];
  body: Stmt[];
}
export interface MatchCase {
  pattern: Pattern;
  guard: Expr | null;
  body: Stmt[];
}
export interface Match extends Pos {
  type: 'Match';
  subject: Expr;
  cases: MatchCase[];
}
export interface Raise extends Pos {
  type: 'Raise';
  exc: Expr | null;
  cause: Expr | null;
}
export interface ExceptHandler extends Pos {
  type: 'ExceptHandler';
  excType: Expr | null;
  name: string | null;
  body: Stmt[];
}
export interface Try extends Pos {
  type: 'Try';
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}
export interface TryStar extends Pos {
  type: 'TryStar';
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}
export interface Assert extends Pos {
  type: 'Assert';
  test: Expr;
  msg: Expr | null;
}
export interface Alias extends Pos {
  /** Dotted for `import a.b`; `*` for `from m import *`. */
  name: string;
  asname: string | null;
}
export interface Import extends Pos {
  type: 'Import';
  names: Alias[];
}
export interface ImportFrom extends Pos {
  type: 'ImportFrom';
  module: string | null;
  names: Alias[];
  /** Number of leading dots (relative import). */
  level: number;
}
export interface Global extends Pos {
  type: 'Global';
  names: string[];
}
export interface Nonlocal extends Pos {
  type: 'Nonlocal';
  names: string[];
}
/** CPython's `Expr` statement (renamed: `Expr` is the expression union here). */
export interface ExprStmt extends Pos {
  type: 'Expr';
  value: Expr;
}
export interface Pass extends Pos {
  type: 'Pass';
}
export interface Break extends Pos {
  type: 'Break';
}
export interface Continue extends Pos {
  type: 'Continue';
}

// ------------------------------------------------------------------ expressions

export type Expr =
  | BoolOp
  | NamedExpr
  | BinOp
  | UnaryOp
  | Lambda
  | IfExp
  | Dict
  | SetExpr
  | ListComp
  | SetComp
  | DictComp
  | GeneratorExp
  | Await
  | Yield
  | YieldFrom
  | Compare
  | Call
  | FormattedValue
  | JoinedStr
  | Constant
  | Attribute
  | Subscript
  | Starred
  | Name
  | List
  | Tuple
  | Slice;

export type Ctx = 'Load' | 'Store' | 'Del';
export type Operator = '+' | '-' | '*' | '@' | '/' | '%' | '**' | '<<' | '>>' | '|' | '^' | '&' | '//';
export type UnaryOperator = 'not' | '-' | '+' | '~';
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in';

export interface BoolOp extends Pos {
  type: 'BoolOp';
  op: 'and' | 'or';
  /** Flattened: `a and b and c` has three values. */
  values: Expr[];
}
export interface NamedExpr extends Pos {
  type: 'NamedExpr';
  target: Name;
  value: Expr;
}
export interface BinOp extends Pos {
  type: 'BinOp';
  left: Expr;
  op: Operator;
  right: Expr;
}
export interface UnaryOp extends Pos {
  type: 'UnaryOp';
  op: UnaryOperator;
  operand: Expr;
}
export interface Lambda extends Pos {
  type: 'Lambda';
  args: Arguments;
  body: Expr;
}
export interface IfExp extends Pos {
  type: 'IfExp';
  test: Expr;
  body: Expr;
  orelse: Expr;
}
export interface Dict extends Pos {
  type: 'Dict';
  /** null key: `**value` unpacking. */
  keys: (Expr | null)[];
  values: Expr[];
}
/** CPython's `Set` (renamed to keep JS's Set usable). */
export interface SetExpr extends Pos {
  type: 'Set';
  elts: Expr[];
}
export interface Comprehension {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
  isAsync: boolean;
}
export interface ListComp extends Pos {
  type: 'ListComp';
  elt: Expr;
  generators: Comprehension[];
}
export interface SetComp extends Pos {
  type: 'SetComp';
  elt: Expr;
  generators: Comprehension[];
}
export interface DictComp extends Pos {
  type: 'DictComp';
  key: Expr;
  value: Expr;
  generators: Comprehension[];
}
export interface GeneratorExp extends Pos {
  type: 'GeneratorExp';
  elt: Expr;
  generators: Comprehension[];
}
export interface Await extends Pos {
  type: 'Await';
  value: Expr;
}
export interface Yield extends Pos {
  type: 'Yield';
  value: Expr | null;
}
export interface YieldFrom extends Pos {
  type: 'YieldFrom';
  value: Expr;
}
export interface Compare extends Pos {
  type: 'Compare';
  left: Expr;
  ops: CmpOp[];
  comparators: Expr[];
}
export interface Keyword extends Pos {
  /** null: `**mapping`. */
  arg: string | null;
  value: Expr;
}
export interface Call extends Pos {
  type: 'Call';
  func: Expr;
  /** Positional arguments, `*x` as Starred. */
  args: Expr[];
  keywords: Keyword[];
}
/** Conversion: -1 none, 's', 'r', 'a' as in CPython's char codes (115, 114, 97). */
export interface FormattedValue extends Pos {
  type: 'FormattedValue';
  value: Expr;
  conversion: -1 | 115 | 114 | 97;
  formatSpec: JoinedStr | null;
}
export interface JoinedStr extends Pos {
  type: 'JoinedStr';
  values: (Constant | FormattedValue)[];
}

export type ConstantValue =
  | { kind: 'None' }
  | { kind: 'Ellipsis' }
  | { kind: 'bool'; value: boolean }
  /** Exact: `2**100` and 20-digit literals stay exact here. */
  | { kind: 'int'; value: bigint }
  | { kind: 'float'; value: number }
  | { kind: 'complex'; imag: number }
  | { kind: 'str'; value: string }
  /** Bytes as a string of code units 0..255. */
  | { kind: 'bytes'; value: string };

export interface Constant extends Pos {
  type: 'Constant';
  value: ConstantValue;
}
export interface Attribute extends Pos {
  type: 'Attribute';
  value: Expr;
  attr: string;
  ctx: Ctx;
}
export interface Subscript extends Pos {
  type: 'Subscript';
  value: Expr;
  /** An expression, a Slice, or a Tuple of them (`a[1:2, 3]`). */
  slice: Expr;
  ctx: Ctx;
}
export interface Starred extends Pos {
  type: 'Starred';
  value: Expr;
  ctx: Ctx;
}
export interface Name extends Pos {
  type: 'Name';
  id: string;
  ctx: Ctx;
}
export interface List extends Pos {
  type: 'List';
  elts: Expr[];
  ctx: Ctx;
}
export interface Tuple extends Pos {
  type: 'Tuple';
  elts: Expr[];
  ctx: Ctx;
  /** Written with parentheses (a parenthesized target is not `simple` in AnnAssign). */
  parenthesized: boolean;
}
export interface Slice extends Pos {
  type: 'Slice';
  lower: Expr | null;
  upper: Expr | null;
  step: Expr | null;
}

// ------------------------------------------------------------------ parameters

export interface Arg extends Pos {
  arg: string;
  annotation: Expr | null;
}
export interface Arguments {
  posonlyargs: Arg[];
  args: Arg[];
  vararg: Arg | null;
  kwonlyargs: Arg[];
  /** One per kwonly arg, null where it has no default. */
  kwDefaults: (Expr | null)[];
  kwarg: Arg | null;
  /** Defaults of the last positional (posonly + regular) parameters. */
  defaults: Expr[];
}

// ------------------------------------------------------------------ patterns (match)

export type Pattern =
  | MatchValue
  | MatchSingleton
  | MatchSequence
  | MatchMapping
  | MatchClass
  | MatchStar
  | MatchAs
  | MatchOr;

export interface MatchValue extends Pos {
  type: 'MatchValue';
  value: Expr;
}
export interface MatchSingleton extends Pos {
  type: 'MatchSingleton';
  value: ConstantValue;
}
export interface MatchSequence extends Pos {
  type: 'MatchSequence';
  patterns: Pattern[];
}
export interface MatchMapping extends Pos {
  type: 'MatchMapping';
  keys: Expr[];
  patterns: Pattern[];
  rest: string | null;
}
export interface MatchClass extends Pos {
  type: 'MatchClass';
  cls: Expr;
  patterns: Pattern[];
  kwdAttrs: string[];
  kwdPatterns: Pattern[];
}
export interface MatchStar extends Pos {
  type: 'MatchStar';
  name: string | null;
}
/** `case x`, `case _` (pattern and name null), `case P() as x`. */
export interface MatchAs extends Pos {
  type: 'MatchAs';
  pattern: Pattern | null;
  name: string | null;
}
export interface MatchOr extends Pos {
  type: 'MatchOr';
  patterns: Pattern[];
}

export type Node = Module | Stmt | Expr | Pattern | ExceptHandler;

/** Names of the statement and expression kinds (for tests and tools). */
export type StmtType = Stmt['type'];
export type ExprType = Expr['type'];
