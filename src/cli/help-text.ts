/**
 * `--help` texts, generated from the option table so they never drift from what is parsed.
 */
import { SERVE_OPTIONS, envName } from '../server/config/options.js';

export const MAIN_HELP = `Usage: tmate-relay <command> [options]

A self-hosted relay for tmate: stock tmate clients host sessions, anyone with the token joins
with plain ssh.

Commands:
  serve    Start the relay (SSH on --ssh-port).
  keys     Print the host key fingerprints and the ~/.tmate.conf snippet, without starting.
  help     Show this help, or help for a command: tmate-relay help serve

Run 'tmate-relay <command> --help' for the options of a command.
`;

export function serveHelp(command: 'serve' | 'keys'): string {
  const intro =
    command === 'serve'
      ? 'Usage: tmate-relay serve [options]\n\nStarts the relay. Host keys are created in --keys-dir on first start.\n'
      : 'Usage: tmate-relay keys [options]\n\nPrints the host key fingerprints and a ready-to-paste ~/.tmate.conf snippet\n(creating the keys in --keys-dir if they do not exist yet), then exits.\n';
  const rows = SERVE_OPTIONS.map((o) => {
    const flag = `--${o.flag}${o.kind === 'boolean' ? '' : ` <${o.kind === 'port' ? 'port' : o.kind === 'duration' ? 'duration' : 'value'}>`}`;
    const def = o.default === undefined ? '' : ` (default: ${o.default})`;
    return `  ${flag}\n      ${o.doc}${def}\n      env: ${envName(o.flag)}`;
  });
  return `${intro}\nOptions (a flag wins over its environment variable):\n${rows.join('\n')}\n  -h, --help\n      Show this help.\n`;
}
