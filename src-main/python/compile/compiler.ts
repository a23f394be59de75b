// The compiler's entry: parse (parse/), build the symbol tables, and compile the module once into
// closures on our own AST. This file wires the parts together (the only one importing them all).
import { parseModule } from '../parse/lower';
import { buildSymtable } from '../parse/symtable';
import type * as A from '../parse/ast';
import type { CodeInfo, Runtime } from '../vm/runtime';
import { C, RETURN } from './context';
import type { Expr } from './context';
import { compileCall } from './calls';
import { compileComprehension } from './comprehensions';
import { compileCond, compileExpr, constValue } from './expressions';
import { compileJoinedStr } from './fstrings';
import { compileLambda, stackEstimate } from './functions';
import { compileGCond, compileGExpr } from './resumable';
import { compileBlock } from './statements';
import { compileGBlock } from './gstatements';
import { compileDelTarget, compileTarget } from './targets';

function expr(c: C, e: A.Expr): Expr {
  switch (e.type) {
    case 'Call': return compileCall(c, e);
    case 'Lambda': return compileLambda(c, e);
    case 'JoinedStr': return compileJoinedStr(c, e);
    case 'ListComp':
    case 'SetComp':
    case 'DictComp':
    case 'GeneratorExp':
      return compileComprehension(c, e);
    default:
      return compileExpr(c, e);
  }
}

function wire(c: C): C {
  c.expr = (e) => expr(c, e);
  c.cond = (e) => compileCond(c, e);
  c.block = (body) => compileBlock(c, body);
  c.target = (e) => compileTarget(c, e);
  c.delTarget = (e) => compileDelTarget(c, e);
  c.gexpr = (e) => compileGExpr(c, e);
  c.gcond = (e) => compileGCond(c, e);
  c.gblock = (body) => compileGBlock(c, body);
  c.constValue = (e, listAsTuple) => constValue(c, e, listAsTuple);
  c.funcBody = (scope, code, body) => {
    if (scope.isGenerator) {
      // the resumable mode: only the statements that contain yield are generator closures
      code.stackSize = stackEstimate(body);
      const g = c.gblock(body);
      code.gen = function* (f) {
        const r = yield* g(f);
        return r === RETURN ? f.ret : f.rt.none();
      };
      return;
    }
    code.stackSize = stackEstimate(body) + 1;
    const b = c.block(body);
    code.run = (f) => (b(f) === RETURN ? f.ret : f.rt.none());
  };
  return c;
}

/** Compiles a module's AST; constants are created in R (co_consts). */
export function compileAst(R: Runtime, mod: A.Module, filename: string): CodeInfo {
  const table = buildSymtable(mod, filename);
  const c = wire(new C(R, filename, table));
  c.scope = table.top;
  const code: CodeInfo = {
    name: '<module>', qualname: '<module>', filename, firstLine: 1,
    params: { names: [], nPositional: 0, nKwOnly: 0, varargs: false, varkw: false },
    nLocals: 0, localNames: [], cellOfLocal: new Map(), nCells: 0, nFree: 0,
    isGenerator: false, isComprehension: false, run: () => 0,
  };
  c.code = code;
  code.stackSize = stackEstimate(mod.body) + 1;
  const body = c.block(mod.body);
  code.run = (f) => {
    body(f);
    return f.rt.none();
  };
  return code;
}

/** Parses and compiles a module (throws CompileError for syntax errors and unsupported constructs). */
export function compileModule(R: Runtime, source: string, filename: string): CodeInfo {
  return compileAst(R, parseModule(source, filename), filename);
}
