import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseKey, readCorpora } from './corpus';

function corpus(root: string, dir: string, name: string, version: string): string {
  const d = join(root, dir);
  mkdirSync(join(d, 'cases'), { recursive: true });
  mkdirSync(join(d, 'expected'), { recursive: true });
  writeFileSync(join(d, 'cases', name + '.py'), 'RESULT = 1\n');
  writeFileSync(join(d, 'expected', name + '.json'), JSON.stringify({ case: name, python: { version } }));
  return d;
}

describe('fidelity corpora on disk', () => {
  it('keys 3.11 recordings by name and other versions by name@minor', () => {
    expect(caseKey('loop', '3.11.7 (main, …) [GCC 12.2.0]')).toBe('loop');
    expect(caseKey('loop', '3.13.0 (main, …) [GCC 12.2.0]')).toBe('loop@3.13');
    expect(caseKey('loop', '3.12.1')).toBe('loop@3.12');
  });

  it('reads the same case recorded on two versions, and refuses one recorded twice on a version', () => {
    const root = mkdtempSync(join(tmpdir(), 'pygc-corpus-'));
    const a = corpus(root, 'a', 'loop', '3.11.7');
    const b = corpus(root, 'b', 'loop', '3.13.0');
    expect(readCorpora([a, b]).map((c) => c.key)).toEqual(['loop', 'loop@3.13']);
    const c = corpus(root, 'c', 'loop', '3.13.0');
    expect(() => readCorpora([a, b, c])).toThrow(/'loop@3.13' is in both .*b and .*c/);
  });
});
