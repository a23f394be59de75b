import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScenariosDir, describeScenario, listScenarios } from './scenarios';

describe('scenarios', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('reads title and summary from the module docstring', () => {
    const src = '"""Leaking cache\n\nA dict that only grows: watch live bytes climb\nwhile the collector finds nothing.\n\nMore details.\n"""\ncache = {}\n';
    expect(describeScenario(src, 'x')).toEqual({ title: 'Leaking cache', summary: 'A dict that only grows: watch live bytes climb while the collector finds nothing.' });
    expect(describeScenario("# comment\n'''Title only'''\n", 'x')).toEqual({ title: 'Title only', summary: '' });
    expect(describeScenario('x = 1\n', 'fallback')).toEqual({ title: 'fallback', summary: '' });
  });

  it('lists the .py files of the folder, sorted, with their source', () => {
    dir = mkdtempSync(join(tmpdir(), 'pygc-sc-'));
    writeFileSync(join(dir, 'b-cycles.py'), '"""Cycles\n\nRef cycles."""\n');
    writeFileSync(join(dir, 'a-loop.py'), '"""Request loop\n\nA server loop."""\nprint(1)\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const list = listScenarios(dir);
    expect(list.map((s) => s.id)).toEqual(['a-loop', 'b-cycles']);
    expect(list[0]).toMatchObject({ title: 'Request loop', summary: 'A server loop.' });
    expect(list[0]!.source).toContain('print(1)');
    expect(listScenarios(join(dir, 'missing'))).toEqual([]);
  });

  it('finds the folder from out/main, or from the env override', () => {
    expect(defaultScenariosDir('/app/out/main', {})).toBe(resolve('/app/scenarios'));
    expect(defaultScenariosDir('/app/out/main', { PYGC_LAB_SCENARIOS: '/elsewhere' })).toBe('/elsewhere');
  });
});
