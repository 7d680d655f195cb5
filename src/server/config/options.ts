/**
 * The one declarative table of `tmate-relay serve` options: flag, environment variable, default,
 * kind and documentation. `--help`, the README table, parsing and validation all read this table;
 * add an option here and nowhere else.
 *
 * Invariant: every option can be set by flag or by `TMATE_RELAY_<NAME>`; a flag wins over the
 * environment, which wins over the default.
 */

export type OptionKind = 'string' | 'port' | 'boolean' | 'count' | 'duration' | 'host';

export interface OptionSpec {
  /** Long flag without the leading dashes, e.g. `ssh-port`. */
  flag: string;
  kind: OptionKind;
  /** Default as the user would type it; `undefined` means "derived" (see doc). */
  default: string | undefined;
  doc: string;
  /** Inclusive range for numeric kinds. */
  min?: number;
  max?: number;
}

export const SERVE_OPTIONS = [
  { flag: 'listen', kind: 'host', default: '127.0.0.1', doc: 'Address to listen on (SSH and HTTP).' },
  { flag: 'ssh-port', kind: 'port', default: '2222', doc: 'SSH port for hosts (tmate) and viewers (ssh).' },
  {
    flag: 'hostname',
    kind: 'string',
    default: undefined,
    doc: 'Host name printed in connection strings (ssh TOKEN@HOSTNAME). Defaults to the listen address.',
  },
  {
    flag: 'advertised-port',
    kind: 'port',
    default: undefined,
    min: 1,
    doc: 'SSH port printed in connection strings, if it differs from --ssh-port (e.g. behind NAT). Defaults to --ssh-port.',
  },
  { flag: 'http-port', kind: 'port', default: '8080', doc: 'HTTP port: API, health, metrics, web viewer and the WebSocket endpoints.' },
  {
    flag: 'web-url',
    kind: 'string',
    default: undefined,
    doc: 'Public base URL of the HTTP listener, used in web links (e.g. https://relay.example.com). Defaults to http://HOSTNAME:HTTP_PORT.',
  },
  {
    flag: 'local-session',
    kind: 'string',
    default: 'auto',
    doc: 'Start a relay-local shared session at launch and print its ssh command: on, off, or auto (on when listening on loopback).',
  },
  { flag: 'keys-dir', kind: 'string', default: 'keys', doc: 'Directory for host keys and secrets (created, mode 0700).' },
  {
    flag: 'allow-keyless',
    kind: 'boolean',
    default: 'false',
    doc: 'Admit viewers that offer no SSH public key; they log in through keyboard-interactive, with no prompt (by default a key is required, as the classic tmate did).',
  },
  {
    flag: 'ssh-compression',
    kind: 'boolean',
    default: 'false',
    doc: 'Offer zlib compression on SSH connections (the stock tmate host and `ssh -C` ask for it). Off by default: compression costs the relay and every tmate host CPU on each byte of output, and terminal traffic is small.',
  },
  {
    flag: 'scrollback',
    kind: 'count',
    default: '2000',
    min: 0,
    max: 100_000,
    doc: 'Scrollback lines kept per pane (tmate hosts keep 2000).',
  },
  {
    flag: 'reconnect-grace',
    kind: 'duration',
    default: '60s',
    min: 0,
    max: 86_400_000,
    doc: 'How long a session waits for its host to reconnect after the connection drops.',
  },
  {
    flag: 'max-message-size',
    kind: 'count',
    default: '16777216',
    min: 65_536,
    max: 1_073_741_824,
    doc: 'Largest single tmate protocol message accepted from a host, in bytes.',
  },
  // ---- session lifetime ----
  {
    flag: 'session-ttl',
    kind: 'duration',
    default: '30m',
    min: 1000,
    max: 30 * 86_400_000,
    doc: 'How long a session lives unless extended (a host may ask for another TTL, up to --max-session-ttl). Everyone is warned 5 and 1 minutes before.',
  },
  {
    flag: 'max-session-ttl',
    kind: 'duration',
    default: '24h',
    min: 1000,
    max: 30 * 86_400_000,
    doc: 'Longest time left a session may have: a host asking for more gets this much; an API ttl or extension beyond it is refused (400).',
  },
  {
    flag: 'idle-ttl',
    kind: 'duration',
    default: '0',
    min: 0,
    max: 30 * 86_400_000,
    doc: 'End a session after this long without viewer input or host output; 0 disables.',
  },
  {
    flag: 'unjoined-ttl',
    kind: 'duration',
    default: '0',
    min: 0,
    max: 30 * 86_400_000,
    doc: 'End a session nobody joined within this long after it started; 0 disables.',
  },
  // ---- HTTP API and named sessions ----
  {
    flag: 'api-token',
    kind: 'string',
    default: undefined,
    doc: 'Token for the HTTP API (Authorization: token TOKEN), at least 16 characters. Defaults to one generated at first start and kept in --keys-dir/api-token.',
  },
  {
    flag: 'api-keys',
    kind: 'string',
    default: undefined,
    doc: 'API keys for named sessions, as PREFIX=KEY pairs separated by commas: a host running tmate -k KEY -n NAME gets the tokens PREFIX/NAME and ro-PREFIX/NAME; an unknown key is refused.',
  },
  // ---- access control and abuse limits ----
  {
    flag: 'authorized-keys',
    kind: 'string',
    default: undefined,
    doc: 'authorized_keys file: only viewers with a listed key may join any session (on top of a session\'s own tmate -a list).',
  },
  {
    flag: 'max-sessions',
    kind: 'count',
    default: '10000',
    min: 0,
    max: 1_000_000,
    doc: 'Most live sessions in the relay, whoever hosts them (a bound on its memory); 0 means no limit.',
  },
  {
    flag: 'max-sessions-per-ip',
    kind: 'count',
    default: '20',
    min: 0,
    max: 1_000_000,
    doc: 'Most live sessions hosted from one address; 0 means no limit.',
  },
  {
    flag: 'max-viewers-per-session',
    kind: 'count',
    default: '100',
    min: 0,
    max: 1_000_000,
    doc: 'Most viewers attached to one session at once; 0 means no limit.',
  },
  {
    flag: 'connection-rate-limit',
    kind: 'count',
    default: '60',
    min: 0,
    max: 1_000_000,
    doc: 'SSH connection attempts (and WebSocket host connections) allowed per address per --rate-limit-window; more are dropped (a WebSocket host is answered 429). 0 means no limit.',
  },
  {
    flag: 'auth-failure-limit',
    kind: 'count',
    default: '10',
    min: 0,
    max: 1_000_000,
    doc: 'Failed attempts (unknown tokens, refused keys, bad API keys, wrong API tokens) allowed per address per --rate-limit-window; after that the address is refused, even with a right token, until the window lets it try again. 0 means no limit.',
  },
  {
    flag: 'rate-limit-window',
    kind: 'duration',
    default: '1m',
    min: 1000,
    max: 86_400_000,
    doc: 'The window of --connection-rate-limit and --auth-failure-limit.',
  },
  {
    flag: 'trust-proxy',
    kind: 'string',
    default: undefined,
    doc: 'Reverse proxies in front of the HTTP port (IP addresses or CIDR ranges, comma-separated; loopback for 127.0.0.1 and ::1): a request from one of them counts against the client its X-Forwarded-For header names, in the per-address limits, logs and viewer lists. Without it the header is ignored and everyone behind a proxy shares its address.',
  },
  {
    flag: 'max-unauthenticated-per-ip',
    kind: 'count',
    default: '10',
    min: 0,
    max: 1_000_000,
    doc: 'Most SSH connections (and WebSocket host connections) one address may hold open before they are admitted (authenticated, and attached as a viewer or given a session as a host); more are closed at once (a WebSocket host is answered 429). 0 means no limit.',
  },
  {
    flag: 'auth-timeout',
    kind: 'duration',
    default: '20s',
    min: 1000,
    max: 600_000,
    doc: 'How long an SSH connection may take, from its TCP connect, to authenticate and be admitted (a viewer attached, or a host through its tmate handshake) before it is dropped.',
  },
  {
    flag: 'http-request-timeout',
    kind: 'duration',
    default: '30s',
    min: 1000,
    max: 600_000,
    doc: 'How long an HTTP client may take to send a whole request, headers and body, before it is answered 408 and disconnected (WebSocket connections are not limited once upgraded).',
  },
  {
    flag: 'max-http-connections-per-ip',
    kind: 'count',
    default: '256',
    min: 0,
    max: 1_000_000,
    doc: 'Most connections one address may hold open to the HTTP port at once (requests, keep-alive, WebSockets); more are answered 429 and closed. Connections from --trust-proxy peers are not counted. 0 means no limit.',
  },
  {
    flag: 'viewer-stall-timeout',
    kind: 'duration',
    default: '30s',
    min: 0,
    max: 3_600_000,
    doc: 'Disconnect a viewer whose terminal reads nothing for this long while output waits for it (frames are skipped meanwhile, so it never slows anyone else); 0 disables.',
  },
  {
    flag: 'shutdown-timeout',
    kind: 'duration',
    default: '10s',
    min: 0,
    max: 600_000,
    doc: 'On SIGTERM/SIGINT: stop accepting, tell every session, and exit after at most this long.',
  },
  { flag: 'log-level', kind: 'string', default: 'info', doc: 'Log level: debug, info, warn, error or silent.' },
] as const satisfies readonly OptionSpec[];

export type ServeOptionFlag = (typeof SERVE_OPTIONS)[number]['flag'];

export function envName(flag: string): string {
  return `TMATE_RELAY_${flag.toUpperCase().replace(/-/g, '_')}`;
}
