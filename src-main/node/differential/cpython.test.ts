// The CPython side: interpreters found through PATH or pyenv, programs recorded by record.py.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPythonRunner, findRecorder, resolvePython } from './cpython';

const root = resolve(__dirname, '../../..');
const python = resolvePython('python3.11');
const recorder = findRecorder(root);

describe('resolvePython', () => {
  it('returns null for an interpreter that does not exist', () => {
    expect(resolvePython('python9.99')).toBeNull();
    expect(resolvePython('/nowhere/python3')).toBeNull();
  });
  const py313 = resolvePython('python3.13');
  it.skipIf(!py313)('finds python3.13 (a pyenv version even when its shim is not selected)', () => {
    expect(py313).toMatch(/python3\.13$/);
  });
});

describe.skipIf(!python || !recorder)('CPythonRunner (record.py on CPython 3.11)', () => {
  it('records figures, RESULT and stdout; reports syntax errors and exceptions', async () => {
    const r = new CPythonRunner(python!, recorder!);
    try {
      const ok = await r.record('t', 'import gc\nl = []\nl.append(l)\ndel l\nprint(2 ** 100)\nRESULT = {"n": gc.collect()}\n', ['plain', 'stats']);
      expect(ok.ok).toBe(true);
      if (!ok.ok) return;
      expect(ok.recording.python.version).toMatch(/^3\.11/);
      expect(ok.recording.stdout).toBe('1267650600228229401496703205376\n');
      expect(ok.recording.result).toEqual({ n: 1 });
      expect(ok.recording.gc.collections).toEqual([0, 0, 1]);
      expect(ok.recording.sequence.entries.map((e) => e.slice(0, 4))).toEqual([[2, 1, 0, 1]]);
      expect(ok.recording.memory).toBeNull();
      expect(ok.recording.passes).toEqual(['plain', 'stats']);
      const bad = await r.record('t', 'x = (\n', ['plain']);
      expect(bad.ok ? '' : bad.error).toMatch(/^SyntaxError/);
      const raises = await r.record('t', 'raise KeyError(3)\n', ['plain']);
      expect(raises.ok ? '' : raises.error).toMatch(/KeyError: 3/);
      const mem = await r.record('t', 'x = [0] * 1000\n', ['plain', 'mem']);
      expect(mem.ok && mem.recording.memory!.tracemalloc_peak).toBeGreaterThan(8000);
    } finally {
      r.close();
    }
  }, 60_000);
});
