// The generator: seeded and deterministic, and every program it writes runs on real CPython.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePython } from './cpython';
import { generateFromSeed, generateProgram } from './generate';
import { PRODUCTIONS } from './grammar';
import { Rng, programSeed } from './rng';

describe('program generator', () => {
  it('gives the same programs for the same seed, others for another', () => {
    const a = Array.from({ length: 10 }, (_, i) => generateProgram(7, i).source);
    const b = Array.from({ length: 10 }, (_, i) => generateProgram(7, i).source);
    const c = Array.from({ length: 10 }, (_, i) => generateProgram(8, i).source);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(10);
    expect(a.filter((s, i) => s === c[i])).toEqual([]);
    // Each program is reproducible alone from the seed in its name and docstring.
    const p = generateProgram(7, 3);
    expect(generateFromSeed(p.seed, p.name).source).toBe(p.source);
    expect(p.source).toContain(`program seed ${programSeed(7, 3)}`);
  });

  it('ends every program with RESULT = {...} and draws on every production', () => {
    const used = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const src = generateProgram(3, i).source;
      expect(src.trimEnd().split('\n').slice(-1)[0]).toBe('}');
      expect(src).toMatch(/\nRESULT = \{\n/);
      for (const l of src.split('\n')) {
        if (/^\s*gc\.set_threshold/.test(l)) used.add('gc-threshold');
        if (/weakref\.ref\(/.test(l)) used.add('weakref');
        if (/__slots__/.test(l)) used.add('slots');
        if (/def __del__/.test(l)) used.add('del');
        if (/yield/.test(l)) used.add('generator');
        if (/nonlocal|box\[0\]/.test(l)) used.add('closure');
        if (/^\s*except/.test(l)) used.add('except');
        if (/gc\.disable\(\)/.test(l)) used.add('gc-disable');
        if (/\.parent = parent/.test(l)) used.add('tree');
      }
    }
    expect([...used].sort()).toEqual(['closure', 'del', 'except', 'gc-disable', 'gc-threshold', 'generator', 'slots', 'tree', 'weakref']);
    expect(PRODUCTIONS.length).toBeGreaterThan(20);
  });

  it('draws integers and choices within their bounds', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const x = r.int(3, 5);
      expect(x >= 3 && x <= 5).toBe(true);
    }
    expect(new Rng(5).next()).toBe(new Rng(5).next());
  });

  const python = resolvePython('python3.11');
  it.skipIf(!python)('writes programs that CPython 3.11 runs to the end (20 of seed 11)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pygc-gen-'));
    try {
      const files = Array.from({ length: 20 }, (_, i) => {
        const p = generateProgram(11, i);
        const f = join(dir, p.name + '.py');
        writeFileSync(f, p.source);
        return f;
      });
      const check = 'import sys, runpy\nfor f in sys.argv[1:]:\n    g = runpy.run_path(f)\n    assert isinstance(g["RESULT"], dict), f\nprint("ok", len(sys.argv) - 1)';
      const r = spawnSync(python!, ['-S', '-c', check, ...files], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n').slice(-1)[0]).toBe('ok 20');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
