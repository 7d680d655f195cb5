/**
 * API keys for named sessions (`tmate -k KEY -n NAME`): the relay is configured with pairs
 * `PREFIX=KEY` (`--api-keys`), and a host presenting KEY gets the stable tokens `PREFIX/NAME`.
 *
 * Invariants:
 * - Keys are compared in constant time (SHA-256 digests, timingSafeEqual) against every entry.
 * - Keys never reach a log line or an error message; prefixes may.
 * - A prefix is a valid session name that does not start with `ro-`, so read-only tokens (which
 *   start with `ro-`) and read-write tokens never share a namespace.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isValidSessionName } from './tokens.js';

export interface ApiKeyEntry {
  prefix: string;
  key: string;
}

export type ApiKeysParse = { ok: true; entries: ApiKeyEntry[] } | { ok: false; problems: string[] };

const MIN_KEY_LENGTH = 16;

export class ApiKeyTable {
  private readonly entries: { prefix: string; digest: Buffer }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.entries = entries.map((e) => ({ prefix: e.prefix, digest: digest(e.key) }));
  }

  /** True when the relay has any API key configured. */
  get enabled(): boolean {
    return this.entries.length > 0;
  }

  /** The prefix KEY maps to, or null for an unknown key. */
  prefixFor(key: string): string | null {
    const given = digest(key);
    let found: string | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(given, entry.digest) && found === null) found = entry.prefix;
    }
    return found;
  }
}

/** Parses `--api-keys`: `PREFIX=KEY` pairs separated by commas (whitespace around them ignored); every bad pair is reported. */
export function parseApiKeys(text: string): ApiKeysParse {
  const entries: ApiKeyEntry[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const problem = pairProblem(item, entries);
    if (problem !== null) problems.push(problem);
    else entries.push({ prefix: item.slice(0, item.indexOf('=')), key: item.slice(item.indexOf('=') + 1) });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, entries };
}

/** What is wrong with one `PREFIX=KEY` pair given the pairs accepted before it (never echoing a key). */
function pairProblem(item: string, entries: readonly ApiKeyEntry[]): string | null {
  const eq = item.indexOf('=');
  if (eq < 0) return 'expected PREFIX=KEY pairs separated by commas (one item has no "=")';
  const prefix = item.slice(0, eq);
  const key = item.slice(eq + 1);
  if (!isValidSessionName(prefix) || prefix.startsWith('ro-')) {
    return `"${prefix}" is not a valid prefix (letters, digits and single dashes, at most 50, not starting with ro-)`;
  }
  if (key.length < MIN_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    return `the key for prefix "${prefix}" must be at least ${MIN_KEY_LENGTH} printable characters without spaces or commas`;
  }
  if (entries.some((e) => e.prefix === prefix)) return `prefix "${prefix}" is listed twice`;
  // One key names one prefix: with two, which tokens a host gets would depend on the table's order.
  const same = entries.find((e) => e.key === key);
  if (same) return `prefixes "${same.prefix}" and "${prefix}" have the same key`;
  return null;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
