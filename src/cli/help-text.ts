/**
 * `--help` texts, generated from the option table so they never drift from what is parsed.
 */
import { SERVE_OPTIONS, envName, type OptionSpec } from '../server/config/options.js';
import { HOST_OPTIONS } from './host-config.js';

export const MAIN_HELP = `Usage: tmate-relay <command> [options]

A self-hosted relay for tmate: stock tmate clients host sessions, anyone with the token joins
with plain ssh.

Commands:
  serve    Start the relay (SSH on --ssh-port, HTTP on --http-port).
  host     Share this machine's shell through a relay (for CI VMs: no tmux or tmate needed).
  keys     Print the host key fingerprints and the ~/.tmate.conf snippet, without starting.
  help     Show this help, or help for a command: tmate-relay help serve
  version  Print the version (also --version, -V).

Run 'tmate-relay <command> --help' for the options of a command.
`;

export const VERSION_HELP = `Usage: tmate-relay version

Prints the version of tmate-relay (also tmate-relay --version, -V).
`;

export function serveHelp(command: 'serve' | 'keys'): string {
  const intro =
    command === 'serve'
      ? 'Usage: tmate-relay serve [options]\n\nStarts the relay. Host keys are created in --keys-dir on first start.\n'
      : 'Usage: tmate-relay keys [options]\n\nPrints the host key fingerprints and a ready-to-paste ~/.tmate.conf snippet\n(creating the keys in --keys-dir if they do not exist yet), then exits.\n';
  const options = command === 'serve' ? SERVE_OPTIONS : SERVE_OPTIONS.filter((o) => KEYS_OPTIONS.has(o.flag));
  return `${intro}\nOptions (a flag wins over its environment variable; an on/off flag is turned off with --no-FLAG):\n${optionRows(options)}\n  -h, --help\n      Show this help.\n`;
}

/** What `keys` reads (the others are accepted and checked, as `serve` takes them, so that one environment serves both). */
const KEYS_OPTIONS = new Set(['keys-dir', 'hostname', 'listen', 'ssh-port', 'advertised-port']);

export function hostHelp(): string {
  return `Usage: tmate-relay host --server RELAY [options] [-- COMMAND [ARGS…]]

Starts a shared terminal session on this machine and registers it with a relay. Prints the ssh
commands to join; the session ends when every window has exited, when the relay ends it (TTL,
cancel), or on SIGTERM.

Options (a flag wins over its environment variable; an on/off flag is turned off with --no-FLAG):
${optionRows(HOST_OPTIONS)}
  -- COMMAND…
      Run COMMAND in every window instead of the login shell.
  -h, --help
      Show this help.

Exit status: the last window's exit status, or
  2   invalid options
  69  the relay could not be reached
  75  the relay ended the session (expired or cancelled)
  76  the relay's host key does not match --fingerprint
  77  the relay kept refusing the session (e.g. its --max-sessions-per-ip) for --connect-timeout
  126 COMMAND is not executable, 127 COMMAND not found (nothing was started)
  143 stopped by SIGTERM (130: SIGINT, Ctrl-C), after ending the session
`;
}

function optionRows(table: readonly OptionSpec[]): string {
  const rows = table.map((o) => {
    const flag = `--${o.flag}${o.kind === 'boolean' ? '' : ` <${o.kind === 'port' ? 'port' : o.kind === 'duration' ? 'duration' : 'value'}>`}`;
    const def = o.default === undefined ? '' : ` (default: ${o.default})`;
    return `  ${flag}\n      ${o.doc}${def}\n      env: ${envName(o.flag)}`;
  });
  return rows.join('\n');
}
