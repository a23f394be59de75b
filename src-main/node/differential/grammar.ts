// The grammar of generated programs: the Python the simulator supports today, as weighted
// productions. A production writes valid, deterministic Python (no addresses, no hash order of
// strings, no uncaught exception) through the Gen context. New constructs (stdlib modules,
// async, ...) are new entries of PRODUCTIONS or new helpers in definitions.ts.
import { DEFINITIONS, defineClass, objClass } from './definitions';
import { IND } from './gen';
import type { Gen, VarKind } from './gen';

/** Where a production may appear: at module level, inside a loop body, or both. */
export type Place = 'top' | 'loop';

export interface Production {
  name: string;
  weight: number;
  places: Place[];
  /** Writes the statement(s); returns false when it does not apply here (nothing written). */
  run(g: Gen): boolean;
}

function numExpr(g: Gen): string {
  const r = g.rng;
  const a = g.some('int');
  const x = a ? a.name : String(r.int(2, 999));
  return r.weighted([
    { weight: 3, value: `${x} * ${r.int(2, 99)} + ${r.int(0, 50)}` },
    { weight: 2, value: `${x} * ${r.int(3, 999)} % ${r.pick([7, 97, 1000, 65536])}` },
    { weight: 2, value: `${x} // ${r.int(2, 9)} - ${r.int(0, 9)}` },
    { weight: 1, value: `${r.int(2, 9)} ** ${r.int(2, 30)}` },
    { weight: 1, value: `(${x} + ${r.int(1, 9)}) ** 2` },
    { weight: 1, value: `abs(${r.int(-50, -1)} * ${x})` },
    { weight: 1, value: `min(${x}, ${r.int(0, 300)}) + max(${r.int(0, 9)}, ${r.int(0, 9)})` },
  ]);
}

function containerExpr(g: Gen): { expr: string; kind: VarKind; pure?: boolean } {
  const r = g.rng;
  const n = g.loopDepth ? r.int(0, 6) : r.int(0, 60);
  const cls = () => objClass(g).name;
  return r.weighted<{ expr: string; kind: VarKind; pure?: boolean }>([
    { weight: 2, value: { expr: `[${Array.from({ length: r.int(0, 5) }, () => r.int(0, 99)).join(', ')}]`, kind: 'list', pure: true } },
    { weight: 3, value: { expr: `[j * ${r.int(1, 9)} for j in range(${n})]`, kind: 'list', pure: true } },
    { weight: 2, value: { expr: `[[j] for j in range(${n})]`, kind: 'list', pure: true } },
    { weight: 2, value: { expr: `[${cls()}(j) for j in range(${n})]`, kind: 'list' } },
    { weight: 1, value: { expr: `list(range(${n}))`, kind: 'list', pure: true } },
    { weight: 2, value: { expr: `{j: j * ${r.int(1, 9)} for j in range(${n})}`, kind: 'dict' } },
    { weight: 2, value: { expr: `{str(j): [j] for j in range(${n})}`, kind: 'dict' } },
    { weight: 1, value: { expr: `{'id': ${r.int(0, 99)}, 'name': 'n${r.int(0, 99)}', 'tags': [${r.int(0, 9)}]}`, kind: 'dict' } },
    { weight: 1, value: { expr: `dict(a=${r.int(0, 9)}, b=${r.int(0, 9)})`, kind: 'dict' } },
    { weight: 2, value: { expr: `{j % ${r.int(2, 40)} for j in range(${n})}`, kind: 'set' } },
    { weight: 1, value: { expr: `set(range(${n}))`, kind: 'set' } },
    { weight: 2, value: { expr: `(${r.int(0, 9)}, ${r.int(0, 9)}, 'k${r.int(0, 9)}')`, kind: 'tuple', pure: true } },
    { weight: 2, value: { expr: `tuple([j] for j in range(${Math.min(n, 20)}))`, kind: 'tuple', pure: true } },
    { weight: 1, value: { expr: `tuple(range(${n}))`, kind: 'tuple', pure: true } },
    { weight: 1, value: { expr: `((${r.int(0, 9)}, ${r.int(0, 9)}), (${r.int(0, 9)},))`, kind: 'tuple', pure: true } },
  ]);
}

function valueExpr(g: Gen): string {
  const r = g.rng;
  const l = g.some('list');
  const d = g.some('dict');
  const s = g.some('set');
  const i = g.some('int');
  const st = g.some('str');
  const opts: { weight: number; value: string }[] = [
    { weight: 2, value: numExpr(g) },
    { weight: 1, value: `${r.int(2, 9)} ** ${r.int(40, 120)}` },
    { weight: 1, value: `${r.int(10 ** 9, 2 * 10 ** 9)}${r.int(10 ** 8, 10 ** 9 - 1)} % ${r.pick([97, 1009, 65537])}` },
    { weight: 1, value: `${r.int(1, 999)} / ${r.int(3, 17)}` },
    { weight: 1, value: `round(${r.int(1, 999)} / ${r.int(3, 17)}, ${r.int(0, 4)})` },
    { weight: 1, value: `'%d-%s' % (${r.int(0, 99)}, 'x')` },
    { weight: 1, value: `'{}:{}'.format(${r.int(0, 9)}, ${r.int(0, 9)})` },
  ];
  if (i) {
    opts.push({ weight: 2, value: `f"${i.name}={${i.name}}"` });
    opts.push({ weight: 1, value: `f"{${i.name}:>8}|{${i.name}:<4}|"` });
    opts.push({ weight: 1, value: `f"{${i.name} / ${r.int(3, 9)}:.3f}"` });
    opts.push({ weight: 1, value: `f"{${i.name}:#x} {${i.name}:05d}"` });
    opts.push({ weight: 1, value: `divmod(${i.name}, ${r.int(2, 9)})` });
  }
  const pl = g.some('list', (v) => !!v.pure) ?? g.some('tuple', (v) => !!v.pure);
  if (l) opts.push({ weight: 2, value: `len(${l.name})` });
  if (pl) opts.push({ weight: 1, value: `repr(${pl.name}[:${r.int(1, 4)}])` }, { weight: 1, value: `${pl.name}[-${r.int(1, 3)}:]` });
  if (d) opts.push({ weight: 1, value: `sorted(str(k) for k in ${d.name})[:${r.int(1, 5)}]` }, { weight: 1, value: `len(${d.name})` });
  if (s) opts.push({ weight: 1, value: `sorted(${s.name})[:${r.int(1, 5)}]` });
  if (st) opts.push({ weight: 1, value: `${st.name}[:${r.int(1, 12)}]` }, { weight: 1, value: `${st.name}.upper()[:6] + str(len(${st.name}))` });
  return r.weighted(opts);
}

export const PRODUCTIONS: Production[] = [
  {
    name: 'int-assign',
    weight: 3,
    places: ['top'],
    run(g) {
      const e = numExpr(g);
      g.emit(`${g.bind('n', 'int')} = ${e}`);
      return true;
    },
  },
  {
    name: 'container',
    weight: 6,
    places: ['top', 'loop'],
    run(g) {
      const { expr, kind, pure } = containerExpr(g);
      g.emit(`${g.bind(kind === 'list' ? 'xs' : kind === 'dict' ? 'd' : kind === 'set' ? 's' : 't', kind, undefined, pure)} = ${expr}`);
      return true;
    },
  },
  {
    name: 'string',
    weight: 2,
    places: ['top'],
    run(g) {
      const r = g.rng;
      const n = r.int(1, 30);
      g.emit(`${g.bind('text', 'str')} = ${r.pick([`'-'.join(str(j) for j in range(${n}))`, `' '.join(['w%d' % j for j in range(${n})])`, `'ab' * ${n}`, `str(${r.int(0, 99999)}).zfill(8)`])}`);
      return true;
    },
  },
  {
    name: 'mutate',
    weight: 5,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const l = g.some('list');
      const d = g.some('dict');
      const s = g.some('set');
      const opts: string[] = [];
      if (l) {
        opts.push(`${l.name}.append(${g.small()})`, `${l.name}.append([${g.small()}])`, `${l.name}.extend(range(${r.int(0, 5)}))`, `${l.name}.insert(0, (${g.small()}, ${r.int(0, 9)}))`, `${l.name}.reverse()`);
        opts.push(`if ${l.name}:\n${IND}${l.name}.pop()`);
      }
      if (d) opts.push(`${d.name}[${g.small()}] = [${r.int(0, 9)}]`, `${d.name}.setdefault('k${r.int(0, 9)}', []).append(${g.small()})`, `${d.name}.pop(${r.int(0, 9)}, None)`, `${d.name}.update({${r.int(0, 9)}: ${r.int(0, 9)}})`);
      if (s) opts.push(`${s.name}.add(${g.small()})`, `${s.name}.discard(${r.int(0, 9)})`);
      if (!opts.length) return false;
      for (const line of r.pick(opts).split('\n')) g.emit(line);
      return true;
    },
  },
  {
    name: 'object',
    weight: 5,
    places: ['top', 'loop'],
    run(g) {
      const c = objClass(g);
      const o = g.bind('o', 'obj', c);
      g.emit(`${o} = ${c.name}(${g.small()})`);
      if (g.rng.chance(0.5)) g.emit(`${o}.items.append(${g.rng.pick(['[1, 2]', `{'k': ${g.small()}}`, `(${g.small()}, [])`, 'None'])})`);
      return true;
    },
  },
  {
    name: 'cycle-pair',
    weight: 5,
    places: ['top', 'loop'],
    run(g) {
      const c1 = objClass(g);
      const c2 = g.rng.chance(0.5) ? c1 : objClass(g);
      const a = g.fresh('a');
      const b = g.fresh('b');
      g.emit(`${a} = ${c1.name}(${g.small()})`);
      g.emit(`${b} = ${c2.name}(${g.small()})`);
      g.emit(`${a}.link = ${b}`);
      g.emit(`${b}.${g.rng.pick(['link = ' + a, 'items.append(' + a + ')'])}`);
      g.bound(a);
      if (g.loopDepth === 0) {
        if (g.rng.chance(0.6)) g.emit(`del ${a}, ${b}`);
        else {
          g.vars.push({ name: a, kind: 'obj', cls: c1 }, { name: b, kind: 'obj', cls: c2 });
        }
      }
      return true;
    },
  },
  {
    name: 'self-cycle',
    weight: 3,
    places: ['top', 'loop'],
    run(g) {
      const x = g.fresh('me');
      const c = objClass(g);
      const form = g.rng.pick([
        [`${x} = [${g.small()}]`, `${x}.append(${x})`],
        [`${x} = {'n': ${g.small()}}`, `${x}['self'] = ${x}`],
        [`${x} = ${c.name}(${g.small()})`, `${x}.link = ${x}`],
      ]);
      for (const l of form) g.emit(l);
      g.bound(x);
      if (g.loopDepth === 0 && g.rng.chance(0.7)) g.emit(`del ${x}`);
      return true;
    },
  },
  {
    name: 'tree',
    weight: 2,
    places: ['top'],
    run(g) {
      const T = DEFINITIONS.tree(g);
      const root = g.bind('root', 'tree');
      g.emit(`${root} = ${T}(0)`);
      const n = g.rng.int(1, 60);
      if (g.rng.chance(0.5)) {
        g.block(`for j in range(${n}):`, () => {
          g.emit(`child = ${T}(j, ${root})`);
          g.emit(`${T}(j + 1000, child)`);
        });
      } else {
        g.emit(`node = ${root}`);
        g.block(`for j in range(${n}):`, () => g.emit(`node = ${T}(j, node)`));
      }
      g.observe(`${root}.size()`);
      return true;
    },
  },
  {
    name: 'drop',
    weight: 4,
    places: ['top'],
    run(g) {
      const v = g.vars.length ? g.rng.pick(g.vars) : null;
      if (!v) return false;
      g.emit(g.rng.chance(0.6) ? `del ${v.name}` : `${v.name} = None`);
      g.drop(v);
      return true;
    },
  },
  {
    name: 'method',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const o = g.some('obj');
      if (!o) return false;
      g.observe(`${o.name}.weight()`);
      return true;
    },
  },
  {
    name: 'closure',
    weight: 3,
    places: ['top'],
    run(g) {
      const mk = DEFINITIONS.acc(g);
      const f = g.bind('acc', 'acc');
      g.emit(`${f} = ${mk}(${g.rng.int(0, 9)})`);
      const n = g.rng.int(1, 40);
      g.block(`for j in range(${n}):`, () => g.emit(`${f}(j)`));
      g.observe(`${f}(0)`);
      return true;
    },
  },
  {
    name: 'closure-call',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const f = g.some('acc');
      if (!f) return false;
      g.emit(`${f.name}(${g.small()})`);
      return true;
    },
  },
  {
    name: 'lambdas',
    weight: 1,
    places: ['top'],
    run(g) {
      const fs = g.fresh('fs');
      g.emit(`${fs} = [lambda j=j: j * ${g.rng.int(2, 5)} for j in range(${g.rng.int(1, 30)})]`);
      g.observe(`sum(f() for f in ${fs})`);
      return true;
    },
  },
  {
    name: 'generator',
    weight: 4,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const fin = r.chance(0.4);
      const fn = fin ? DEFINITIONS.gen_finally(g) : DEFINITIONS.gen(g);
      const n = g.loopDepth ? g.small(1, 6) : String(r.int(1, 200));
      const it = g.fresh('it');
      g.emit(`${it} = ${fn}(${n})`);
      const form = r.int(0, 3);
      if (form === 0) g.observe(`sum(${it})`);
      else if (form === 1) g.observe(`next(${it}, -1)`);
      else if (form === 2) {
        g.block(`for v in ${it}:`, () => g.block(`if v > ${r.int(0, 20)}:`, () => g.emit('break')));
      } else g.observe(`list(${it})[-1:]`);
      if (g.loopDepth === 0) {
        if (r.chance(0.5)) g.emit(`del ${it}`);
        else g.vars.push({ name: it, kind: 'gen' });
      }
      return true;
    },
  },
  {
    name: 'genexpr',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const l = g.some('list', () => true);
      const src = l && g.rng.chance(0.3) ? `len(${l.name})` : String(g.rng.int(0, 300));
      g.observe(`sum(j * j for j in range(${src}) if j % ${g.rng.int(2, 5)})`);
      return true;
    },
  },
  {
    name: 'try-except',
    weight: 4,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const check = DEFINITIONS.check(g);
      const err = DEFINITIONS.error(g);
      const x = g.loopVar ?? String(r.int(0, 30));
      const form = r.int(0, 3);
      g.block('try:', () => g.observe(`${check}(${x})`));
      if (form === 0) {
        g.block(`except ${err} as e:`, () => g.observe('str(e)'));
        g.block('except ValueError:', () => g.observe("'value'"));
      } else if (form === 1) {
        g.block(`except (${err}, ValueError) as e:`, () => g.observe('len(e.args)'));
      } else if (form === 2) {
        g.block('except Exception as e:', () => g.observe('type(e).__name__'));
        g.block('finally:', () => g.emit('events.append(0)'));
      } else {
        g.block(`except ${err}:`, () => g.emit('events.append(1)'));
        g.block('except ValueError as e:', () => g.observe('e.args[0]'));
        g.block('else:', () => g.emit('events.append(2)'));
      }
      return true;
    },
  },
  {
    name: 'keep-error',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const fn = DEFINITIONS.keep_error(g);
      const e = g.fresh('err');
      g.emit(`${e} = ${fn}(${g.small()})`);
      g.observe(`${e}.args[0]`);
      if (g.loopDepth === 0 && g.rng.chance(0.5)) g.emit(`del ${e}`);
      return true;
    },
  },
  {
    name: 'builtin-errors',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const r = g.rng;
      const [body, exc] = r.pick([
        [`{}[${g.small()}]`, 'KeyError'],
        [`[][${g.small()}]`, 'IndexError'],
        [`int('x${r.int(0, 9)}')`, 'ValueError'],
        [`${g.small()} // 0`, 'ZeroDivisionError'],
        [`None.missing`, 'AttributeError'],
      ]);
      g.block('try:', () => g.emit(`${body}`));
      g.block(`except ${exc} as e:`, () => g.observe(r.chance(0.5) ? 'type(e).__name__' : 'len(e.args)'));
      return true;
    },
  },
  {
    name: 'with',
    weight: 1,
    places: ['top', 'loop'],
    run(g) {
      const G = DEFINITIONS.ctx(g);
      g.block(`with ${G}(${g.rng.int(1, 9)}) as guard:`, () => {
        g.observe('guard.tag');
        if (g.rng.chance(0.5)) g.emit(`raise ValueError(${g.small()})`);
      });
      return true;
    },
  },
  {
    name: 'weakref',
    weight: 3,
    places: ['top', 'loop'],
    run(g) {
      g.use('weakref');
      const c = objClass(g, (k) => k.weakrefable);
      const cb = g.rng.chance(0.6) ? DEFINITIONS.on_dead(g) : null;
      const o = g.fresh('target');
      const ref = g.fresh('ref');
      g.emit(`${o} = ${c.name}(${g.small()})`);
      if (g.rng.chance(0.4)) g.emit(`${o}.link = ${o}`);
      g.emit(`${ref} = weakref.ref(${o}${cb ? ', ' + cb : ''})`);
      g.observe(`${ref}() is ${o}`);
      g.emit(`del ${o}`);
      g.observe(`${ref}() is None`);
      if (g.loopDepth === 0) g.vars.push({ name: ref, kind: 'ref' });
      return true;
    },
  },
  {
    name: 'weakref-check',
    weight: 1,
    places: ['top'],
    run(g) {
      const r = g.some('ref');
      if (!r) return false;
      g.observe(`${r.name}() is None`);
      return true;
    },
  },
  {
    name: 'gc-collect',
    weight: 4,
    places: ['top', 'loop'],
    run(g) {
      g.use('gc');
      const gen = g.rng.pick(['', '', '0', '1', '2']);
      if (g.loopVar) g.block(`if ${g.loopVar} % ${g.rng.int(50, 500)} == 0:`, () => g.observe(`gc.collect(${gen})`));
      else g.observe(`gc.collect(${gen})`);
      return true;
    },
  },
  {
    name: 'gc-count',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('gc');
      g.observe(g.rng.pick(['gc.get_count()', 'gc.isenabled()', 'gc.get_threshold()']));
      return true;
    },
  },
  {
    name: 'gc-tracked',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('gc');
      const kinds: VarKind[] = ['list', 'dict', 'tuple', 'set', 'obj', 'str', 'int'];
      const v = g.some(g.rng.pick(kinds));
      if (!v) return false;
      g.observe(`gc.is_tracked(${v.name})`);
      return true;
    },
  },
  {
    name: 'gc-disable',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('gc');
      g.emit('gc.disable()');
      const loop = PRODUCTIONS.find((p) => p.name === 'loop')!;
      loop.run(g);
      if (g.rng.chance(0.8)) g.emit('gc.enable()');
      return true;
    },
  },
  {
    name: 'gc-threshold',
    weight: 1,
    places: ['top'],
    run(g) {
      g.use('gc');
      const [a, b, c] = g.rng.pick([
        [100, 5, 5],
        [50, 2, 2],
        [700, 10, 10],
        [2000, 10, 10],
        [300, 3, 20],
      ]);
      g.emit(`gc.set_threshold(${a}, ${b}, ${c})`);
      return true;
    },
  },
  {
    name: 'getsizeof',
    weight: 2,
    places: ['top'],
    run(g) {
      g.use('sys');
      const sized = g.vars.filter((x) => x.kind !== 'gen' && x.kind !== 'acc' && x.kind !== 'ref');
      const v = sized.length && g.rng.chance(0.7) ? g.rng.pick(sized) : undefined;
      g.observe(`sys.getsizeof(${v ? v.name : g.rng.pick(['[]', '{}', '()', "''", '0', '1.5', `'x' * ${g.rng.int(1, 40)}`, `2 ** ${g.rng.int(10, 100)}`])})`);
      return true;
    },
  },
  {
    name: 'print',
    weight: 4,
    places: ['top'],
    run(g) {
      const a = valueExpr(g);
      g.emit(g.rng.chance(0.3) ? `print(${a}, ${valueExpr(g)})` : `print(${a})`);
      return true;
    },
  },
  {
    name: 'call-work',
    weight: 2,
    places: ['top', 'loop'],
    run(g) {
      const fn = DEFINITIONS.work(g);
      g.observe(`${fn}(${g.loopVar ? g.small(2, 12) : g.rng.int(2, 80)})`);
      return true;
    },
  },
  {
    name: 'recursion',
    weight: 1,
    places: ['top'],
    run(g) {
      const fn = DEFINITIONS.depth(g);
      g.observe(`len(${fn}(${g.rng.int(1, 50)}))`);
      return true;
    },
  },
  {
    name: 'value-keys',
    weight: 1,
    places: ['top'],
    run(g) {
      const K = g.classes.find((c) => c.kind === 'value') ?? defineClass(g, 'value');
      const n = g.rng.int(1, 40);
      const s = g.bind('keys', 'set');
      g.emit(`${s} = {${K.name}(j % ${g.rng.int(1, 9)}) for j in range(${n})}`);
      g.observe(`len(${s})`);
      g.observe(`${K.name}(1) in ${s}`);
      g.drop(g.vars[g.vars.length - 1]);
      return true;
    },
  },
  {
    name: 'loop',
    weight: 6,
    places: ['top', 'loop'],
    run(g) {
      if (g.loopDepth >= 2) return false;
      const r = g.rng;
      const n = g.size();
      const outer = g.loopVar;
      const v = g.loopDepth === 0 ? 'i' : 'k';
      const keep = g.loopDepth === 0 && r.chance(0.5) ? g.bind('keep', 'list') : null;
      const total = g.loopDepth === 0 && r.chance(0.4) ? g.bind('total', 'int') : null;
      if (keep) g.emit(`${keep} = []`);
      if (total) g.emit(`${total} = 0`);
      const header = r.chance(0.85) || g.loopDepth ? `for ${v} in range(${n}):` : null;
      if (!header) g.emit(`${v} = 0`);
      g.block(header ?? `while ${v} < ${n}:`, () => {
        g.loopDepth++;
        g.loopVar = v;
        const count = r.int(1, 4);
        g.lastBound = null;
        for (let j = 0; j < count; j++) statement(g, 'loop');
        const lb = g.lastBound as { name: string; depth: number } | null;
        const last = lb?.depth === g.loopDepth ? lb.name : null;
        if (keep && last && r.chance(0.7)) g.block(`if ${v} % ${r.int(1, 20)} == 0:`, () => g.emit(`${keep}.append(${last})`));
        else if (keep) g.emit(`${keep}.append(${v})`);
        if (total) g.emit(`${total} += ${v} % ${r.int(2, 9)}`);
        if (!header) g.emit(`${v} += 1`);
        g.loopDepth--;
        g.loopVar = outer;
      });
      if (keep) g.observe(`len(${keep})`);
      return true;
    },
  },
];

/** One statement drawn from the productions allowed at `place`. */
export function statement(g: Gen, place: Place): void {
  const allowed = PRODUCTIONS.filter((p) => p.places.includes(place) && (place === 'top' || p.name !== 'loop' || g.loopDepth < 2));
  for (let attempt = 0; attempt < 30; attempt++) {
    const p = g.rng.weighted(allowed.map((x) => ({ weight: x.weight, value: x })));
    if (p.run(g)) return;
  }
  g.emit('pass');
}
