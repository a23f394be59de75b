// The execution-model experiment behind docs/execution-model.md: the same four small programs run
// by closures compiled from a tree (the front end's model) and by a compact stack bytecode with a
// switch dispatch loop and an inline cache for attribute loads, both over the same simulated heap
// (boxed ints with refcounts, freed to a free list), so that only the dispatch model differs.
// Prints `exec_closures_NAME`, `exec_bytecode_NAME` and `ratio exec_bytecode_vs_closures_NAME`
// (above 1: bytecode slower).

/** A minimal refcounted heap of boxed numbers: what every operation pays in both models. */
class MiniHeap {
  value = new Float64Array(1 << 16);
  refcnt = new Int32Array(1 << 16);
  free: number[] = [];
  next = 1;
  box(v: number): number {
    const id = this.free.length ? this.free.pop()! : this.next++;
    this.value[id] = v;
    this.refcnt[id] = 1;
    return id;
  }
  incref(id: number): void {
    this.refcnt[id]++;
  }
  decref(id: number): void {
    if (--this.refcnt[id] === 0) this.free.push(id);
  }
}

// ------------------------------------------------------------------ the programs, as trees

type Node =
  | { k: 'const'; v: number }
  | { k: 'load'; slot: number }
  | { k: 'store'; slot: number; e: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '%'; a: Node; b: Node }
  | { k: 'if'; c: Node; t: Node[]; e: Node[] }
  | { k: 'for'; slot: number; n: Node; body: Node[] }
  | { k: 'call2'; fn: Node[]; argSlots: [number, number]; a: Node; b: Node; ret: Node }
  | { k: 'getattr'; obj: number; name: string }
  | { k: 'setattr'; obj: number; name: string; e: Node }
  | { k: 'yield'; e: Node };

const c = (v: number): Node => ({ k: 'const', v });
const ld = (slot: number): Node => ({ k: 'load', slot });

function programs(n: number): Record<string, { body: Node[]; result: number }> {
  // total = 0; for i in range(n): if i % 3: total = total + i * 2 else: total = total - 1
  const loop: Node[] = [
    { k: 'store', slot: 0, e: c(0) },
    { k: 'for', slot: 1, n: c(n), body: [
      { k: 'if', c: { k: 'bin', op: '%', a: ld(1), b: c(3) },
        t: [{ k: 'store', slot: 0, e: { k: 'bin', op: '+', a: ld(0), b: { k: 'bin', op: '*', a: ld(1), b: c(2) } } }],
        e: [{ k: 'store', slot: 0, e: { k: 'bin', op: '-', a: ld(0), b: c(1) } }] },
    ] },
  ];
  // def f(a, b): return a + b ... x = 0; for i in range(n): x = f(i, x) % 1000003
  const calls: Node[] = [
    { k: 'store', slot: 0, e: c(0) },
    { k: 'for', slot: 1, n: c(n), body: [
      { k: 'store', slot: 0, e: { k: 'bin', op: '%', b: c(1000003),
        a: { k: 'call2', fn: [], argSlots: [2, 3], a: ld(1), b: ld(0), ret: { k: 'bin', op: '+', a: ld(2), b: ld(3) } } } },
    ] },
  ];
  // o.x = 0; for i in range(n): o.x = o.x + i % 7
  const attrs: Node[] = [
    { k: 'setattr', obj: 0, name: 'x', e: c(0) },
    { k: 'for', slot: 1, n: c(n), body: [
      { k: 'setattr', obj: 0, name: 'x', e: { k: 'bin', op: '+', a: { k: 'getattr', obj: 0, name: 'x' }, b: { k: 'bin', op: '%', a: ld(1), b: c(7) } } },
    ] },
  ];
  // def g(n): for i in range(n): yield i * 2   — consumed by a sum in the host
  const gen: Node[] = [{ k: 'for', slot: 1, n: c(n), body: [{ k: 'yield', e: { k: 'bin', op: '*', a: ld(1), b: c(2) } }] }];
  let t = 0;
  for (let i = 0; i < n; i++) t = i % 3 ? t + i * 2 : t - 1;
  let x = 0;
  for (let i = 0; i < n; i++) x = (i + x) % 1000003;
  let o = 0;
  for (let i = 0; i < n; i++) o += i % 7;
  return { loop: { body: loop, result: t }, calls: { body: calls, result: x }, attrs: { body: attrs, result: o }, gen: { body: gen, result: n * (n - 1) } };
}

/** An object with a shape (keys → slot) so both models pay a lookup; the bytecode caches it. */
class MiniObject {
  shape = new Map<string, number>();
  slots: number[] = [];
}

function binop(h: MiniHeap, op: string, a: number, b: number): number {
  const x = h.value[a], y = h.value[b];
  h.decref(a);
  h.decref(b);
  switch (op) {
    case '+': return h.box(x + y);
    case '-': return h.box(x - y);
    case '*': return h.box(x * y);
    default: return h.box(x % y);
  }
}

// ------------------------------------------------------------------ model 1: closures

interface CFrame { locals: number[]; obj: MiniObject }
type CExpr = (f: CFrame) => number;
type CStmt = (f: CFrame) => void;
type GStmt = (f: CFrame) => Generator<number, void, void>;

function closureCompiler(h: MiniHeap) {
  const expr = (n: Node): CExpr => {
    switch (n.k) {
      case 'const': { const v = n.v; return () => h.box(v); }
      case 'load': { const s = n.slot; return (f) => { const id = f.locals[s]; h.incref(id); return id; }; }
      case 'bin': {
        const a = expr(n.a), b = expr(n.b), op = n.op;
        if (op === '+') return (f) => { const x = a(f), y = b(f); const r = h.box(h.value[x] + h.value[y]); h.decref(x); h.decref(y); return r; };
        return (f) => binop(h, op, a(f), b(f));
      }
      case 'call2': {
        const a = expr(n.a), b = expr(n.b), ret = expr(n.ret);
        const [sa, sb] = n.argSlots;
        return (f) => {
          const callee: CFrame = { locals: [0, 0, a(f), b(f)], obj: f.obj };
          const r = ret(callee);
          h.decref(callee.locals[sa]);
          h.decref(callee.locals[sb]);
          return r;
        };
      }
      case 'getattr': { const name = n.name; return (f) => { const id = f.obj.slots[f.obj.shape.get(name)!]; h.incref(id); return id; }; }
      default: throw new Error(`not an expression: ${n.k}`);
    }
  };
  const stmt = (n: Node): CStmt => {
    switch (n.k) {
      case 'store': { const e = expr(n.e), s = n.slot; return (f) => { const v = e(f); const old = f.locals[s]; f.locals[s] = v; if (old) h.decref(old); }; }
      case 'setattr': {
        const e = expr(n.e), name = n.name;
        return (f) => {
          const v = e(f);
          let slot = f.obj.shape.get(name);
          if (slot === undefined) { slot = f.obj.slots.length; f.obj.shape.set(name, slot); f.obj.slots.push(0); }
          const old = f.obj.slots[slot];
          f.obj.slots[slot] = v;
          if (old) h.decref(old);
        };
      }
      case 'if': {
        const cnd = expr(n.c), t = block(n.t), e = block(n.e);
        return (f) => { const v = cnd(f); const truth = h.value[v] !== 0; h.decref(v); if (truth) t(f); else e(f); };
      }
      case 'for': {
        const lim = expr(n.n), s = n.slot, body = block(n.body);
        return (f) => {
          const nid = lim(f); const end = h.value[nid]; h.decref(nid);
          for (let i = 0; i < end; i++) { const old = f.locals[s]; f.locals[s] = h.box(i); if (old) h.decref(old); body(f); }
        };
      }
      default: { const e = expr(n); return (f) => h.decref(e(f)); }
    }
  };
  const block = (nodes: Node[]): CStmt => {
    const ss = nodes.map(stmt);
    if (ss.length === 1) return ss[0]!;
    return (f) => { for (let i = 0; i < ss.length; i++) ss[i]!(f); };
  };
  // The resumable mode: generator closures for the statements on the path to a yield.
  const gstmt = (n: Node): GStmt => {
    if (n.k === 'for') {
      const lim = expr(n.n), s = n.slot, body = n.body.map(gstmt);
      return function* (f) {
        const nid = lim(f); const end = h.value[nid]; h.decref(nid);
        for (let i = 0; i < end; i++) {
          const old = f.locals[s]; f.locals[s] = h.box(i); if (old) h.decref(old);
          for (const b of body) yield* b(f);
        }
      };
    }
    if (n.k === 'yield') { const e = expr(n.e); return function* (f) { yield e(f); }; }
    const plain = stmt(n);
    // eslint-disable-next-line require-yield
    return function* (f) { plain(f); };
  };
  return { block, gstmt };
}

function runClosures(h: MiniHeap, p: { body: Node[] }, name: string): number {
  const cc = closureCompiler(h);
  const f: CFrame = { locals: [0, 0, 0, 0], obj: new MiniObject() };
  if (name === 'gen') {
    const g = p.body.map(cc.gstmt);
    let sum = 0;
    for (const s of g) for (const v of s(f)) { sum += h.value[v]; h.decref(v); }
    return sum;
  }
  cc.block(p.body)(f);
  if (name === 'attrs') return h.value[f.obj.slots[0]!];
  return h.value[f.locals[0]!];
}

// ------------------------------------------------------------------ model 2: stack bytecode

const enum Op { CONST, LOAD, STORE, BIN_ADD, BIN_SUB, BIN_MUL, BIN_MOD, JUMP_IF_FALSE, JUMP, FOR_RANGE_INIT, FOR_RANGE_NEXT, CALL2, RET, LOAD_ATTR, STORE_ATTR, YIELD, POP, HALT }

interface Code { ops: Int32Array; consts: number[]; names: string[]; callees: Code[]; argSlots: [number, number][] }

function assemble(body: Node[]): Code {
  const ops: number[] = [];
  const consts: number[] = [];
  const names: string[] = [];
  const callees: Code[] = [];
  const argSlots: [number, number][] = [];
  const emit = (...xs: number[]): void => { ops.push(...xs); };
  const ex = (n: Node): void => {
    switch (n.k) {
      case 'const': emit(Op.CONST, consts.push(n.v) - 1); break;
      case 'load': emit(Op.LOAD, n.slot); break;
      case 'bin': ex(n.a); ex(n.b); emit({ '+': Op.BIN_ADD, '-': Op.BIN_SUB, '*': Op.BIN_MUL, '%': Op.BIN_MOD }[n.op]); break;
      case 'call2': {
        ex(n.a); ex(n.b);
        callees.push({ ops: assembleReturning(n.ret), consts, names, callees: [], argSlots: [] });
        argSlots.push(n.argSlots);
        emit(Op.CALL2, callees.length - 1);
        break;
      }
      case 'getattr': emit(Op.LOAD_ATTR, names.push(n.name) - 1, 0, 0); break; // two inline-cache words
      default: throw new Error(`not an expression: ${n.k}`);
    }
  };
  const st = (n: Node): void => {
    switch (n.k) {
      case 'store': ex(n.e); emit(Op.STORE, n.slot); break;
      case 'setattr': ex(n.e); emit(Op.STORE_ATTR, names.push(n.name) - 1, 0, 0); break;
      case 'if': {
        ex(n.c); emit(Op.JUMP_IF_FALSE, 0); const j = ops.length - 1;
        n.t.forEach(st); emit(Op.JUMP, 0); const k = ops.length - 1;
        ops[j] = ops.length; n.e.forEach(st); ops[k] = ops.length;
        break;
      }
      case 'for': {
        ex(n.n); emit(Op.FOR_RANGE_INIT);
        const top = ops.length;
        emit(Op.FOR_RANGE_NEXT, n.slot, 0); const exit = ops.length - 1;
        n.body.forEach(st); emit(Op.JUMP, top); ops[exit] = ops.length;
        break;
      }
      case 'yield': ex(n.e); emit(Op.YIELD); break;
      default: ex(n); emit(Op.POP);
    }
  };
  /** A callee's body `return EXPR`, sharing this code's constants and names. */
  const assembleReturning = (n: Node): Int32Array => {
    const saved = ops.length;
    ex(n); emit(Op.RET);
    const out = Int32Array.from(ops.slice(saved));
    ops.length = saved;
    return out;
  };
  body.forEach(st);
  emit(Op.HALT);
  return { ops: Int32Array.from(ops), consts, names, callees, argSlots };
}

/** A frame on the VM's own stack: resumable by construction (a generator is a saved frame). */
interface VFrame { code: Code; pc: number; sp: number; stack: number[]; locals: number[]; iters: number[] }

function newFrame(code: Code): VFrame {
  return { code, pc: 0, sp: 0, stack: [0, 0, 0, 0, 0, 0, 0, 0], locals: [0, 0, 0, 0], iters: [] };
}

/** Runs until HALT/RET (returns the result id) or YIELD (returns the yielded id; fr.pc resumes). */
function execute(h: MiniHeap, fr: VFrame, obj: MiniObject, shapeIds: WeakMap<Map<string, number>, number>): number {
  const { ops, consts, names } = fr.code;
  const stack = fr.stack;
  const locals = fr.locals;
  let pc = fr.pc, sp = fr.sp;
  for (;;) {
    switch (ops[pc] as Op) {
      case Op.CONST: stack[sp++] = h.box(consts[ops[pc + 1]!]!); pc += 2; break;
      case Op.LOAD: { const id = locals[ops[pc + 1]!]!; h.incref(id); stack[sp++] = id; pc += 2; break; }
      case Op.STORE: { const s = ops[pc + 1]!; const old = locals[s]!; locals[s] = stack[--sp]!; if (old) h.decref(old); pc += 2; break; }
      case Op.BIN_ADD: { const y = stack[--sp]!, x = stack[sp - 1]!; const r = h.box(h.value[x] + h.value[y]); h.decref(x); h.decref(y); stack[sp - 1] = r; pc += 1; break; }
      case Op.BIN_SUB: { const y = stack[--sp]!; stack[sp - 1] = binop(h, '-', stack[sp - 1]!, y); pc += 1; break; }
      case Op.BIN_MUL: { const y = stack[--sp]!; stack[sp - 1] = binop(h, '*', stack[sp - 1]!, y); pc += 1; break; }
      case Op.BIN_MOD: { const y = stack[--sp]!; stack[sp - 1] = binop(h, '%', stack[sp - 1]!, y); pc += 1; break; }
      case Op.JUMP_IF_FALSE: { const v = stack[--sp]!; const t = h.value[v] !== 0; h.decref(v); pc = t ? pc + 2 : ops[pc + 1]!; break; }
      case Op.JUMP: pc = ops[pc + 1]!; break;
      case Op.FOR_RANGE_INIT: { const v = stack[--sp]!; fr.iters.push(h.value[v], 0); h.decref(v); pc += 1; break; }
      case Op.FOR_RANGE_NEXT: {
        const it = fr.iters, n = it.length;
        if (it[n - 1]! >= it[n - 2]!) { it.length = n - 2; pc = ops[pc + 2]!; break; }
        const s = ops[pc + 1]!; const old = locals[s]!; locals[s] = h.box(it[n - 1]!++); if (old) h.decref(old);
        pc += 3; break;
      }
      case Op.CALL2: {
        const k = ops[pc + 1]!;
        const callee = newFrame(fr.code.callees[k]!);
        const [sa, sb] = fr.code.argSlots[k]!;
        callee.locals[sb] = stack[--sp]!;
        callee.locals[sa] = stack[--sp]!;
        const r = execute(h, callee, obj, shapeIds);
        h.decref(callee.locals[sa]!);
        h.decref(callee.locals[sb]!);
        stack[sp++] = r; pc += 2; break;
      }
      case Op.LOAD_ATTR: {
        // Inline cache: [shape id, slot] after the operand, checked before the map lookup.
        const sid = shapeIds.get(obj.shape)!;
        let slot: number;
        if (ops[pc + 2] === sid) slot = ops[pc + 3]!;
        else { slot = obj.shape.get(names[ops[pc + 1]!]!)!; ops[pc + 2] = sid; ops[pc + 3] = slot; }
        const id = obj.slots[slot]!; h.incref(id); stack[sp++] = id; pc += 4; break;
      }
      case Op.STORE_ATTR: {
        const name = names[ops[pc + 1]!]!;
        let slot = obj.shape.get(name);
        if (slot === undefined) { slot = obj.slots.length; obj.shape.set(name, slot); obj.slots.push(0); }
        const old = obj.slots[slot]!; obj.slots[slot] = stack[--sp]!; if (old) h.decref(old);
        pc += 4; break;
      }
      case Op.YIELD: fr.pc = pc + 1; fr.sp = sp - 1; return stack[sp - 1]!;
      case Op.POP: h.decref(stack[--sp]!); pc += 1; break;
      case Op.RET: return stack[sp - 1]!;
      case Op.HALT: fr.pc = pc; return 0;
    }
  }
}

function runBytecode(h: MiniHeap, p: { body: Node[] }, name: string): number {
  const code = assemble(p.body);
  const fr = newFrame(code);
  const obj = new MiniObject();
  const shapeIds = new WeakMap([[obj.shape, 1]]);
  if (name === 'gen') {
    let sum = 0;
    for (;;) {
      const v = execute(h, fr, obj, shapeIds);
      if (fr.code.ops[fr.pc] === Op.HALT) break;
      sum += h.value[v]; h.decref(v);
    }
    return sum;
  }
  execute(h, fr, obj, shapeIds);
  if (name === 'attrs') return h.value[obj.slots[0]!]!;
  return h.value[fr.locals[0]!]!;
}

// ------------------------------------------------------------------ the comparison

function best(run: () => number, expected: number, label: string): number {
  let bestS = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const got = run();
    const s = (performance.now() - t0) / 1000;
    if (got !== expected) throw new Error(`${label}: got ${got}, expected ${expected}`);
    bestS = Math.min(bestS, s);
  }
  return bestS;
}

export function compareExecutionModels(n: number): Record<string, { closures: number; bytecode: number }> {
  const out: Record<string, { closures: number; bytecode: number }> = {};
  for (const [name, p] of Object.entries(programs(n))) {
    const closures = best(() => runClosures(new MiniHeap(), p, name), p.result, `closures ${name}`);
    const bytecode = best(() => runBytecode(new MiniHeap(), p, name), p.result, `bytecode ${name}`);
    out[name] = { closures, bytecode };
  }
  return out;
}

export async function runExecModelBench(): Promise<void> {
  const results = compareExecutionModels(3_000_000);
  let logSum = 0;
  for (const [name, r] of Object.entries(results)) {
    console.log(`exec_closures_${name} ${r.closures.toFixed(3)} s`);
    console.log(`exec_bytecode_${name} ${r.bytecode.toFixed(3)} s`);
    console.log(`ratio exec_bytecode_vs_closures_${name} ${(r.bytecode / r.closures).toFixed(2)}`);
    logSum += Math.log(r.bytecode / r.closures);
  }
  console.log(`ratio exec_bytecode_vs_closures_geomean ${Math.exp(logSum / Object.keys(results).length).toFixed(2)}`);
}
