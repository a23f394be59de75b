import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesTick, formatCompactCount, formatCount, formatDateTime, formatDurationNs, formatMs } from './format';

describe('formatBytes', () => {
  it('keeps small sizes in bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });
  it('uses binary units with precision that shrinks as the value grows', () => {
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(15 * 1024 * 1024 + 512 * 1024)).toBe('15.5 MiB');
    expect(formatBytes(300 * 1024 ** 3)).toBe('300 GiB');
  });
  it('handles negatives and non-finite values', () => {
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatBytesTick', () => {
  it('drops trailing zeros', () => {
    expect(formatBytesTick(1024 ** 2)).toBe('1 MiB');
    expect(formatBytesTick(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(formatBytesTick(1.25 * 1024 ** 2)).toBe('1.25 MiB');
    expect(formatBytesTick(512 * 1024)).toBe('512 KiB');
    expect(formatBytesTick(0)).toBe('0 B');
  });
});

describe('counts', () => {
  it('groups thousands', () => expect(formatCount(1234567)).toBe('1,234,567'));
  it('compacts axis ticks', () => {
    expect(formatCompactCount(950)).toBe('950');
    expect(formatCompactCount(12_500)).toBe('12.5k');
    expect(formatCompactCount(3_000_000)).toBe('3M');
  });
});

describe('durations', () => {
  it('picks a unit by magnitude', () => {
    expect(formatDurationNs(500)).toBe('500 ns');
    expect(formatDurationNs(2_500)).toBe('2.5 µs');
    expect(formatDurationNs(12_000_000)).toBe('12 ms');
    expect(formatDurationNs(3_210_000_000)).toBe('3.21 s');
    expect(formatDurationNs(125e9)).toBe('2 min 5 s');
  });
  it('formats chart milliseconds', () => {
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.25)).toBe('250 µs');
    expect(formatMs(42)).toBe('42 ms');
    expect(formatMs(1500)).toBe('1.5 s');
  });
  it('formats dates and leaves garbage alone', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
    expect(formatDateTime('2026-11-23T21:14:00Z')).toMatch(/^2026-11-2\d \d\d:\d4$/);
  });
});
