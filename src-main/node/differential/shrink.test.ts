// The shrinker on a fake oracle: deletes what the predicate does not need, keeps programs valid.
import { describe, expect, it } from 'vitest';
import { generateProgram } from './generate';
import { parseProgram, renderProgram, shrinkProgram } from './shrink';

const program = [
  'import gc',
  'x = 1',
  'class A:',
  '    def __init__(self):',
  '        self.me = self',
  '',
  '    def f(self):',
  '        return 2',
  'for i in range(300):',
  '    a = A()',
  '    y = [i]',
  'try:',
  '    z = 1 // 0',
  'except ZeroDivisionError:',
  '    w = 3',
  'finally:',
  '    v = 4',
  'RESULT = {',
  "    'x': x,",
  "    'n': 2,",
  '}',
].join('\n');

describe('shrinker', () => {
  it('parses a program into statements and renders it back (blank lines dropped)', () => {
    const tree = parseProgram(program);
    expect(tree.map((s) => s.line)).toEqual(['import gc', 'x = 1', 'class A:', 'for i in range(300):', 'try:', 'RESULT = {']);
    expect(tree[4].clauses.map((c) => c.line)).toEqual(['except ZeroDivisionError:', 'finally:']);
    expect(tree[5].trailer).toBe('}');
    expect(renderProgram(tree)).toBe(program.split('\n').filter((l) => l.trim()).join('\n') + '\n');
    for (let i = 0; i < 30; i++) {
      const src = generateProgram(5, i).source;
      expect(renderProgram(parseProgram(src))).toBe(src.split('\n').filter((l) => l.trim()).join('\n') + '\n');
    }
  });

  it('keeps only what the failure needs, with pass for emptied blocks', async () => {
    // The fake defect: a program that creates A() inside a loop, with the class still defined.
    const fails = async (s: string) => /^class A:/m.test(s) && /^for i in range\(\d+\):\n {4}a = A\(\)/m.test(s) && /def __init__/.test(s);
    const r = await shrinkProgram(program, fails);
    expect(r.source).toBe(['class A:', '    def __init__(self):', '        pass', 'for i in range(1):', '    a = A()', ''].join('\n'));
    expect(r.exhausted).toBe(false);
  });

  it('deletes clauses separately and keeps a try that still needs a handler', async () => {
    const fails = async (s: string) => /1 \/\/ 0/.test(s) && /^(except|finally)/m.test(s);
    const r = await shrinkProgram(program, fails);
    expect(r.source).toBe(['try:', '    z = 1 // 0', 'except ZeroDivisionError:', '    pass', ''].join('\n'));
  });

  it('keeps a multi-line literal whole or deletes its entries', async () => {
    const fails = async (s: string) => /'n': 2/.test(s) && /^RESULT = \{$/m.test(s) && /^\}$/m.test(s);
    expect((await shrinkProgram(program, fails)).source).toBe(['RESULT = {', "    'n': 2,", '}', ''].join('\n'));
  });

  it('stops at the budget', async () => {
    let calls = 0;
    const r = await shrinkProgram(program, async () => (++calls, false), 5);
    expect(calls).toBe(5);
    expect(r.exhausted).toBe(true);
    expect(r.source).toBe(renderProgram(parseProgram(program)));
  });
});
