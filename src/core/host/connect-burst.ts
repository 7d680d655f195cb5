/**
 * What the stock tmate 2.4.0 client writes first on every connection (PROTOCOL.md §4.1, traces
 * 01, 06, 10): HEADER, RECONNECT when it holds reconnection data, the 83 default bind-keys, the
 * status-keys options (tmate's set-window-option quirk included), the CLI-option set-options
 * (-k, -n, -r, -a in that order, no -g), this relay's own host options (`tmate-relay-ttl` …,
 * sent the same way; a stock relay ignores unknown options), UNAME and READY.
 *
 * Invariant: pure; the same inputs give the same messages.
 */
import { PROTOCOL_VERSION, type OutMessage } from '../protocol/tmate/messages.js';
import { defaultBindKeyCommands } from './default-bindings.js';

export type Uname = readonly [string, string, string, string, string];

export interface TmateCliOptions {
  authorizedKeys?: readonly string[];
  sessionName?: string;
  sessionNameRo?: string;
  apiKey?: string;
}

export interface BurstOptions {
  clientVersion: string;
  keyMode: 'emacs' | 'vi';
  uname: Uname;
  tmateOptions: TmateCliOptions;
  /** Extra `set-option NAME VALUE` pairs for this relay (e.g. tmate-relay-ttl), in order. */
  relayOptions: Readonly<Record<string, string>>;
}

/**
 * tmate sends the path of the `-a` file; keys given inline have no file, so this placeholder is
 * sent instead (the option's presence alone turns the key restriction on).
 */
export const INLINE_AUTHORIZED_KEYS = '(inline)';

function cliOptionCommands(o: TmateCliOptions): string[][] {
  const out: string[][] = [];
  if (o.apiKey !== undefined) out.push(['set-option', 'tmate-api-key', o.apiKey]);
  if (o.sessionName !== undefined) out.push(['set-option', 'tmate-session-name', o.sessionName]);
  if (o.sessionNameRo !== undefined) out.push(['set-option', 'tmate-session-name-ro', o.sessionNameRo]);
  if (o.authorizedKeys !== undefined) {
    out.push(['set-option', 'tmate-authorized-keys', INLINE_AUTHORIZED_KEYS]);
    for (const line of o.authorizedKeys) {
      const key = line.trim();
      if (key !== '' && !key.startsWith('#')) out.push(['set-option', 'tmate-set', `authorized_keys=${key}`]);
    }
  }
  return out;
}

export function connectBurst(options: BurstOptions, reconnectData: string | null): OutMessage[] {
  const out: OutMessage[] = [{ type: 'header', protocol: PROTOCOL_VERSION, clientVersion: options.clientVersion }];
  if (reconnectData !== null) out.push({ type: 'reconnect', data: reconnectData });
  const commands = [
    ...defaultBindKeyCommands(),
    ['set-option', '-g', 'status-keys', options.keyMode],
    ['set-window-option', '-g', 'status-keys', options.keyMode],
    ...cliOptionCommands(options.tmateOptions),
    ...Object.entries(options.relayOptions).map(([name, value]) => ['set-option', name, value]),
  ];
  for (const argv of commands) out.push({ type: 'exec-cmd', argv });
  const [sysname, nodename, release, version, machine] = options.uname;
  out.push({ type: 'uname', sysname, nodename, release, version, machine });
  out.push({ type: 'ready' });
  return out;
}
