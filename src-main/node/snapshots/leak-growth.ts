// When a series of per-snapshot figures (objects or bytes, oldest first) looks like a leak:
// growth that is steady across the session, not a first-versus-last difference.

/** Share of snapshot-to-snapshot steps that must increase. */
export const MIN_UP_SHARE = 0.6;
/** The largest fall below the running maximum, as a share of the whole growth, still called growth. */
export const MAX_GIVE_BACK = 0.25;

export interface Growth {
  /** Steps that increased (out of length - 1). */
  ups: number;
  /** last - first. */
  growth: number;
}

/**
 * Monotonic-ish growth: at least three snapshots; most steps (MIN_UP_SHARE) increase; the last
 * value is above the middle one (still growing in the second half: a warm-up that levelled
 * off is not a leak); whatever was given back on the way is small against the growth (a cache
 * that was cleared is not a leak). Null when the series does not grow that way.
 */
export function steadyGrowth(x: ArrayLike<number>): Growth | null {
  const s = x.length;
  if (s < 3) return null;
  const steps = s - 1;
  const growth = x[s - 1]! - x[0]!;
  if (!(growth > 0)) return null;
  let ups = 0;
  let max = x[0]!;
  let giveBack = 0;
  for (let i = 1; i < s; i++) {
    if (x[i]! > x[i - 1]!) ups++;
    giveBack = Math.max(giveBack, max - x[i]!);
    max = Math.max(max, x[i]!);
  }
  if (ups < Math.ceil(MIN_UP_SHARE * steps - 1e-9)) return null;
  if (!(x[s - 1]! > x[Math.floor(steps / 2)]!)) return null;
  if (giveBack > MAX_GIVE_BACK * growth) return null;
  return { ups, growth };
}
