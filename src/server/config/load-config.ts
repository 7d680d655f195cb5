/**
 * Turns argv + environment into a validated, frozen RelayConfig using the option table.
 *
 * Invariant: validation lists every problem at once (never stops at the first), and a config
 * object only exists when there are none.
 */
import { isIP } from 'node:net';
import { formatDuration, parseDuration } from '../../core/util/duration.js';
import { SERVE_OPTIONS, envName, type OptionSpec } from './options.js';
import { readFlags } from './read-flags.js';
import { parseApiKeys, type ApiKeyEntry } from '../registry/api-keys.js';
import { trustProxyProblems } from '../transport/client-address.js';

export interface RelayConfig extends AccessConfig {
  listen: string;
  sshPort: number;
  hostname: string;
  /** Port printed in connection strings; null means the port actually bound. */
  advertisedPort: number | null;
  httpPort: number;
  /** Public base URL for web links; null means derived from hostname and the bound HTTP port. */
  webUrl: string | null;
  localSession: boolean;
  keysDir: string;
  allowKeyless: boolean;
  /** Offer zlib@openssh.com/zlib on SSH connections (only `none` otherwise). */
  sshCompression: boolean;
  scrollback: number;
  reconnectGraceMs: number;
  maxMessageSize: number;
  logLevel: LogLevel;
}

/** Session lifetime, API, access control and abuse limits (0 disables a limit). */
export interface AccessConfig {
  sessionTtlMs: number;
  maxSessionTtlMs: number;
  idleTtlMs: number;
  unjoinedTtlMs: number;
  /** null: generated at first start and kept in keysDir. */
  apiToken: string | null;
  apiKeys: ApiKeyEntry[];
  /** Server-wide viewer allow list file, or null. */
  authorizedKeys: string | null;
  /** `--max-sessions`: live sessions in the whole relay; 0 means no limit. */
  maxSessions: number;
  maxSessionsPerIp: number;
  maxViewersPerSession: number;
  connectionRateLimit: number;
  authFailureLimit: number;
  rateLimitWindowMs: number;
  authTimeoutMs: number;
  shutdownTimeoutMs: number;
  maxUnauthenticatedPerIp: number;
  viewerStallTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** `--max-http-connections-per-ip`: open HTTP connections per address (0: no limit). */
  maxHttpConnectionsPerIp: number;
  /** `--trust-proxy` entries: HTTP peers whose X-Forwarded-For names the client (empty: none). */
  trustProxy: string[];
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** On failure `authorizedKeys` is the file given, if any, so that the caller can check it too (it is read asynchronously). */
export type ConfigResult = { ok: true; config: RelayConfig } | { ok: false; problems: string[]; authorizedKeys: string | null };

/** `TMATE_RELAY_<FLAG>`; set to the empty string counts as not set (as shells and compose files leave it). */
export function envValue(env: NodeJS.ProcessEnv, flag: string): string | undefined {
  const value = env[envName(flag)];
  return value === '' ? undefined : value;
}

/** Parses `serve` argv (without the subcommand) and the environment. */
export function loadServeConfig(argv: string[], env: NodeJS.ProcessEnv): ConfigResult {
  const flags = readFlags(argv, SERVE_OPTIONS);
  const problems = [...flags.problems, ...flags.positionals.map((arg) => `unexpected argument '${arg}'`)];
  const raw: Record<string, string | undefined> = {};
  for (const spec of SERVE_OPTIONS) raw[spec.flag] = flags.values.get(spec.flag)?.at(-1) ?? envValue(env, spec.flag) ?? spec.default;
  const values = validateAll(raw, problems);
  if (problems.length > 0) return { ok: false, problems, authorizedKeys: typeof values['authorized-keys'] === 'string' ? values['authorized-keys'] : null };
  return { ok: true, config: Object.freeze(buildConfig(values)) };
}

/** Builds a config from defaults plus overrides, for tests and embedding. Throws on bad input. */
export function configWith(overrides: Partial<RelayConfig> = {}): RelayConfig {
  const result = loadServeConfig([], {});
  if (!result.ok) throw new Error(result.problems.join('; '));
  const merged = { ...result.config, ...overrides };
  if (overrides.hostname === undefined && overrides.listen !== undefined) merged.hostname = overrides.listen;
  return Object.freeze(merged);
}

type Parsed = Record<string, string | number | boolean | undefined>;

/** A DNS name (labels of letters, digits, dashes and underscores, dot-separated), at most 253 characters. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function validateAll(raw: Record<string, string | undefined>, problems: string[]): Parsed {
  const out: Parsed = {};
  for (const spec of SERVE_OPTIONS) {
    const text = raw[spec.flag];
    if (text === undefined) continue;
    const value = validateOne(spec, text);
    if (typeof value === 'object') problems.push(`--${spec.flag} (${envName(spec.flag)}): ${value.problem}`);
    else out[spec.flag] = value;
  }
  const local = out['local-session'];
  if (typeof local === 'string' && !['on', 'off', 'auto'].includes(local)) {
    problems.push(`--local-session (${envName('local-session')}): must be on, off or auto, got "${local}"`);
  }
  const hostname = out['hostname'];
  if (typeof hostname === 'string' && isIP(hostname) === 0 && !HOST_NAME.test(hostname)) {
    problems.push(`--hostname (${envName('hostname')}): expected a host name or an IP address (it is printed in ssh TOKEN@HOSTNAME and in the tmate config), got "${hostname}"`);
  }
  const webUrl = out['web-url'];
  if (typeof webUrl === 'string' && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(webUrl)) {
    problems.push(`--web-url (${envName('web-url')}): expected an http:// or https:// URL, got "${webUrl}"`);
  }
  const level = out['log-level'];
  if (typeof level === 'string' && !(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`--log-level (${envName('log-level')}): must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  }
  validateAccessOptions(out, problems);
  return out;
}

/** Cross-field and secret-bearing options; secrets are never echoed in a problem. */
function validateAccessOptions(out: Parsed, problems: string[]): void {
  const token = out['api-token'];
  if (typeof token === 'string' && !/^[\x21-\x7e]{16,}$/.test(token)) {
    problems.push(`--api-token (${envName('api-token')}): must be at least 16 printable characters without spaces`);
  }
  const keys = out['api-keys'];
  if (typeof keys === 'string') {
    const parsed = parseApiKeys(keys);
    if (!parsed.ok) for (const problem of parsed.problems) problems.push(`--api-keys (${envName('api-keys')}): ${problem}`);
  }
  const proxies = out['trust-proxy'];
  const proxyProblems = typeof proxies === 'string' ? trustProxyProblems(trustProxyEntries(proxies)) : [];
  for (const problem of proxyProblems) problems.push(`--trust-proxy (${envName('trust-proxy')}): ${problem}`);
  const ttl = out['session-ttl'];
  const maxTtl = out['max-session-ttl'];
  if (typeof ttl === 'number' && typeof maxTtl === 'number' && ttl > maxTtl) {
    problems.push(`--session-ttl (${envName('session-ttl')}): ${formatDuration(ttl)} must not exceed --max-session-ttl (${formatDuration(maxTtl)})`);
  }
}

export function validateOne(spec: OptionSpec, text: string): string | number | boolean | { problem: string } {
  switch (spec.kind) {
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off|)$/i.test(text)) return false;
      return { problem: `expected true or false, got "${text}"` };
    case 'port': {
      const min = spec.min ?? 0;
      return checkInteger(text, min, 65_535, min === 0 ? 'a port number (0 picks a free one)' : 'a port number') ?? Number(text);
    }
    case 'count':
      return checkInteger(text, spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER, 'a whole number') ?? Number(text);
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === null) return { problem: `expected a duration such as 90s, 15m or 2h, got "${text}"` };
      if (ms < (spec.min ?? 0) || ms > (spec.max ?? Infinity)) return { problem: `expected a duration from ${formatDuration(spec.min ?? 0)} to ${formatDuration(spec.max ?? Infinity)}, got "${text}"` };
      return ms;
    }
    case 'host':
      return isIP(text) !== 0 || text === 'localhost' ? text : { problem: `expected an IP address, got "${text}"` };
    case 'string':
      return text.length > 0 ? text : { problem: 'must not be empty' };
  }
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

function checkInteger(text: string, min: number, max: number, what: string): { problem: string } | undefined {
  if (!/^\d+$/.test(text)) return { problem: `expected ${what} from ${min} to ${max}, got "${text}"` };
  const n = Number(text);
  if (n < min || n > max) return { problem: `expected ${what} from ${min} to ${max}, got ${text}` };
  return undefined;
}

function buildConfig(v: Parsed): RelayConfig {
  const listen = String(v['listen']);
  const sshPort = Number(v['ssh-port']);
  return {
    listen,
    sshPort,
    hostname: typeof v['hostname'] === 'string' ? v['hostname'] : listen,
    advertisedPort: typeof v['advertised-port'] === 'number' ? v['advertised-port'] : null,
    httpPort: Number(v['http-port']),
    webUrl: typeof v['web-url'] === 'string' ? v['web-url'].replace(/\/+$/, '') : null,
    localSession: v['local-session'] === 'on' || (v['local-session'] === 'auto' && isLoopback(listen)),
    keysDir: String(v['keys-dir']),
    allowKeyless: v['allow-keyless'] === true,
    sshCompression: v['ssh-compression'] === true,
    scrollback: Number(v['scrollback']),
    reconnectGraceMs: Number(v['reconnect-grace']),
    maxMessageSize: Number(v['max-message-size']),
    logLevel: v['log-level'] as LogLevel,
    ...accessConfig(v),
  };
}

function trustProxyEntries(text: string): string[] {
  return text.split(',').map((entry) => entry.trim());
}

function accessConfig(v: Parsed): AccessConfig {
  const keys = typeof v['api-keys'] === 'string' ? parseApiKeys(v['api-keys']) : null;
  return {
    sessionTtlMs: Number(v['session-ttl']),
    maxSessionTtlMs: Number(v['max-session-ttl']),
    idleTtlMs: Number(v['idle-ttl']),
    unjoinedTtlMs: Number(v['unjoined-ttl']),
    apiToken: typeof v['api-token'] === 'string' ? v['api-token'] : null,
    apiKeys: keys?.ok ? keys.entries : [],
    authorizedKeys: typeof v['authorized-keys'] === 'string' ? v['authorized-keys'] : null,
    maxSessions: Number(v['max-sessions']),
    maxSessionsPerIp: Number(v['max-sessions-per-ip']),
    maxViewersPerSession: Number(v['max-viewers-per-session']),
    connectionRateLimit: Number(v['connection-rate-limit']),
    authFailureLimit: Number(v['auth-failure-limit']),
    rateLimitWindowMs: Number(v['rate-limit-window']),
    authTimeoutMs: Number(v['auth-timeout']),
    shutdownTimeoutMs: Number(v['shutdown-timeout']),
    maxUnauthenticatedPerIp: Number(v['max-unauthenticated-per-ip']),
    viewerStallTimeoutMs: Number(v['viewer-stall-timeout']),
    httpRequestTimeoutMs: Number(v['http-request-timeout']),
    maxHttpConnectionsPerIp: Number(v['max-http-connections-per-ip']),
    trustProxy: typeof v['trust-proxy'] === 'string' ? trustProxyEntries(v['trust-proxy']) : [],
  };
}
