// Shrinks a program while a predicate (the disagreement persists) holds: smaller `range(N)`
// loops first, then greedy deletion over the program's indentation tree (runs of top-level
// statements, then each statement or block, later ones first, then the clauses and statements
// inside the blocks that must stay), then smaller loops again.
// Works on any Python text whose statements sit on their own lines.

export interface Stmt {
  /** The statement's first line, as written (with its indentation). */
  line: string;
  indent: number;
  children: Stmt[];
  /** elif / else / except / finally clauses that belong to this statement. */
  clauses: Stmt[];
  /** A closing bracket line that ends a multi-line literal (`}` of `RESULT = {`). */
  trailer: string | null;
  removed: boolean;
}

const CLAUSE = /^(elif\b|else\s*:|except\b|finally\s*:)/;
const CLOSER = /^[}\])]/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The statement tree of a program (blank lines dropped). */
export function parseProgram(source: string): Stmt[] {
  const top: Stmt[] = [];
  // Open indentation levels: the statements at that level, and the one deeper lines belong to.
  const stack: { indent: number; list: Stmt[]; last: Stmt | null }[] = [{ indent: 0, list: top, last: null }];
  for (const line of source.split('\n')) {
    if (!line.trim()) continue;
    const ind = indentOf(line);
    while (stack.length > 1 && ind < stack[stack.length - 1].indent) stack.pop();
    let frame = stack[stack.length - 1];
    if (ind > frame.indent) {
      if (!frame.last) throw new Error(`unexpected indentation: ${line}`);
      stack.push({ indent: ind, list: frame.last.children, last: null });
      frame = stack[stack.length - 1];
    }
    const text = line.trimStart();
    const prev = frame.list[frame.list.length - 1];
    if (prev && CLOSER.test(text) && prev.trailer === null && prev.children.length) {
      prev.trailer = line;
      frame.last = prev;
      continue;
    }
    const stmt: Stmt = { line, indent: ind, children: [], clauses: [], trailer: null, removed: false };
    if (prev && CLAUSE.test(text)) prev.clauses.push(stmt);
    else frame.list.push(stmt);
    frame.last = stmt;
  }
  return top;
}

function renderInto(out: string[], stmts: Stmt[]): void {
  for (const s of stmts) {
    if (s.removed) continue;
    out.push(s.line);
    renderBody(out, s);
    for (const c of s.clauses) {
      if (c.removed) continue;
      out.push(c.line);
      renderBody(out, c);
    }
    if (s.trailer !== null) out.push(s.trailer);
  }
}

function renderBody(out: string[], s: Stmt): void {
  if (!s.children.length) return;
  const before = out.length;
  renderInto(out, s.children);
  if (out.length === before && s.trailer === null) out.push(' '.repeat(s.children[0].indent) + 'pass');
}

export function renderProgram(stmts: Stmt[]): string {
  const out: string[] = [];
  renderInto(out, stmts);
  return out.join('\n') + '\n';
}

export interface ShrinkResult {
  source: string;
  /** Candidates tried. */
  tries: number;
  /** Whether the budget ran out before a fixpoint. */
  exhausted: boolean;
}

/**
 * The smallest program reached by deleting statements (and shrinking `range(N)`) while
 * `stillFails` holds. `stillFails(source)` must hold for the original.
 */
export async function shrinkProgram(source: string, stillFails: (candidate: string) => Promise<boolean>, budget = 200): Promise<ShrinkResult> {
  let tries = 0;
  const more = () => tries < budget;
  const count = () => void tries++;
  // Smaller loops first: every later candidate then runs faster.
  const tree = parseProgram(await shrinkRanges(source, stillFails, more, count));
  const attempt = async (): Promise<boolean> => {
    tries++;
    return stillFails(renderProgram(tree));
  };
  // Runs of top-level statements (halves, quarters, ...), later ones first.
  for (let size = Math.floor(tree.length / 2); size >= 2; size = Math.floor(size / 2)) {
    for (let end = tree.length; end > 0 && more(); end -= size) {
      const chunk = tree.slice(Math.max(0, end - size), end).filter((s) => !s.removed);
      if (chunk.length < 2) continue;
      for (const s of chunk) s.removed = true;
      if (!(await attempt())) for (const s of chunk) s.removed = false;
    }
  }
  const walk = async (stmts: Stmt[]): Promise<boolean> => {
    let changed = false;
    for (let i = stmts.length - 1; i >= 0; i--) {
      if (tries >= budget) return changed;
      const s = stmts[i];
      if (s.removed) continue;
      s.removed = true;
      if (await attempt()) {
        changed = true;
        continue;
      }
      s.removed = false;
      for (let j = s.clauses.length - 1; j >= 0; j--) {
        const c = s.clauses[j];
        if (c.removed || tries >= budget) continue;
        c.removed = true;
        if (await attempt()) changed = true;
        else {
          c.removed = false;
          if (await walk(c.children)) changed = true;
        }
      }
      if (await walk(s.children)) changed = true;
    }
    return changed;
  };
  while ((await walk(tree)) && more());
  const text = await shrinkRanges(renderProgram(tree), stillFails, more, count);
  return { source: text, tries, exhausted: tries >= budget };
}

async function shrinkRanges(text: string, stillFails: (c: string) => Promise<boolean>, more: () => boolean, count: () => void): Promise<string> {
  const re = /range\((\d+)\)/g;
  let current = text;
  const positions = [...current.matchAll(re)].map((m) => m.index!);
  for (const pos of positions) {
    const m = /^range\((\d+)\)/.exec(current.slice(pos));
    if (!m) continue;
    const n = Number(m[1]);
    for (const smaller of [1, Math.floor(n / 10), Math.floor(n / 2)]) {
      if (!more() || smaller < 1 || smaller >= n) continue;
      const cand = current.slice(0, pos) + `range(${smaller})` + current.slice(pos + m[0].length);
      count();
      if (await stillFails(cand)) {
        current = cand;
        break;
      }
    }
  }
  return current;
}
