/**
 * Session tokens have at least 128 bits of entropy: 25 characters drawn uniformly from tmate's
 * 55-character alphabet give 25 × log2(55) ≈ 144.5 bits (read-only tokens: `ro-` + 25 more, drawn
 * independently). Checked from the generator's alphabet and length, plus a statistical sanity
 * check of 10,000 pairs: all distinct, every character used, and the character counts (overall
 * and per position) pass a chi-square test with a threshold so loose (p < 1e-15 for a correct
 * generator) that it cannot flake, yet a generator stuck on part of the alphabet fails it.
 */
import { describe, expect, it } from 'vitest';
import { READ_ONLY_PREFIX, TOKEN_ALPHABET, TOKEN_LENGTH, isWellFormedToken, newTokenPair } from '../../../src/server/registry/tokens.js';

const N = 10_000;
const K = TOKEN_ALPHABET.length;
/** Chi-square with K - 1 = 54 degrees of freedom: mean 54, sd ≈ 10.4; 200 is ~14 sd out. */
const CHI2_LIMIT = 200;

function chiSquare(counts: ReadonlyMap<string, number>, total: number): number {
  const expected = total / K;
  let sum = 0;
  for (const c of TOKEN_ALPHABET) sum += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
  return sum;
}

describe('session tokens', () => {
  it('are 25 characters of a 55-character alphabet: ≥ 128 bits', () => {
    expect(new Set(TOKEN_ALPHABET).size).toBe(55);
    expect(TOKEN_ALPHABET).not.toMatch(/[ilo01IO]/);
    expect(TOKEN_LENGTH).toBe(25);
    const bits = TOKEN_LENGTH * Math.log2(TOKEN_ALPHABET.length);
    expect(bits).toBeGreaterThanOrEqual(128);
    expect(bits).toBeCloseTo(144.5, 1);
  });

  it('10,000 pairs: well formed, all distinct, every character used, uniform overall and per position', () => {
    const body = new RegExp(`^[${TOKEN_ALPHABET}]{${TOKEN_LENGTH}}$`);
    const seen = new Set<string>();
    const overall = new Map<string, number>();
    const perPosition = Array.from({ length: TOKEN_LENGTH }, () => new Map<string, number>());
    for (let n = 0; n < N; n++) {
      const { rw, ro } = newTokenPair();
      expect(rw).toMatch(body);
      expect(ro.startsWith(READ_ONLY_PREFIX)).toBe(true);
      const roBody = ro.slice(READ_ONLY_PREFIX.length);
      expect(roBody).toMatch(body);
      expect(isWellFormedToken(rw) && isWellFormedToken(ro)).toBe(true);
      for (const t of [rw, roBody]) {
        seen.add(t);
        for (let i = 0; i < t.length; i++) {
          const c = t[i]!;
          overall.set(c, (overall.get(c) ?? 0) + 1);
          perPosition[i]!.set(c, (perPosition[i]!.get(c) ?? 0) + 1);
        }
      }
    }
    expect(seen.size).toBe(2 * N); // no repeats, and ro is not derived from rw
    expect(overall.size).toBe(K);
    expect(chiSquare(overall, 2 * N * TOKEN_LENGTH)).toBeLessThan(CHI2_LIMIT);
    for (const counts of perPosition) expect(chiSquare(counts, 2 * N)).toBeLessThan(CHI2_LIMIT);
  });

  it('the chi-square check is able to fail: a generator that never uses 5 of the characters is caught', () => {
    const skewed = new Map<string, number>();
    const used = TOKEN_ALPHABET.slice(5);
    for (let n = 0; n < 2 * N * TOKEN_LENGTH; n++) {
      const c = used[n % used.length]!;
      skewed.set(c, (skewed.get(c) ?? 0) + 1);
    }
    expect(chiSquare(skewed, 2 * N * TOKEN_LENGTH)).toBeGreaterThan(CHI2_LIMIT);
  });
});
