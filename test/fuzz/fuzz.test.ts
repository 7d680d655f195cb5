/**
 * The fuzz targets in the normal test suite: every target of test/fuzz/targets with its
 * `quickRuns` cases (a few thousand in all, a few seconds), on a fixed seed so the suite is
 * deterministic; FUZZ_SEED=n picks another. `npm run fuzz` runs the same properties with
 * ≥ 100,000 cases each.
 */
import { describe, expect, it } from 'vitest';
import { TARGETS } from './targets/index.js';

const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : 0x7e1a;

describe('fuzz (quick run)', () => {
  it('covers a few thousand cases in all', () => {
    const total = TARGETS.reduce((n, t) => n + t.quickRuns, 0);
    expect(total).toBeGreaterThanOrEqual(2000);
    expect(total).toBeLessThanOrEqual(6000);
  });

  for (const target of TARGETS) {
    it(`${target.name}: ${target.checks}`, async () => {
      const outcome = await target.run({ numRuns: target.quickRuns, seed: SEED });
      expect(outcome.failed, outcome.report).toBe(false);
      expect(outcome.numRuns).toBe(target.quickRuns);
    }, 60_000);
  }
});
