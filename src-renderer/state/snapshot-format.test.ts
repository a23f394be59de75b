import { describe, expect, it } from 'vitest';
import {
  deltaTone,
  formatBytesDelta,
  formatCountDelta,
  generationShares,
  groupKey,
  groupLabel,
  retainersQuery,
  snapshotLabel,
  sourceLineOf,
  sparklinePoints,
  togglePick,
} from './snapshot-format';

describe('deltas', () => {
  it('formats signed counts and bytes with a real minus sign', () => {
    expect(formatCountDelta(1234)).toBe('+1,234');
    expect(formatCountDelta(-56)).toBe('\u221256');
    expect(formatCountDelta(0)).toBe('0');
    expect(formatBytesDelta(1536)).toBe('+1.50 KiB');
    expect(formatBytesDelta(-169143)).toBe('\u2212165 KiB');
    expect(formatBytesDelta(0)).toBe('0 B');
  });
  it('highlights growth by bytes first, then by count', () => {
    expect(deltaTone({ sizeDiff: 10, countDiff: -3 })).toBe('grow');
    expect(deltaTone({ sizeDiff: -10, countDiff: 3 })).toBe('shrink');
    expect(deltaTone({ sizeDiff: 0, countDiff: 2 })).toBe('grow');
    expect(deltaTone({ sizeDiff: 0, countDiff: 0 })).toBe('same');
  });
});

describe('groups', () => {
  it('labels a row by what its grouping kept', () => {
    expect(groupLabel({ type: 'list', filename: 'cache_lru.py', line: 16 })).toBe('list at cache_lru.py:16');
    expect(groupLabel({ type: null, filename: 'cache_lru.py', line: 16 })).toBe('cache_lru.py:16');
    expect(groupLabel({ type: 'dict', filename: null, line: null })).toBe('dict');
    expect(groupLabel({ type: null, filename: '<interpreter>', line: 0 })).toBe('<interpreter>');
  });
  it('keys rows apart even when a field is grouped out', () => {
    expect(groupKey({ type: 'a', filename: null, line: null })).not.toBe(groupKey({ type: null, filename: 'a', line: null }));
  });
  it('asks for retainers with only the fields the row has', () => {
    expect(retainersQuery({ type: null, filename: 'x.py', line: 3 })).toEqual({ filename: 'x.py', line: 3 });
    expect(retainersQuery({ type: 'dict', filename: null, line: null })).toEqual({ type: 'dict' });
  });
  it('opens the source only for lines of the script', () => {
    expect(sourceLineOf({ type: null, filename: 'x.py', line: 3 }, 'x.py')).toBe(3);
    expect(sourceLineOf({ type: null, filename: '<interpreter>', line: 0 }, 'x.py')).toBeNull();
    expect(sourceLineOf({ type: null, filename: 'other.py', line: 3 }, 'x.py')).toBeNull();
    expect(sourceLineOf({ type: 'list', filename: null, line: null }, 'x.py')).toBeNull();
  });
});

describe('generationShares', () => {
  it('gives percentages of the split, and zeros for an empty one', () => {
    expect(generationShares([1, 1, 0, 2, 0])).toEqual([25, 25, 0, 50, 0]);
    expect(generationShares([0, 0, 0, 0, 0])).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('snapshotLabel', () => {
  it('shows order, simulated time and why it was taken', () => {
    expect(snapshotLabel({ seq: 3, t: 1_500_000, reason: 'auto' })).toBe('#3 · 1.5 ms · automatic');
    expect(snapshotLabel({ seq: 1, t: 0, reason: 'script' })).toBe('#1 · 0 ms · take_snapshot()');
  });
});

describe('togglePick', () => {
  const seq = (id: number) => id * 10;
  it('completes a pair on the second pick, oldest first', () => {
    const one = togglePick([], 7, seq);
    expect(one).toEqual({ picked: [7], pair: null });
    expect(togglePick(one.picked, 3, seq)).toEqual({ picked: [7, 3], pair: [3, 7] });
  });
  it('unpicks a picked mark, and keeps the last two picks', () => {
    expect(togglePick([7], 7, seq)).toEqual({ picked: [], pair: null });
    expect(togglePick([1, 2], 5, seq)).toEqual({ picked: [2, 5], pair: [2, 5] });
  });
});

describe('sparklinePoints', () => {
  it('spreads the values across the box, the maximum at the top', () => {
    expect(sparklinePoints([0, 5, 10], 20, 10)).toBe('0.0,10.0 10.0,5.0 20.0,0.0');
    expect(sparklinePoints([], 20, 10)).toBe('');
    expect(sparklinePoints([4], 20, 10)).toBe('0.0,0.0');
  });
});
