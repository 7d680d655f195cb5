/**
 * Sample statistics for the report: percentiles (linear interpolation between closest ranks,
 * the same as numpy's default), and small number formatters.
 *
 * Invariant: an empty sample gives null figures, never NaN.
 */

export interface Summary {
  n: number;
  min: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((x, y) => x - y);
  const n = sorted.length;
  return {
    n,
    min: n ? sorted[0]! : null,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1]! : null,
    mean: n ? sorted.reduce((s, x) => s + x, 0) / n : null,
  };
}

export function median(samples: readonly number[]): number | null {
  return summarize(samples).p50;
}

/** hrtime difference in milliseconds. */
export function msBetween(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}

export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/**
 * `value` formatted for comparison with a goal `limit`: two decimals, more (up to 4) while the
 * rounded figure would read as the limit itself though it is not (10.004 ms against ≤ 10 ms reads
 * 10.004, not 10.00, next to "missed").
 */
export function fmtAgainst(value: number | null | undefined, limit: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  let digits = 2;
  while (digits < 4 && value !== limit && Number(value.toFixed(digits)) === limit) digits++;
  return value.toFixed(digits);
}

export function fmtRatio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  // Keep two significant digits for small ratios (0.0021×, not 0.00×).
  return `${value > 0 && value < 0.1 ? value.toPrecision(2) : value.toFixed(2)}×`;
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

export const MiB = 1024 * 1024;
