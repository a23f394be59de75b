import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFile, resolveDataDir } from './paths';

describe('resolveDataDir', () => {
  it('uses the platform data folder', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', home: '/home/ada' })).toBe(join('/home/ada', '.local', 'share', 'pygc-lab'));
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/xdg' }, platform: 'linux', home: '/home/ada' })).toBe(join('/xdg', 'pygc-lab'));
    expect(resolveDataDir({ env: {}, platform: 'darwin', home: '/Users/ada' })).toBe(join('/Users/ada', 'Library', 'Application Support', 'pygc-lab'));
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\ada' })).toBe(join('C:\\Users\\ada\\AppData\\Roaming', 'pygc-lab'));
  });

  it('PYGC_LAB_DATA overrides the platform folder, and --data overrides both', () => {
    expect(resolveDataDir({ env: { PYGC_LAB_DATA: '/data', XDG_DATA_HOME: '/xdg' }, platform: 'linux', home: '/h' })).toBe('/data');
    expect(resolveDataDir({ flag: '/flag', env: { PYGC_LAB_DATA: '/data' }, platform: 'linux', home: '/h' })).toBe('/flag');
    expect(databaseFile('/data')).toBe(join('/data', 'pygc-lab.sqlite'));
  });
});
