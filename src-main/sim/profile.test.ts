import { describe, expect, it } from 'vitest';
import { PROFILES as PROFILE_IDS } from '../common/domain';
import { Heap } from './heap';
import { PROFILES, profileSpec, sizesFor } from './profile';

describe('the profile table', () => {
  it('has a row for every profile the contract offers, and nothing else', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_IDS].sort());
    for (const id of PROFILE_IDS) expect(PROFILES[id].id).toBe(id);
  });
  it('rejects an id that is not in the table instead of treating it as another version', () => {
    expect(() => profileSpec('3.12')).toThrow(/unknown Python profile '3.12'/);
    expect(() => sizesFor('3.14')).toThrow(RangeError);
    expect(() => new Heap({ profile: '3.12' as never })).toThrow(/unknown Python profile/);
    expect(() => profileSpec('toString')).toThrow(RangeError);
  });
  it('the heap takes its thresholds, sizes and collection point from its row', () => {
    const h11 = new Heap({ profile: '3.11' });
    const h13 = new Heap({ profile: '3.13' });
    expect(h11.spec).toBe(PROFILES['3.11']);
    expect(h11.gc.getThreshold()).toEqual([700, 10, 10]);
    expect(h13.gc.getThreshold()).toEqual([2000, 10, 10]);
    expect(h13.sizes).toBe(PROFILES['3.13'].sizes);
    expect([h11.spec.collectAt, h13.spec.collectAt]).toEqual(['allocation', 'eval-breaker']);
    expect(PROFILES['3.13'].sysVersion.startsWith(PROFILES['3.13'].versionInfo.join('.'))).toBe(true);
  });
});
