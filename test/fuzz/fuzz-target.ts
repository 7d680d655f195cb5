/**
 * What every fuzz target is: a name, how many cases the normal test suite runs, and a `run` that
 * checks its fast-check property with the given run count and seed. The same targets run in the
 * normal suite (test/fuzz/fuzz.test.ts, a few hundred cases each) and in `npm run fuzz`
 * (test/fuzz/run-fuzz.ts, ≥ 100,000 cases each).
 *
 * Invariants: a target owns whatever it starts (a relay, an engine) and releases it before `run`
 * resolves, pass or fail; a failure is reported as a value (the fast-check report with the
 * shrunk counterexample, the seed and the replay path), never thrown.
 */
import fc from 'fast-check';

export interface FuzzParams {
  numRuns: number;
  seed: number;
  /** fast-check replay path of a reported counterexample (use with the same seed). */
  path?: string;
}

export interface FuzzOutcome {
  target: string;
  /** Cases actually run (fast-check stops at the first failure). */
  numRuns: number;
  seed: number;
  failed: boolean;
  /** fast-check's report: counterexample, seed, path, the error; empty when it passed. */
  report: string;
}

export interface FuzzTarget {
  readonly name: string;
  /** What the property asserts, one line (printed by the runner). */
  readonly checks: string;
  /** Cases in the normal test suite (the whole suite stays at a few thousand). */
  readonly quickRuns: number;
  run(params: FuzzParams): Promise<FuzzOutcome>;
}

function parameters<Ts>(params: FuzzParams): fc.Parameters<Ts> {
  return { numRuns: params.numRuns, seed: params.seed, ...(params.path === undefined ? {} : { path: params.path }) };
}

/** Checks a synchronous property and turns fast-check's details into an outcome. */
export function checkSync<Ts>(target: string, property: fc.IProperty<Ts>, params: FuzzParams): FuzzOutcome {
  const details = fc.check(property, parameters<Ts>(params));
  return outcome(target, params, details, details.failed ? (fc.defaultReportMessage(details) ?? '') : '');
}

/** Checks an asynchronous property (e.g. one that makes HTTP requests). */
export async function checkAsync<Ts>(target: string, property: fc.IAsyncProperty<Ts>, params: FuzzParams): Promise<FuzzOutcome> {
  const details = await fc.check(property, parameters<Ts>(params));
  return outcome(target, params, details, details.failed ? ((await fc.asyncDefaultReportMessage(details)) ?? '') : '');
}

function outcome<Ts>(target: string, params: FuzzParams, details: fc.RunDetails<Ts>, report: string): FuzzOutcome {
  const error = details.errorInstance;
  const why = error instanceof Error ? (error.stack ?? error.message) : error === null || error === undefined ? '' : String(error);
  const full = details.failed && why !== '' && !report.includes(why) ? `${report}\nError: ${why}` : report;
  return { target, numRuns: details.numRuns, seed: params.seed, failed: details.failed, report: full };
}

/** A plain assertion for hot property code (vitest's expect is too slow per case). */
export function check(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'string' ? message : message());
}
