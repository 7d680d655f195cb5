/**
 * The `tmate-relay host` option table and its parsing: flag, environment variable
 * (`TMATE_RELAY_<NAME>`), default and doc in one place; `--help` is generated from it.
 *
 * Invariant: every problem is reported at once; a HostConfig only exists when there are none.
 */
import { envName, type OptionSpec } from '../server/config/options.js';
import { envValue, validateOne } from '../server/config/load-config.js';
import { readFlags } from '../server/config/read-flags.js';
import { isValidSessionName } from '../server/registry/tokens.js';

export const HOST_OPTIONS = [
  {
    flag: 'server',
    kind: 'string',
    default: undefined,
    doc: 'The relay: HOST[:PORT] for SSH (port 22 by default), or ws://HOST[:PORT] / wss://HOST[:PORT] (the relay\'s HTTP base URL) for WebSocket.',
  },
  {
    flag: 'fingerprint',
    kind: 'string',
    default: undefined,
    doc: 'The relay\'s SSH host key fingerprint (SHA256:…, as `tmate-relay keys` prints it); repeat for several. Without it the key is not verified. SSH only: refused with ws:// and wss://.',
  },
  { flag: 'ttl', kind: 'duration', default: undefined, min: 1000, max: 2_592_000_000, doc: 'Session lifetime, e.g. 30m or 2h (the relay\'s default if not given).' },
  { flag: 'read-only', kind: 'boolean', default: 'false', doc: 'Share read-only: every viewer watches, nobody types.' },
  { flag: 'authorized-keys', kind: 'string', default: undefined, doc: 'File of SSH public keys (authorized_keys format); only these keys may join.' },
  { flag: 'name', kind: 'string', default: undefined, doc: 'Fixed session name, used as the token (letters, digits, single dashes).' },
  { flag: 'init', kind: 'string', default: undefined, doc: 'Shell file sourced by every new shell (e.g. CI helper functions).' },
  {
    flag: 'connect-timeout',
    kind: 'duration',
    default: '60s',
    min: 1000,
    max: 86_400_000,
    doc: 'Give up when the relay cannot be reached (exit 69), or keeps refusing the session (exit 77), for this long, at start or after a drop.',
  },
  { flag: 'quiet', kind: 'boolean', default: 'false', doc: 'Do not mirror the session\'s output to stdout.' },
] as const satisfies readonly OptionSpec[];

export type ServerTarget =
  | { kind: 'ssh'; host: string; port: number }
  | { kind: 'ws'; url: string };

export interface HostConfig {
  server: ServerTarget;
  fingerprints: string[];
  ttlMs: number | null;
  readOnly: boolean;
  authorizedKeysFile: string | null;
  name: string | null;
  initFile: string | null;
  quiet: boolean;
  connectTimeoutMs: number;
  /** Run instead of the login shell in every window (`-- COMMAND…`). */
  command: string[] | null;
}

export type HostConfigResult = { ok: true; config: HostConfig } | { ok: false; problems: string[] };

export function loadHostConfig(argv: string[], env: NodeJS.ProcessEnv): HostConfigResult {
  const problems: string[] = [];
  const dashDash = argv.indexOf('--');
  const flagArgs = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  const command = dashDash >= 0 ? argv.slice(dashDash + 1) : [];
  const flags = readFlags(flagArgs, HOST_OPTIONS.map((o) => ({ ...o, multiple: o.flag === 'fingerprint' })));
  problems.push(...flags.problems, ...flags.positionals.map((arg) => `unexpected argument '${arg}' (a command to run goes after --)`));
  const read = (flag: string): string | undefined =>
    flags.values.get(flag)?.at(-1) ?? envValue(env, flag) ?? HOST_OPTIONS.find((o) => o.flag === flag)?.default;
  const checked: Record<string, string | number | boolean | undefined> = {};
  for (const spec of HOST_OPTIONS) {
    const text = read(spec.flag);
    if (text === undefined) continue;
    const value = validateOne(spec, text);
    if (typeof value === 'object') problems.push(`--${spec.flag} (${envName(spec.flag)}): ${value.problem}`);
    else checked[spec.flag] = value;
  }
  // Given but invalid (already reported) is not also "required".
  const server = read('server') !== undefined && typeof checked['server'] !== 'string' ? null : parseServer(checked['server'] as string | undefined, problems);
  const fingerprints = collectFingerprints(flags.values.get('fingerprint'), env, problems);
  if (server?.kind === 'ws' && fingerprints.length > 0) {
    problems.push('--fingerprint: it checks the relay\'s SSH host key, which a ws:// or wss:// connection never sees; connect over SSH (--server HOST[:PORT]) to pin the key, or drop --fingerprint');
  }
  if (dashDash >= 0 && command.length === 0) problems.push('nothing after "--": give a command to run, or drop the "--"');
  const name = checked['name'];
  if (typeof name === 'string' && !isValidSessionName(name)) {
    problems.push(`--name (${envName('name')}): "${name}" is not a session name (letters, digits and single dashes, at most 50)`);
  }
  if (problems.length > 0 || !server) return { ok: false, problems };
  return {
    ok: true,
    config: {
      server,
      fingerprints,
      ttlMs: typeof checked['ttl'] === 'number' ? checked['ttl'] : null,
      readOnly: checked['read-only'] === true,
      authorizedKeysFile: stringOrNull(checked['authorized-keys']),
      name: stringOrNull(checked['name']),
      initFile: stringOrNull(checked['init']),
      quiet: checked['quiet'] === true,
      connectTimeoutMs: Number(checked['connect-timeout']),
      command: command.length > 0 ? command : null,
    },
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseServer(text: string | undefined, problems: string[]): ServerTarget | null {
  if (text === undefined) {
    problems.push(`--server (${envName('server')}): required, e.g. --server relay.example.com:2222`);
    return null;
  }
  if (/^wss?:\/\//.test(text)) {
    try {
      return { kind: 'ws', url: new URL(text).toString() };
    } catch {
      problems.push(`--server: "${text}" is not a valid URL`);
      return null;
    }
  }
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s/]+)(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[2] === undefined ? 22 : Number(match[2]);
  if (!match || port < 1 || port > 65_535) {
    problems.push(`--server: expected HOST[:PORT], ws://… or wss://…, got "${text}"`);
    return null;
  }
  return { kind: 'ssh', host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function collectFingerprints(flagValues: string[] | undefined, env: NodeJS.ProcessEnv, problems: string[]): string[] {
  const given = flagValues ?? envValue(env, 'fingerprint')?.split(/[\s,]+/).filter(Boolean) ?? [];
  for (const fingerprint of given) {
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) {
      problems.push(`--fingerprint: expected SHA256: followed by 43 base64 characters (no = padding), got "${fingerprint}"`);
    }
  }
  return given;
}
